using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

/// <summary>
/// A strided view onto a <see cref="Storage"/>, with PyTorch's autograd state. Ops live in the partial files under
/// Ops/ (forward) and Autograd/Derivatives/ (backward); raw computation goes to the device's backend.
/// </summary>
public sealed partial class Tensor
{
    // The tensor's window on its storage is the raw buffer a backend sees, held inline, so handing it to a kernel
    // passes a reference to this field (Buffer) instead of copying four fields into a 32-byte struct per operand.
    private StridedBuffer _buf;
    internal Storage _storage => _buf._storage;
    internal long[] _shape => _buf._shape;
    internal long[] _strides => _buf._strides;
    internal long _offset => _buf._offset;

    /// <summary>Points this tensor at another window (in-place metadata changes: <c>.data =</c>, <c>resize_</c>, <c>set_</c>).</summary>
    internal void SetWindow(Storage storage, long[] shape, long[] strides, long offset) => _buf = new(storage, shape, strides, offset);

    // Autograd state (see Autograd/): the node that made this tensor and which of its outputs we are.
    internal bool _requiresGrad;
    internal Node? _gradFn;
    internal int _outputNr;
    internal Tensor? _grad
    {
        get => _autograd?.Grad;
        set { if (value is not null || _autograd is not null) AutogradMeta.Grad = value; }
    }
    internal AccumulateGrad? _gradAccumulator
    {
        get => _autograd?.GradAccumulator;
        set { if (value is not null || _autograd is not null) AutogradMeta.GradAccumulator = value; }
    }
    internal bool _retainsGrad
    {
        get => _autograd?.RetainsGrad ?? false;
        set { if (value || _autograd is not null) AutogradMeta.RetainsGrad = value; }
    }
    internal List<Func<Tensor, Tensor?>>? _hooks
    {
        get => _autograd?.Hooks;
        set { if (value is not null || _autograd is not null) AutogradMeta.Hooks = value; }
    }
    /// <remarks>
    /// Most tensors (every result made without grad, and most made with it) never get a gradient, hook or name, so
    /// those live in a side object created on first write, as PyTorch's AutogradMeta: a smaller tensor is cheaper
    /// to allocate and zero on every op.
    /// </remarks>
    private TensorAutogradMeta AutogradMeta
    {
        get
        {
            var m = _autograd;
            if (m is not null) return m;
            Interlocked.CompareExchange(ref _autograd, new TensorAutogradMeta(), null);
            return _autograd!;
        }
    }
    private TensorAutogradMeta? _autograd;
    /// <summary>Shared by a tensor, its views and its detached aliases; bumped by every in-place write.</summary>
    /// <remarks>Created on first use (most results are never viewed, saved or written in place).</remarks>
    internal VersionCounter _version
    {
        get
        {
            var v = _versionCounter;
            if (v is not null) return v;
            Interlocked.CompareExchange(ref _versionCounter, new VersionCounter(), null);
            return _versionCounter!;
        }
    }
    private VersionCounter? _versionCounter;
    /// <summary>For a view that autograd tracks: the tensor it views (PyTorch's <c>_base</c>).</summary>
    internal Tensor? _base
    {
        get => _view?.Base;
        set { if (value is not null || _view is not null) ViewInfo.Base = value; }
    }
    internal bool _isInference;
    internal string? _name
    {
        get => _autograd?.Name;
        set { if (value is not null || _autograd is not null) AutogradMeta.Name = value; }
    }
    /// <summary>A C# number wrapped as a 0-dim tensor: it takes part in type promotion as a Python scalar does.</summary>
    internal bool _isWrappedNumber;
    /// <summary>For a view: replays the chain of view ops on its base (used to rebase history after in-place writes).</summary>
    internal Func<Tensor, Tensor>? _viewFn
    {
        get => _view?.ViewFn;
        set { if (value is not null || _view is not null) ViewInfo.ViewFn = value; }
    }
    /// <remarks>Only views made by view ops have a base and a replay, so results don't carry room for them.</remarks>
    private TensorViewInfo ViewInfo
    {
        get
        {
            var v = _view;
            if (v is not null) return v;
            Interlocked.CompareExchange(ref _view, new TensorViewInfo(), null);
            return _view!;
        }
    }
    private TensorViewInfo? _view;

    internal Tensor(Storage storage, long[] shape, long[] strides, long offset, VersionCounter? version = null)
    {
        Geometry.CheckInBounds(storage, shape, strides, offset);
        _buf = new(storage, shape, strides, offset);
        _versionCounter = version;
        _isInference = GradMode.InferenceMode;
    }

