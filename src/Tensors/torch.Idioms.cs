namespace Notebooks.Tensors;

/// <summary>
/// A shape written as a C# tuple, <c>torch.ones((2, 3))</c> or <c>x.view((3, -1))</c>, as Python passes a tuple.
/// </summary>
public readonly struct Shape
{
    internal readonly long[] Dims;
    private Shape(long[] dims) => Dims = dims;
    public static implicit operator Shape((int, int) t) => new([t.Item1, t.Item2]);
    public static implicit operator Shape((long, long) t) => new([t.Item1, t.Item2]);
    public static implicit operator Shape((int, int, int) t) => new([t.Item1, t.Item2, t.Item3]);
    public static implicit operator Shape((long, long, long) t) => new([t.Item1, t.Item2, t.Item3]);
    public static implicit operator Shape((int, int, int, int) t) => new([t.Item1, t.Item2, t.Item3, t.Item4]);
    public static implicit operator Shape((long, long, long, long) t) => new([t.Item1, t.Item2, t.Item3, t.Item4]);
}

// Everyday spellings of real tutorials: tuple shapes, meshgrid, from_numpy.
public static partial class torch
{
    /// <summary>A tensor of the given shape filled with 0 (float32 unless dtype says otherwise).</summary>
    public static Tensor zeros(Shape size, DType? dtype = null, Device? device = null, bool requires_grad = false) => zeros(size.Dims, dtype, device, requires_grad);
    /// <summary>A tensor of the given shape filled with 1 (float32 unless dtype says otherwise).</summary>
    public static Tensor ones(Shape size, DType? dtype = null, Device? device = null, bool requires_grad = false) => ones(size.Dims, dtype, device, requires_grad);
    /// <summary>A tensor of the given shape whose values are not initialised (PyTorch leaves them undefined).</summary>
    public static Tensor empty(Shape size, DType? dtype = null, Device? device = null, bool requires_grad = false) => empty(size.Dims, dtype, device, requires_grad);
    public static Tensor full(Shape size, Scalar fill_value, DType? dtype = null, Device? device = null, bool requires_grad = false) => full(size.Dims, fill_value, dtype, device, requires_grad);
    /// <summary>Uniform random numbers in [0, 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor rand(Shape size, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand(size.Dims, dtype, device, requires_grad, generator);
    /// <summary>Standard normal random numbers (mean 0, std 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor randn(Shape size, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn(size.Dims, dtype, device, requires_grad, generator);

    /// <summary>
    /// <c>torch.meshgrid(*tensors, indexing=)</c> (aten/src/ATen/native/TensorShape.cpp): grids from 0-d or 1-d
    /// tensors, each an expanded view of its input. "ij" puts input i along dim i; "xy" swaps the first two inputs and
    /// outputs, so the first varies along columns, as numpy's meshgrid. Without indexing PyTorch warns and uses "ij".
    /// </summary>
    public static Tensor[] meshgrid(Tensor[] tensors, string? indexing = null)
    {
        if (indexing is null)
        {
            warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.");
            indexing = "ij";
        }
        if (indexing is not ("ij" or "xy"))
            throw new ArgumentException($"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}");
        if (tensors.Length == 0) throw new ArgumentException("meshgrid expects a non-empty TensorList");
        foreach (var t in tensors)
            if (t.dim() > 1) throw new ArgumentException($"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}");
        bool swap = indexing == "xy" && tensors.Length >= 2;
        var inputs = (Tensor[])tensors.Clone();
        if (swap) (inputs[0], inputs[1]) = (inputs[1], inputs[0]);
        var sizes = inputs.Select(t => t.numel()).ToArray();
        var grids = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var view = Enumerable.Repeat(1L, inputs.Length).ToArray();
            view[i] = -1;
            grids[i] = inputs[i].view(view).expand(sizes);
        }
        // The outputs are swapped back, as ATen does: the first grid varies along dim 1.
        if (swap) (grids[0], grids[1]) = (grids[1], grids[0]);
        return grids;
    }

    public static Tensor[] meshgrid(Tensor a, Tensor b, string? indexing = null) => meshgrid([a, b], indexing);
    public static Tensor[] meshgrid(Tensor a, Tensor b, Tensor c, string? indexing = null) => meshgrid([a, b, c], indexing);

    /// <summary><c>torch.from_numpy</c>: a tensor over a .NET array, sharing its memory (<see cref="from_array"/>).</summary>
    public static Tensor from_numpy(Array array) => from_array(array);
}

public sealed partial class Tensor
{
    public Tensor view(Shape shape) => view(shape.Dims);
    public Tensor reshape(Shape shape) => reshape(shape.Dims);

