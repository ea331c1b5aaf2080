using System.Runtime.CompilerServices;
using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// The CPU caching allocator (LargeArrayPool): arrays of Large Object Heap size are lent again only after the storage
/// that had one is unreachable, come back zeroed where a zeroed tensor was asked for, never include arrays that user
/// code holds (from_array's, numpy()'s, AsSpan's), stay distinct across threads, and the idle bytes respect the cap.
/// Each test uses an element count of its own, so the pool's buckets (exact lengths) don't mix between tests.
/// </summary>
[NonParallelizable]
public class LargeArrayPoolTests
{
    private static Array ArrayOf(Tensor t) => ((CpuStorage)t._storage).Array;

    /// <summary>Runs a full collection, so every storage no one references is cleared from the pool's weak handles.</summary>
    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    // Not inlined: the tensor made here is unreachable once the call returns (only its array is handed back).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Array DeadTensorsArray(long n, float value) => ArrayOf(torch.full([n], value));

    [Test]
    public void SmallTensorsAreNotPooled()
    {
        // 85 000 bytes is the runtime's Large Object Heap threshold: 21 249 floats stay below it.
        Assert.That(LargeArrayPool.Covers<float>(21_249), Is.False);
        Assert.That(LargeArrayPool.Covers<float>(21_250), Is.True);
        Assert.That(LargeArrayPool.Covers<double>(10_625), Is.True);
        Assert.That(LargeArrayPool.Covers<bool>(84_999), Is.False);
    }

    [Test]
    public void AnArrayIsLentAgainOnlyAfterItsStorageDies()
    {
        const long n = 30_011;
        var live = torch.full([n], 3f);
        var liveArray = ArrayOf(live);
        for (int i = 0; i < 5; i++)
        {
            Collect();
            var other = torch.zeros(n);
            Assert.That(ArrayOf(other), Is.Not.SameAs(liveArray), "a live tensor's array was lent to another tensor");
        }
        Assert.That(live.AsSpan<float>().ToArray().Distinct(), Is.EqualTo(new[] { 3f }));

        var dead = DeadTensorsArray(n, 5f);
        Collect();
        var reused = torch.zeros(n);
        Assert.That(ArrayOf(reused), Is.SameAs(dead), "a dead tensor's array was not reused");
        GC.KeepAlive(live);
    }

    [Test]
    public void ZerosAreZeroOnAReusedArray()
    {
        const long n = 30_013;
        var dead = DeadTensorsArray(n, 7f);
        Collect();
        var z = torch.zeros(n);
        Assert.That(ArrayOf(z), Is.SameAs(dead));
        Assert.That(z.sum().item<float>(), Is.EqualTo(0f));
        Assert.That(z.AsSpan<float>().ToArray().All(v => v == 0f), Is.True);
    }

