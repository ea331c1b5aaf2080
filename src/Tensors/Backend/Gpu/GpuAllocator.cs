using ILGPU.Runtime;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// A caching allocator in the manner of PyTorch's CUDACachingAllocator: freed blocks go to free lists keyed by their
/// (rounded) byte size and are handed out again, so a training loop stops calling the driver after its first step.
/// </summary>
internal static class GpuAllocator
{
    // Small requests round up to 512 bytes (PyTorch's kMinBlockSize); larger ones to 2 MiB multiples above 1 MiB.
    private const long MinBlock = 512;
    private const long SmallLimit = 1 << 20;
    private const long LargeRound = 2 << 20;

    private static readonly object Gate = new();
    private static readonly Dictionary<long, Stack<MemoryBuffer1D<byte, ILGPU.Stride1D.Dense>>> Free = new();
    // Every block the driver gave us, in use or cached. Rooting them here matters: ILGPU buffers free their memory in
    // their own finalizers, which would otherwise run alongside a dead GpuStorage's and free a block we then recycle.
    private static readonly HashSet<MemoryBuffer1D<byte, ILGPU.Stride1D.Dense>> Owned = new(ReferenceEqualityComparer.Instance);

    public static long Allocated { get; private set; }
    public static long MaxAllocated { get; private set; }
    public static long Reserved { get; private set; }

    public static long RoundSize(long bytes)
    {
        if (bytes <= 0) return MinBlock;
        if (bytes < SmallLimit) return (bytes + MinBlock - 1) / MinBlock * MinBlock;
        return (bytes + LargeRound - 1) / LargeRound * LargeRound;
    }

    public static MemoryBuffer1D<byte, ILGPU.Stride1D.Dense> Rent(long bytes)
    {
        var size = RoundSize(bytes);
        MemoryBuffer1D<byte, ILGPU.Stride1D.Dense>? block = null;
        lock (Gate)
        {
            if (Free.TryGetValue(size, out var stack) && stack.Count > 0) block = stack.Pop();
        }
        // A block freed after the runtime switched accelerators (tests only) can't serve the new one.
        if (block is not null && block.Accelerator != GpuRuntime.Accelerator) block = null;
        if (block is null)
        {
            block = TryAllocate(size);
            if (block is null)
            {
                // Storages are freed by the GC, which doesn't see device memory: collect, then retry from the cache.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                lock (Gate) { if (Free.TryGetValue(size, out var s2) && s2.Count > 0) block = s2.Pop(); }
            }
            if (block is null)
            {
                // Still out of memory: give the cache back to the driver and try once more, as PyTorch does.
                EmptyCache();
                block = TryAllocate(size) ?? throw new OutOfMemoryException(
                    $"CUDA out of memory. Tried to allocate {size} bytes ({Allocated} bytes already allocated; {Reserved} reserved in total by the caching allocator).");
            }
        }
        lock (Gate)
        {
            Allocated += size;
            if (Allocated > MaxAllocated) MaxAllocated = Allocated;
        }
        return block;
    }

    /// <summary>Returns a block to the cache (called from finalizers, hence the lock and no driver calls).</summary>
    public static void Return(MemoryBuffer1D<byte, ILGPU.Stride1D.Dense> block)
    {
        lock (Gate)
        {
            var size = block.Length;
            Allocated -= size;
            if (!Free.TryGetValue(size, out var stack)) Free[size] = stack = new();
            stack.Push(block);
        }
    }

    /// <summary><c>torch.cuda.empty_cache()</c>: frees the cached (unused) blocks.</summary>
    public static void EmptyCache()
    {
        List<MemoryBuffer1D<byte, ILGPU.Stride1D.Dense>> blocks;
        lock (Gate)
        {
            blocks = Free.Values.SelectMany(s => s).ToList();
            Free.Clear();
            foreach (var b in blocks) { Reserved -= b.Length; Owned.Remove(b); }
        }
        GpuRuntime.Synchronize();
        foreach (var b in blocks) b.Dispose();
    }

    private static MemoryBuffer1D<byte, ILGPU.Stride1D.Dense>? TryAllocate(long size)
    {
        try
        {
            var b = GpuRuntime.Accelerator.Allocate1D<byte>(size);
            lock (Gate) { Reserved += size; Owned.Add(b); }
            return b;
        }
        catch (Exception e) when (e is OutOfMemoryException or ILGPU.Runtime.Cuda.CudaException or AcceleratorException) { return null; }
    }

    public static void ResetPeak() { lock (Gate) MaxAllocated = Allocated; }
}
