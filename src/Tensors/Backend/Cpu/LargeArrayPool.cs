using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// The CPU's caching allocator (PyTorch has one for CUDA): the arrays behind CPU storages (and packed GEMM panels) of
/// at least <see cref="MinBytes"/> go back to a pool when their owner dies, and the next request of the same element
/// type and length takes one from there instead of from the GC.
/// <para>
/// Why: .NET puts arrays of 85 000 bytes or more on the Large Object Heap, which only a gen2 collection frees, and
/// allocating there is what triggers gen2 collections. A training loop's weight gradients and batched products are
/// that big, so every few steps the process paid a full collection plus a fresh zeroed allocation (issue #17: the
/// weight-gradient GEMM shapes 1.3–2× libtorch). The host's GC settings are not ours to change (the library runs
/// inside .NET Interactive), so the library recycles its own big arrays.
/// </para>
/// <para>
/// How a dead storage is noticed: the pool holds each array it lent and a weak handle to the storage that has it, and
/// no finalizer runs anywhere (small tensors pay nothing; a storage is a gen0 object whose death a gen0 collection
/// sees, while the array's own death would wait for gen2). When a request finds no idle array it reclaims the arrays
/// of storages the GC has cleared; when that finds none either and at least <see cref="collectAfterBytes"/> have been
/// lent since the last collection, it runs a gen0 collection (the cheapest: storages die young; those promoted meanwhile come back after the
/// runtime's own gen1 collections) and reclaims again, as Java's
/// direct buffers run the GC when their reservation is exhausted. The threshold grows when such a collection frees
/// little (big tensors the program keeps) and shrinks back when it pays.
/// </para>
/// <para>
/// Safety rests on one rule: an array is only lent out again once its storage is unreachable. Views share the storage
/// object, so no view of a live tensor can see its array reused; an array handed to user code (<c>numpy()</c>,
/// <c>AsSpan</c>: <see cref="Escape"/>) is never reclaimed; arrays the library did not allocate
/// (<c>torch.from_array</c>) never enter; library code that keeps a span of a tensor's memory past its last use of the
/// tensor keeps the tensor alive (<c>GC.KeepAlive</c>) if it allocates meanwhile. Idle arrays are capped at
/// <see cref="CapBytes"/>; past that they are left to the GC. Idle arrays no request has taken since the previous
/// gen2 collection are dropped at the next, so a shape the program stopped using does not stay cached.
/// </para>
/// </summary>
internal static class LargeArrayPool
{
    /// <summary>The runtime's Large Object Heap threshold (its default GCLOHThreshold): smaller arrays die cheaply in gen0.</summary>
    public const int MinBytes = 85_000;

    private const long MinCollectAfterBytes = 16L << 20, MaxCollectAfterBytes = 1L << 30;

    /// <summary>
    /// <c>NOTEBOOKS_POOL_STRESS=1</c>: a gen0 collection and a reclaim before every request, and arrays lent for writing
    /// filled with NaN bytes — CI runs the tensor tests so, to catch code that breaks the pool's one rule or reads
    /// memory it was meant to overwrite.
    /// </summary>
    internal static readonly bool Stress = Environment.GetEnvironmentVariable("NOTEBOOKS_POOL_STRESS") == "1";

