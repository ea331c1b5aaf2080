using ILGPU;
using ILGPU.Runtime;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// Device memory for one tensor storage: a block from <see cref="GpuAllocator"/>, viewed as the dtype's element type
/// (bool as byte, half and bfloat16 as their 16 raw bits). The block goes back to the cache when the storage is collected.
/// </summary>
internal sealed class GpuStorage : Storage
{
    private MemoryBuffer1D<byte, Stride1D.Dense>? _block;

    public GpuStorage(DType dtype, Device device, long count) : base(dtype, device, count)
    {
        _block = GpuAllocator.Rent(Math.Max(1, count) * dtype.itemsize);
        // Tell the GC what this small object holds so collections (which free device memory) keep pace with it.
        GC.AddMemoryPressure(_block.Length);
    }

    public ArrayView<byte> Bytes => (_block ?? throw new ObjectDisposedException(nameof(GpuStorage))).View.SubView(0, Math.Max(1, Count) * dtype.itemsize);

    /// <summary>The block's device address (what native libraries such as cuBLAS take).</summary>
    public IntPtr DevicePointer => (_block ?? throw new ObjectDisposedException(nameof(GpuStorage))).NativePtr;

    /// <summary>The whole block as 32-bit words, for compare-and-swap on 1- and 2-byte elements.</summary>
    public ArrayView<int> Words => (_block ?? throw new ObjectDisposedException(nameof(GpuStorage))).View.AsContiguous().Cast<int>();

    /// <summary>The elements as <typeparamref name="T"/> (a same-size reinterpretation of the bytes).</summary>
    public ArrayView<T> View<T>() where T : unmanaged => Bytes.Cast<T>();

    ~GpuStorage()
    {
        if (_block is { } b) { _block = null; GC.RemoveMemoryPressure(b.Length); GpuAllocator.Return(b); }
    }
}