    // Tensor.new_* (torch/_tensor_docs.py): a new tensor with this tensor's dtype and device unless given.
    public Tensor new_zeros(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false) => torch.zeros(size, dtype ?? this.dtype, device ?? this.device, requires_grad);
    public Tensor new_zeros(params long[] size) => new_zeros(size, null);
    public Tensor new_ones(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false) => torch.ones(size, dtype ?? this.dtype, device ?? this.device, requires_grad);
    public Tensor new_ones(params long[] size) => new_ones(size, null);
    public Tensor new_empty(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false) => torch.empty(size, dtype ?? this.dtype, device ?? this.device, requires_grad);
    public Tensor new_empty(params long[] size) => new_empty(size, null);
    public Tensor new_full(long[] size, Scalar fill_value, DType? dtype = null, Device? device = null, bool requires_grad = false) => torch.full(size, fill_value, dtype ?? this.dtype, device ?? this.device, requires_grad);
    public Tensor new_zeros(Shape size, DType? dtype = null, Device? device = null, bool requires_grad = false) => new_zeros(size.Dims, dtype, device, requires_grad);
    public Tensor new_ones(Shape size, DType? dtype = null, Device? device = null, bool requires_grad = false) => new_ones(size.Dims, dtype, device, requires_grad);
    public Tensor new_full(Shape size, Scalar fill_value, DType? dtype = null, Device? device = null, bool requires_grad = false) => new_full(size.Dims, fill_value, dtype, device, requires_grad);

    /// <summary><c>t.new_tensor(data)</c>: a copy of <paramref name="data"/> with this tensor's dtype and device unless given.</summary>
    public Tensor new_tensor(Array data, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        torch.tensor(data, dtype ?? this.dtype, device ?? this.device, requires_grad);
    public Tensor new_tensor(double data, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        torch.tensor(data, dtype ?? this.dtype, device ?? this.device, requires_grad);

    /// <summary>
    /// The legacy constructor <c>torch.Tensor(data)</c>, spelled <c>new Tensor(data)</c> in C# (a method cannot share
    /// the type's name): a float32 copy of <paramref name="data"/>, whatever its element type, as PyTorch's default
    /// tensor type does.
    /// </summary>
    public Tensor(Array data) : this(Legacy(data)) { }

    /// <summary><c>torch.Tensor(2, 3)</c>, spelled <c>new Tensor(2L, 3L)</c>: an uninitialised float32 tensor of that shape.</summary>
    public Tensor(long size0, params long[] sizes) : this(torch.empty([size0, .. sizes], DType.Float32)) { }

    private static Tensor Legacy(Array data) => torch.tensor(data, DType.Float32);

    private Tensor(Tensor made) : this(made._storage, made._shape, made._strides, made._offset) { }

    /// <summary>
    /// <c>t.numpy()</c>: this tensor's elements as <see cref="Memory{T}"/> over the same storage, so writes either way
    /// are seen by both, as PyTorch's numpy() shares memory. Refused, in PyTorch's words, where sharing is impossible or
    /// would hide the graph: a tensor that requires grad, or one on a GPU; a non-contiguous view has no flat window.
    /// </summary>
    public Memory<T> numpy<T>() where T : unmanaged
    {
        if (_requiresGrad) throw new InvalidOperationException("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
        if (!is_cpu) throw new InvalidOperationException($"can't convert {device.type}:{device.index ?? 0} device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.");
        if (!is_contiguous()) throw new InvalidOperationException("numpy() of a non-contiguous view has no flat window over the storage: call contiguous() first (it copies)");
        if (DType.Of<T>() != dtype) throw new InvalidOperationException($"numpy<{typeof(T).Name}>() on a tensor of {dtype}: the element type must be the tensor's");
        return new ArrayMemory<T>(Backend.HostMemory.Array(Buffer)).Memory.Slice((int)_offset, (int)numel());
    }

    /// <summary>A Memory over any array of T (a multi-dimensional one too), without copying.</summary>
    private sealed class ArrayMemory<T>(Array array) : System.Buffers.MemoryManager<T> where T : unmanaged
    {
        private System.Runtime.InteropServices.GCHandle _pin;
        public override Span<T> GetSpan() => System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.CompilerServices.Unsafe.As<byte, T>(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(array)), (int)array.LongLength);
        public override unsafe System.Buffers.MemoryHandle Pin(int elementIndex = 0)
        {
            if (!_pin.IsAllocated) _pin = System.Runtime.InteropServices.GCHandle.Alloc(array, System.Runtime.InteropServices.GCHandleType.Pinned);
            return new System.Buffers.MemoryHandle((T*)_pin.AddrOfPinnedObject() + elementIndex);
        }
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { if (_pin.IsAllocated) _pin.Free(); }
    }
}