    /// <summary>The most bytes the pool keeps idle.</summary>
    public static long CapBytes { get; internal set; } =
        Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 16, 32L << 20, 512L << 20);

    private sealed class Loan(Array array, GCHandle owner)
    {
        public readonly Array Array = array;
        public GCHandle Owner = owner;
        public bool Escaped;
    }

    private sealed class Bucket
    {
        public readonly Stack<Array> Arrays = new();
        public int UsedAtGen2;
        public long ArrayBytes;
    }

    private static readonly Lock Gate = new();
    private static readonly Dictionary<(Type, int), Bucket> Idle = [];
    private static readonly List<Loan> Lent = [];
    private static long idleBytes, lentSinceCollect, collectAfterBytes = MinCollectAfterBytes;
    private static int gen0Seen, gen2Seen;

    /// <summary>Whether a storage of <paramref name="count"/> elements of <typeparamref name="T"/> comes from the pool.</summary>
    public static bool Covers<T>(long count) where T : unmanaged => count * Unsafe.SizeOf<T>() >= MinBytes && count <= Array.MaxLength;

    /// <summary>
    /// An array of exactly <paramref name="length"/> elements, zeroed when <paramref name="zero"/>; the caller hands it
    /// with its owner (the object every user of the array references: a storage, packed GEMM panels) to
    /// <see cref="Track"/>, and it returns to the pool once the owner is unreachable.
    /// </summary>
    public static T[] Rent<T>(int length, bool zero) where T : unmanaged
    {
        long bytes = (long)length * Unsafe.SizeOf<T>();
        T[]? array;
        lock (Gate)
        {
            if (Stress)
            {
                // Every dead owner's array back before each request, so a kernel still reading an array whose owner
                // the JIT already considers dead (the one rule above broken) gets it overwritten under it.
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                gen0Seen = -1;
                Reclaim();
            }
            array = Take<T>(length);
            if (array is null)
            {
                Reclaim();
                array = Take<T>(length);
            }
            if (array is null && lentSinceCollect >= collectAfterBytes)
            {
                long before = idleBytes;
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                Reclaim();
                // A collection that frees little means the big tensors are alive: wait longer before the next one.
                collectAfterBytes = idleBytes - before < collectAfterBytes / 4
                    ? Math.Min(collectAfterBytes * 2, MaxCollectAfterBytes)
                    : Math.Max(collectAfterBytes / 2, MinCollectAfterBytes);
                array = Take<T>(length);
            }
            lentSinceCollect += bytes;
        }
        if (array is null) array = zero ? new T[length] : GC.AllocateUninitializedArray<T>(length);
        else if (zero) array.AsSpan().Clear();
        // Under stress an array for a kernel to overwrite comes filled with NaN bytes: one that leaves elements unwritten shows.
        if (Stress && !zero) MemoryMarshal.AsBytes(array.AsSpan()).Fill(0xFF);
        return array;
    }

    /// <summary>Lends <paramref name="array"/> (from <see cref="Rent"/>) to <paramref name="owner"/> until the owner is unreachable.</summary>
    public static void Track(object owner, Array array)
    {
        var loan = new Loan(array, GCHandle.Alloc(owner, GCHandleType.Weak));
        lock (Gate) Lent.Add(loan);
    }

    /// <summary>
    /// The array behind a storage is now referenced outside the library (numpy(), AsSpan): it is never lent again.
    /// </summary>
    public static void Escape(Array array)
    {
        if (ByteLength(array) < MinBytes) return;
        lock (Gate)
            foreach (var loan in Lent)
                if (ReferenceEquals(loan.Array, array)) { loan.Escaped = true; return; }
    }

    private static T[]? Take<T>(int length)
    {
        if (!Idle.TryGetValue((typeof(T), length), out var bucket) || bucket.Arrays.Count == 0) return null;
        bucket.UsedAtGen2 = gen2Seen;
        idleBytes -= (long)length * Unsafe.SizeOf<T>();
        return (T[])bucket.Arrays.Pop();
    }

    /// <summary>Moves the arrays of storages the GC has cleared into the idle buckets (up to the cap); trims after a gen2.</summary>
    private static void Reclaim()
    {
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        if (gen0 == gen0Seen) return;   // no collection since the last look: no storage can have been cleared
        gen0Seen = gen0;
        lentSinceCollect = 0;
        if (gen2 != gen2Seen) Trim(gen2);
        int kept = 0;
        for (int i = 0; i < Lent.Count; i++)
        {
            var loan = Lent[i];
            if (loan.Owner.Target is not null) { Lent[kept++] = loan; continue; }
            loan.Owner.Free();
            if (loan.Escaped) continue;
            long bytes = ByteLength(loan.Array);
            if (idleBytes + bytes > CapBytes) continue;   // over the cap: the GC takes it
            var key = (loan.Array.GetType().GetElementType()!, loan.Array.Length);
            if (!Idle.TryGetValue(key, out var bucket)) Idle[key] = bucket = new Bucket { UsedAtGen2 = gen2, ArrayBytes = bytes };
            bucket.Arrays.Push(loan.Array);
            idleBytes += bytes;
        }
        Lent.RemoveRange(kept, Lent.Count - kept);
    }

    /// <summary>Drops the idle arrays of lengths no request has taken since the gen2 collection before this one.</summary>
    private static void Trim(int gen2)
    {
        foreach (var (key, bucket) in Idle)
            if (bucket.UsedAtGen2 < gen2Seen)
            {
                idleBytes -= bucket.Arrays.Count * bucket.ArrayBytes;
                Idle.Remove(key);
            }
        gen2Seen = gen2;
    }

    private static long ByteLength(Array array)
    {
        var t = array.GetType().GetElementType()!;
        long item = t == typeof(bool) || t == typeof(byte) || t == typeof(sbyte) ? 1 : Marshal.SizeOf(t);
        return array.LongLength * item;
    }

    /// <summary>What the pool holds now (tests and the benchmark's report).</summary>
    internal static (long IdleBytes, int IdleArrays, int Lent) Stats()
    {
        lock (Gate) return (idleBytes, Idle.Values.Sum(b => b.Arrays.Count), Lent.Count);
    }

    /// <summary>Forgets every idle array and stops tracking the lent ones (tests start from an empty pool).</summary>
    internal static void Clear()
    {
        lock (Gate)
        {
            Idle.Clear();
            idleBytes = 0;
            foreach (var loan in Lent) loan.Owner.Free();
            Lent.Clear();
            lentSinceCollect = 0;
            collectAfterBytes = MinCollectAfterBytes;
        }
    }
}