    [Test]
    public void AViewKeepsTheArrayOfItsBase()
    {
        const long n = 30_017;
        var view = ViewOfDeadBase(n);
        for (int i = 0; i < 3; i++)
        {
            Collect();
            var t = torch.full([n], 1f);
            Assert.That(ArrayOf(t), Is.Not.SameAs(ArrayOf(view)));
        }
        Assert.That(view.sum().item<float>(), Is.EqualTo(9f * (n / 2)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor ViewOfDeadBase(long n) => torch.full([n], 9f).slice(0, 0, n / 2 * 2, 2);

    [Test]
    public void FromArrayArraysAreNeverPooled()
    {
        const long n = 30_019;
        var user = new float[n];
        Wrap(user);
        Collect();
        for (int i = 0; i < 3; i++)
        {
            var t = torch.full([n], 2f);
            Assert.That(ArrayOf(t), Is.Not.SameAs(user), "torch.from_array's array was lent to a new tensor");
            Collect();
        }
        Assert.That(user.All(v => v == 0f), Is.True);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Wrap(float[] a) => torch.from_array(a).add_(0f);

    [Test]
    public void NumpyAndAsSpanMemoryIsNeverLentAgain()
    {
        const long n = 30_029;
        var memory = SharedMemoryOfDeadTensor(n);
        var spanArray = AsSpanArrayOfDeadTensor(n);
        Collect();
        for (int i = 0; i < 3; i++)
        {
            var t = torch.full([n], 4f);
            Assert.That(ArrayOf(t), Is.Not.SameAs(spanArray));
            Assert.That(memory.Span[0], Is.EqualTo(6f), "numpy()'s memory was overwritten by a new tensor");
            Collect();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Memory<float> SharedMemoryOfDeadTensor(long n) => torch.full([n], 6f).numpy<float>();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Array AsSpanArrayOfDeadTensor(long n)
    {
        var t = torch.full([n], 8f);
        t.AsSpan<float>();
        return ArrayOf(t);
    }

    [Test]
    public void ConcurrentAllocationsNeverShareAnArray()
    {
        const long n = 30_031;
        const int threads = 4, rounds = 60;
        var live = new Tensor[threads][];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, th =>
        {
            var mine = new Tensor?[3];
            var values = new float[3];
            for (int r = 0; r < rounds; r++)
            {
                float v = th * 1000 + r;
                mine[r % 3] = r % 2 == 0 ? torch.full([n], v) : torch.zeros(n).add_(v);
                values[r % 3] = v;
                if (r % 10 == 0) GC.Collect(1);
                // Every tensor this thread still holds keeps the value it was given, whatever the others allocate
                // (read by indexing: AsSpan would take the array out of the pool for good).
                for (int k = 0; k < 3; k++)
                    if (mine[k] is { } t)
                        foreach (long at in new[] { 0, n / 2, n - 1 })
                            Assert.That(t[at].item<float>(), Is.EqualTo(values[k]), $"thread {th}: a tensor's memory changed under it");
            }
            live[th] = mine!;
        });
        var arrays = live.SelectMany(m => m).Select(ArrayOf).ToArray();
        Assert.That(arrays.Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(arrays.Length));
    }

    [Test]
    public void IdleBytesStayUnderTheCap()
    {
        const long n = 30_037;   // 120 148 bytes each
        long cap = LargeArrayPool.CapBytes;
        try
        {
            LargeArrayPool.Clear();
            LargeArrayPool.CapBytes = 500_000;   // room for four
            MakeAndDrop(n, 10);
            Collect();
            torch.zeros(n + 2);   // a request that misses the pool reclaims the dead ones (up to the cap)
            var (idle, arrays, _) = LargeArrayPool.Stats();
            Assert.That(idle, Is.LessThanOrEqualTo(500_000));
            Assert.That(arrays, Is.EqualTo(4));
            Assert.That(idle, Is.EqualTo(4 * n * 4));
        }
        finally
        {
            LargeArrayPool.CapBytes = cap;
        }
    }

    // Not inlined: all of them alive together (so each has an array of its own), all unreachable once it returns.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MakeAndDrop(long n, int count)
    {
        var all = new List<Tensor>();
        for (int i = 0; i < count; i++) all.Add(torch.ones(n));
        Assert.That(all.Select(ArrayOf).Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(count));
    }

    // Not inlined: the packed panels' owner is unreachable once it returns.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe Array DeadPanels(float[] b, int k, int n)
    {
        fixed (float* pb = b) return new Notebooks.Tensors.Backend.Cpu.Gemm.PackedB<float>(k, n, pb, n, 1).Panels;
    }

    [Test]
    public unsafe void LargePackedGemmPanelsAreLentAndReturned()
    {
        // An LSTM's W_hhᵀ (128 × 512) packed for the micro-kernel: 256 kB, so its panels come from the pool.
        const int k = 128, n = 512;
        var b = new float[k * n];
        var dead = DeadPanels(b, k, n);
        Collect();
        fixed (float* pb = b)
        {
            var again = new Notebooks.Tensors.Backend.Cpu.Gemm.PackedB<float>(k, n, pb, n, 1);
            Assert.That(again.Panels, Is.SameAs(dead));
            GC.KeepAlive(again);
        }
    }

    [Test]
    public void ResultsAreRightWhenOutputsReusePooledArrays()
    {
        // The weight-gradient shape of issue #17, many times over with collections between: each product is checked
        // against the first (bit-identical), so a reused array that kept old values or was shared would show.
        torch.manual_seed(3);
        var a = torch.randn(64, 256); var b = torch.randn(64, 784);
        var first = a.t().matmul(b).ToArray<float>();
        for (int i = 0; i < 30; i++)
        {
            var r = a.t().matmul(b);
            if (i % 7 == 0) GC.Collect(0);
            Assert.That(r.ToArray<float>().SequenceEqual(first), Is.True, $"product {i} differs");
        }
    }
}
