using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors.Backend;

/// <summary>
/// Host memory behind CPU tensors, for the code outside <c>Backend/</c> that reads or wraps it (printing, conversion to
/// .NET arrays, safetensors, the CPU generator's fills): the one door to the CPU storage type, so nothing else names it.
/// Every member expects a CPU tensor (the callers have moved device tensors to the host first).
/// </summary>
internal static class HostMemory
{
    /// <summary>The whole storage of a CPU tensor as <typeparamref name="T"/> (index it with storage offsets).</summary>
    public static Span<T> Storage<T>(Tensor t) where T : unmanaged => ((CpuStorage)t._storage).Span<T>();

    /// <summary>The elements of a contiguous CPU tensor, from its offset.</summary>
    public static Span<T> Elements<T>(Tensor t) where T : unmanaged => Storage<T>(t).Slice((int)t._offset, (int)t.numel());

    /// <summary>The .NET array behind a CPU tensor's storage (numpy()'s shared memory).</summary>
    public static Array Array(Tensor t) => ((CpuStorage)t._storage).Array;

    /// <summary>The raw bytes of a CPU tensor's storage.</summary>
    public static Span<byte> Bytes(Tensor t) => ((CpuStorage)t._storage).Bytes;

    /// <summary>Wraps a .NET array (not copied) as a CPU storage.</summary>
    public static Storage Wrap(DType dtype, Array array) => new CpuStorage(dtype, array);

    /// <summary>An uninitialised CPU storage for a result every element of which is about to be written.</summary>
    public static Storage AllocateForWrite(DType dtype, long count) => CpuStorage.AllocateForWrite(dtype, count);

    /// <summary>Whether <paramref name="t"/> lives in host memory this class can read.</summary>
    public static bool IsHost(Tensor t) => t._storage is CpuStorage;
}
