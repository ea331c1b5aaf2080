using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors.Backend;

/// <summary>
/// Host memory behind CPU tensors, for the code outside <c>Backend/</c> that reads or wraps it (printing, conversion to
/// .NET arrays, safetensors, the CPU generator's fills): the one door to the CPU storage type, so nothing else names it.
/// Every member expects a CPU buffer (the callers have moved device tensors to the host first; they pass <c>tensor.Buffer</c>).
/// </summary>
internal static class HostMemory
{
    /// <summary>The whole storage of a CPU buffer as <typeparamref name="T"/> (index it with storage offsets).</summary>
    public static Span<T> Storage<T>(StridedBuffer t) where T : unmanaged => ((CpuStorage)t._storage).Span<T>();

    /// <summary>The elements of a contiguous CPU buffer, from its offset.</summary>
    public static Span<T> Elements<T>(StridedBuffer t) where T : unmanaged => Storage<T>(t).Slice((int)t._offset, (int)t.numel());

    /// <summary>
    /// The .NET array behind a CPU buffer's storage (numpy()'s shared memory), for handing to user code: the caching
    /// allocator never lends it to another tensor (LargeArrayPool).
    /// </summary>
    public static Array Array(StridedBuffer t) => ((CpuStorage)t._storage).Share();

    /// <summary>The raw bytes of a CPU buffer's storage.</summary>
    public static Span<byte> Bytes(StridedBuffer t) => ((CpuStorage)t._storage).Bytes;

    /// <summary>Wraps a .NET array (not copied) as a CPU storage.</summary>
    public static Storage Wrap(DType dtype, Array array) => new CpuStorage(dtype, array);

    /// <summary>An uninitialised CPU storage for a result every element of which is about to be written.</summary>
    public static Storage AllocateForWrite(DType dtype, long count) => CpuStorage.AllocateForWrite(dtype, count);

    /// <summary>Whether <paramref name="t"/> lives in host memory this class can read.</summary>
    public static bool IsHost(StridedBuffer t) => t._storage is CpuStorage;
}