    /// <summary>
    /// The per-output starting positions of a reduction over <paramref name="src"/>: a carrier of offsets for the loop
    /// driver, shaped as the output with the reduced dims' strides zeroed. Its elements are never read as such; when
    /// <paramref name="src"/> is empty (a reduction over a size-0 dim) the kernel reads nothing, so it is the one
    /// tensor exempt from the bounds check (any other empty-source carrier would be out of bounds of an empty storage).
    /// </summary>
    internal static Tensor ReductionOrigins(Tensor src, long[] shape, long[] strides)
    {
        if (Shapes.Numel(src._shape) != 0) return new Tensor(src._storage, shape, strides, src._offset);
        return new Tensor(src._storage, shape, strides, src._offset, emptySourceCarrier: true);
    }

    private Tensor(Storage storage, long[] shape, long[] strides, long offset, bool emptySourceCarrier)
    {
        _buf = new(storage, shape, strides, offset);
    }

    /// <summary>A new contiguous tensor with uninitialised (zeroed, on the CPU) contents.</summary>
    internal static Tensor Empty(long[] shape, DType dtype, Device device)
    {
        var n = Geometry.AllocationNumel(shape, dtype.itemsize);
        var storage = Backends.For(device).Allocate(dtype, n);
        return new Tensor(storage, shape, Shapes.ContiguousStrides(shape), 0);
    }

    /// <summary>
    /// <see cref="Empty"/> for a result every element of which a kernel writes next (element-wise outputs, casts,
    /// copies): on the CPU its memory need not be zeroed first.
    /// </summary>
    internal static Tensor EmptyForWrite(long[] shape, DType dtype, Device device)
    {
        if (!ReferenceEquals(device, Device.CPU)) return Empty(shape, dtype, device);
        var storage = Backend.HostMemory.AllocateForWrite(dtype, Geometry.AllocationNumel(shape, dtype.itemsize));
        return new Tensor(storage, shape, Shapes.ContiguousStrides(shape), 0);
    }

    internal IBackend Kernels => Backends.For(_storage.device);

    /// <summary>
    /// The strided window a backend sees (storage, shape, strides, offset), by reference: given to a backend's
    /// <c>in</c> parameter nothing is copied.
    /// </summary>
    internal ref readonly StridedBuffer Buffer => ref _buf;

    /// <summary>A tensor over a buffer a backend made (a fresh result: no autograd, its own version counter).</summary>
    internal static Tensor Of(StridedBuffer b) => new(b._storage, b._shape, b._strides, b._offset);

    public DType dtype => _storage.dtype;
    public Device device => _storage.device;
    public Size shape => Size.Wrap(_shape);
    public Size size() => Size.Wrap(_shape);
    public long size(int dim) => _shape[Shapes.WrapDim(dim, _shape.Length)];
    public int dim() => _shape.Length;
    public int ndim => _shape.Length;
    public int ndimension() => _shape.Length;
    public long numel() => Shapes.Numel(_shape);
    public long nelement() => numel();
    public long[] stride() => (long[])_strides.Clone();
    public long stride(int dim) => _strides[Shapes.WrapDim(dim, _shape.Length)];
    public long storage_offset() => _offset;
    public int element_size() => dtype.itemsize;
    public long nbytes => numel() * dtype.itemsize;
    public bool is_cuda => device.type == "cuda";
    public bool is_cpu => device.type == "cpu";
    public bool is_floating_point() => dtype.is_floating_point;
    public Storage untyped_storage() => _storage;
    public bool is_inference() => _isInference;
    public int _version_ => _versionCounter?.Value ?? 0;

    public bool is_contiguous() => Shapes.IsContiguous(_shape, _strides);

    /// <summary>Same storage and strides (PyTorch's <c>is_set_to</c>); handy to show that views share memory.</summary>
    public bool is_set_to(Tensor other) =>
        ReferenceEquals(_storage, other._storage) && _offset == other._offset &&
        _shape.AsSpan().SequenceEqual(other._shape) && _strides.AsSpan().SequenceEqual(other._strides);

    /// <summary>The address-like identity of the first element: equal for tensors that start at the same memory.</summary>
    public long data_ptr() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_storage) * 4096L + _offset * dtype.itemsize;

    internal bool IsScalar => _shape.Length == 0;
}

/// <summary>PyTorch's version counter: shared between a tensor and its views, checked by saved tensors.</summary>
internal sealed class VersionCounter
{
    public int Value;
    public void Bump() => Value++;
}
