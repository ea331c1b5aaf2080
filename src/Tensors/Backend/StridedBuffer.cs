namespace Notebooks.Tensors.Backend;

/// <summary>
/// What a backend reads and writes: a strided window on a storage (storage, shape, strides, offset; dtype and device
/// are the storage's). No autograd, no version counter, no reference to a tensor: a backend never sees autograd, and
/// the types say so (DeviceBoundaryTests). A tensor hands its window out without allocating (<c>Tensor.Buffer</c>);
/// buffers a backend allocates come back to <c>Ops/</c>, which wraps them in tensors. The members are named as
/// Tensor's fields, so code reads the same on both sides of the boundary.
/// </summary>
internal readonly struct StridedBuffer(Storage storage, long[] shape, long[] strides, long offset)
{
    public readonly Storage _storage = storage;
    public readonly long[] _shape = shape;
    public readonly long[] _strides = strides;
    public readonly long _offset = offset;

    public DType dtype => _storage.dtype;
    public Device device => _storage.device;
    public bool is_cpu => _storage.device.type == "cpu";
    public bool is_cuda => _storage.device.type == "cuda";
    public long numel() => Shapes.Numel(_shape);
    public long size(int dim) => _shape[Shapes.WrapDim(dim, _shape.Length)];
    public bool is_contiguous() => Shapes.IsContiguous(_shape, _strides);

    /// <summary>A new contiguous buffer on <paramref name="device"/> (zeroed, as a tensor's Empty is).</summary>
    public static StridedBuffer Empty(long[] shape, DType dtype, Device device) =>
        new(Backends.For(device).Allocate(dtype, Geometry.AllocationNumel(shape, dtype.itemsize)), shape, Shapes.ContiguousStrides(shape), 0);

    /// <summary>The same storage read as <paramref name="shape"/> with <paramref name="strides"/> from <paramref name="offset"/>.</summary>
    public StridedBuffer View(long[] shape, long[] strides, long offset) => new(_storage, shape, strides, offset);
}
