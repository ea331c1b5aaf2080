using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>The float32/float64 GEMM's entry: picks the micro-kernel for this CPU's instruction set.</summary>
internal static unsafe class BlockedGemm<T> where T : unmanaged, INumber<T>
{
    /// <summary>AVX-512 (32 vector registers, 512-bit FMAs) where the runtime reports it; DOTNET_EnableAVX512F=0 turns it off.</summary>
    public static readonly bool Wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>C = A · B; every operand through its row and column strides.</summary>
    public static void Multiply(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc, int threads)
    {
        if (Wide) BlockedGemm<T, Avx512Kernel<T>>.Multiply(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads);
        else BlockedGemm<T, VectorKernel<T>>.Multiply(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads);
    }

    /// <summary>C = A · B̃ with B packed beforehand (<see cref="PackedB{T}"/>): the same bits as packing it here.</summary>
    public static void Multiply(int M, int K, T* a, nint rsa, nint csa, PackedB<T> b, T* c, nint rsc, nint csc, int threads)
    {
        if (b.K != K) throw new ArgumentException("internal: packed operand's depth differs from the product's");
        fixed (T* pb = b.Panels)
        {
            if (b.Wide) BlockedGemm<T, Avx512Kernel<T>>.MultiplyPacked(M, b.N, K, a, rsa, csa, pb, c, rsc, csc, threads);
            else BlockedGemm<T, VectorKernel<T>>.MultiplyPacked(M, b.N, K, a, rsa, csa, pb, c, rsc, csc, threads);
        }
    }

    /// <summary>C += A · B, each element's FMA chain continuing from C's value (a product split along K, summed in order).</summary>
    public static void MultiplyAdd(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc, int threads)
    {
        if (Wide) BlockedGemm<T, Avx512Kernel<T>>.Multiply(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads, accumulate: true);
        else BlockedGemm<T, VectorKernel<T>>.Multiply(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads, accumulate: true);
    }
}

/// <summary>
/// C = A · B in the GotoBLAS/BLIS order, for one micro-kernel shape. A and B are packed into KC-deep slices of
/// MR-row and NR-column panels, each panel once however many threads share it, by whichever task needs it first;
/// C is cut into MC-row × NC-column tasks, taken dynamically by the threads (a core slowed by other work takes
/// fewer). A task runs the slices in order, and within a slice walks NR-wide B̃ panels (kept in L1) against the
/// MC × KC block of Ã (kept in L2). KC, MC and NC follow this machine's cache sizes.
/// </summary>
internal static unsafe class BlockedGemm<T, TKernel> where T : unmanaged, INumber<T> where TKernel : struct, IMicroKernel<T>
{
    /// <summary>B̃'s NR-wide panel fills half of L1; the rest holds Ã's MR-row panel and C's tile.</summary>
    internal static readonly int KC = Math.Clamp(CacheSizes.L1 / (2 * TKernel.NR * sizeof(T)) / 8 * 8, 64, 512);

    /// <summary>Ã's MC × KC block fills half of L2.</summary>
    internal static readonly int MC = Math.Max(TKernel.MR, Math.Min(CacheSizes.L2 / (2 * KC * sizeof(T)), 1024) / TKernel.MR * TKernel.MR);

    /// <summary>B̃'s KC × NC slab fills half of L3 (shared by the cores).</summary>
    internal static readonly int NC = Math.Max(4 * TKernel.NR, Math.Min(CacheSizes.L3 / (2 * KC * sizeof(T)), 8192) / TKernel.NR * TKernel.NR);

    /// <summary>
    /// A row-major B is read in place rather than packed (see <see cref="Plan.BInPlace"/>) when at most this many row
    /// tiles share each panel and its rows are at most <see cref="InPlaceBRowBytes"/> apart. Measured on Zen 2 (one
    /// core): [64,784]·[784,256] 10 % faster in place, [32,128]·[128,512] 7 %; but with rows 4 KiB apart every step
    /// of k lands on a new page, which the hardware prefetchers do not cross ([16,1024]·[1024,1024] 11 % slower).
    /// </summary>
    internal const int InPlaceBTiles = 12;

    internal const int InPlaceBRowBytes = 2048;

    /// <summary>
    /// Multiply-adds per extra thread (64³/2). The worker team forks and joins a spinning worker in ~0.5 µs
    /// (Parallel.For took 11-18 µs). Measured on the 2-core machine: while other work loaded it (load 7-20), a second
    /// thread did not pay at 64³ when the threads claimed C's blocks one by one and met at the same packed panels;
    /// with contiguous runs of blocks per thread and the machine quiet (load 2-3), 64³ on two threads is 0.79× (f32)
    /// and 0.70× (f64) its one-thread time, 50 % of the two-core FMA peak, level with libtorch's 49 % (bench/Libtorch).
    /// </summary>
    private const long ParallelThreshold = 1L << 17;

    /// <summary>Threads for a product of <paramref name="work"/> multiply-adds: one per <see cref="ParallelThreshold"/>.</summary>
    internal static int ThreadsFor(long work, int threads) => (int)Math.Clamp(work / ParallelThreshold, 1, Math.Max(1, threads));

    /// <summary>The packed copies of A and B may take this many elements; larger products are split.</summary>
    private const long PackLimit = 1L << 23;

    public static void Multiply(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc, int threads,
        bool accumulate = false)
    {
        threads = ThreadsFor((long)M * N * K, threads);
        Split(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads, accumulate);
    }

    /// <summary>C = A · B̃ over B's panels packed by <see cref="PackAllB"/> (no split: a packed B fits the pack limit).</summary>
    internal static void MultiplyPacked(int M, int N, int K, T* a, nint rsa, nint csa, T* packedB, T* c, nint rsc, nint csc, int threads)
    {
        threads = ThreadsFor((long)M * N * K, threads);
        Run(M, N, K, a, rsa, csa, null, 0, 0, c, rsc, csc, threads, accumulate: false, packedB);
    }

    /// <summary>Elements of B's panels as <see cref="Run"/> lays them out: every slice of K, every NR-wide panel.</summary>
    internal static long PackedBSize(int N, int K) => (long)(N + TKernel.NR - 1) / TKernel.NR * TKernel.NR * K;

    /// <summary>Packs all of B (K × N) into <paramref name="dst"/> in the layout <see cref="Run"/> packs it into itself.</summary>
    internal static void PackAllB(int N, int K, T* b, nint rsb, nint csb, T* dst)
    {
        int NR = TKernel.NR, tilesN = (N + NR - 1) / NR, slices = (K + KC - 1) / KC, depth = (K + slices - 1) / slices;
        for (int s = 0; s < slices; s++)
        {
            int k0 = s * depth, kd = Math.Min(depth, K - k0);
            for (int j = 0; j < tilesN; j++)
                Packing<T, TKernel>.PackB(Math.Min(NR, N - j * NR), kd, b + j * NR * csb + k0 * rsb, rsb, csb, dst + (long)tilesN * NR * k0 + (long)j * NR * kd);
        }
    }

    /// <summary>Halves a product whose packed operands would exceed <see cref="PackLimit"/>: along K (the second half
    /// adding onto C, which continues each element's FMA chain), or else along the longer side of C.</summary>
    private static void Split(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc, int threads, bool accumulate)
    {
        int MR = TKernel.MR, NR = TKernel.NR;
        long packed = ((long)(M + MR - 1) / MR * MR + (long)(N + NR - 1) / NR * NR) * K;
        if (packed <= PackLimit || (M <= MR && N <= NR && K <= KC))
        {
            Run(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads, accumulate);
            return;
        }
        if (K > 4 * KC && (long)K * K > (long)M * N)
        {
            int k1 = K / 2 / KC * KC;
            Split(M, N, k1, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads, accumulate);
            Split(M, N, K - k1, a + k1 * csa, rsa, csa, b + k1 * rsb, rsb, csb, c, rsc, csc, threads, accumulate: true);
        }
        else if (M >= N)
        {
            int m1 = (M / 2 + MR - 1) / MR * MR;
            Split(m1, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads, accumulate);
            Split(M - m1, N, K, a + m1 * rsa, rsa, csa, b, rsb, csb, c + m1 * rsc, rsc, csc, threads, accumulate);
        }
        else
        {
            int n1 = (N / 2 + NR - 1) / NR * NR;
            Split(M, n1, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads, accumulate);
            Split(M, N - n1, K, a, rsa, csa, b + n1 * csb, rsb, csb, c + n1 * csc, rsc, csc, threads, accumulate);
        }
    }

    /// <summary>Where the packed operands of one product lie, and how they are sliced and cut into tasks.</summary>
    private readonly struct Plan
    {
        public readonly int M, N, K, Depth, Slices, TilesM, TilesN, RowBlocks, ColChunks;
        public readonly nint A, B, C, Rsa, Csa, Rsb, Csb, Rsc, Csc, PackA, PackB, Flags;
        public readonly bool Accumulate;

        /// <summary>A row-major A small enough to stay in L2 is read in place: only a ragged last panel is packed.</summary>
        public readonly bool RowsOfA;

        /// <summary>A row-major B that few row tiles share is read in place (its NR values per k are contiguous
        /// there too): packing it would cost about as much as those tiles' multiply-adds. Only a ragged last
        /// panel is packed (zero-padded).</summary>
        public readonly bool BInPlace;

        public Plan(int m, int n, int k, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc, T* pack, int* flags, int threads, bool accumulate,
            T* packedB)
        {
            Flags = (nint)flags;
            M = m; N = n; K = k; A = (nint)a; B = (nint)b; C = (nint)c; Rsa = rsa; Csa = csa; Rsb = rsb; Csb = csb; Rsc = rsc; Csc = csc;
            Accumulate = accumulate;
            RowsOfA = TKernel.ReadsRowsOfA && csa == 1 && (long)m * k * sizeof(T) <= CacheSizes.L2 / 2;
            BInPlace = packedB is null && csb == 1 && (long)(M + TKernel.MR - 1) / TKernel.MR <= InPlaceBTiles && rsb * sizeof(T) <= InPlaceBRowBytes;
            Slices = (K + KC - 1) / KC;
            Depth = (K + Slices - 1) / Slices; // even slices: no shallow last one
            TilesM = (M + TKernel.MR - 1) / TKernel.MR;
            TilesN = (N + TKernel.NR - 1) / TKernel.NR;
            PackA = (nint)pack;
            PackB = packedB is null ? (nint)(pack + (long)TilesM * TKernel.MR * K) : (nint)packedB;
            RowBlocks = (TilesM + MC / TKernel.MR - 1) / (MC / TKernel.MR);
            ColChunks = (TilesN + NC / TKernel.NR - 1) / (NC / TKernel.NR);
            // A few tasks per thread, so the dynamic split can even out a core that other work slows down.
            int target = threads > 1 ? 3 * threads : 1;
            if (RowBlocks * ColChunks < target) ColChunks = Math.Min(TilesN, (target + RowBlocks - 1) / RowBlocks);
            if (RowBlocks * ColChunks < target) RowBlocks = Math.Min(TilesM, (target + ColChunks - 1) / ColChunks);
        }

        public int SliceStart(int s) => s * Depth;
        public int SliceDepth(int s) => Math.Min(Depth, K - s * Depth);
        public int Tasks => RowBlocks * ColChunks;
    }

    private static void Run(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc, int threads, bool accumulate,
        T* packedB = null)
    {
        int MR = TKernel.MR, NR = TKernel.NR;
        int tilesM = (M + MR - 1) / MR, tilesN = (N + NR - 1) / NR, slices = (K + KC - 1) / KC;
        long size = ((long)tilesM * MR + (packedB is null ? (long)tilesN * NR : 0)) * K;
        var buffer = ArrayPool<T>.Shared.Rent((int)size);
        var flags = ArrayPool<int>.Shared.Rent(slices * (tilesM + tilesN));
        Array.Clear(flags);
        // A B packed beforehand: every B panel is marked packed, so no task packs (or waits for) one.
        if (packedB is not null)
            for (int s = 0; s < slices; s++) flags.AsSpan(s * (tilesM + tilesN) + tilesM, tilesN).Fill(2);
        try
        {
            fixed (T* pack = buffer)
            fixed (int* f = flags)
            {
                var plan = new Plan(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc, pack, f, threads, accumulate, packedB);
                // Each thread takes a contiguous run of blocks (as Parallel.For's range partitioning did): blocks next
                // to each other share packed panels, so one thread packs what it then uses instead of the two
                // threads meeting at the same panel (claimed one block at a time, 128³ ran 1.2× slower).
                int parts = Math.Min(threads, plan.Tasks);
                var tasks = new Tasks(plan, parts);
                WorkerTeam.Run(parts, ref tasks, parts);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(flags);
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    /// <summary>The plan's blocks of C as the team's indices (a struct: no closure per product).</summary>
    private readonly struct Tasks(Plan plan, int parts) : ITeamTask
    {
        private readonly Plan _plan = plan;
        public void Run(int index)
        {
            for (int t = _plan.Tasks * index / parts, end = _plan.Tasks * (index + 1) / parts; t < end; t++) Task(_plan, t);
        }
    }

    /// <summary>
    /// Packs panel <paramref name="unit"/> (per slice, the A panels, then the B panels) unless it is packed already;
    /// the first task to need a panel packs it and any other waits for it, so each panel is packed once, just before
    /// its first use, with no separate packing phase for the threads to wait at.
    /// </summary>
    private static void Ensure(in Plan g, int unit)
    {
        ref int state = ref ((int*)g.Flags)[unit];
        if (Volatile.Read(ref state) == 2) return;
        if (Interlocked.CompareExchange(ref state, 1, 0) == 0)
        {
            PackUnit(g, unit);
            Volatile.Write(ref state, 2);
            return;
        }
        // Yielding, never sleeping: SpinWait's default sleeps 1 ms now and then, hundreds of times the pack it waits for.
        var spin = new SpinWait();
        while (Volatile.Read(ref state) != 2) spin.SpinOnce(sleep1Threshold: -1);
    }

    private static void PackUnit(in Plan g, int u)
    {
        int MR = TKernel.MR, NR = TKernel.NR, per = g.TilesM + g.TilesN;
        int s = u / per, i = u % per, k0 = g.SliceStart(s), kd = g.SliceDepth(s);
        if (i < g.TilesM)
        {
            T* src = (T*)g.A + i * MR * g.Rsa + k0 * g.Csa;
            T* dst = (T*)g.PackA + (long)g.TilesM * MR * k0 + (long)i * MR * kd;
            Packing<T, TKernel>.PackA(Math.Min(MR, g.M - i * MR), kd, src, g.Rsa, g.Csa, dst);
        }
        else
        {
            int j = i - g.TilesM;
            T* src = (T*)g.B + j * NR * g.Csb + k0 * g.Rsb;
            T* dst = (T*)g.PackB + (long)g.TilesN * NR * k0 + (long)j * NR * kd;
            Packing<T, TKernel>.PackB(Math.Min(NR, g.N - j * NR), kd, src, g.Rsb, g.Csb, dst);
        }
    }

    /// <summary>One block of C's tiles over every slice of K.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Task(in Plan g, int task)
    {
        int MR = TKernel.MR, NR = TKernel.NR;
        int rb = task / g.ColChunks, cc = task % g.ColChunks;
        int i0 = (int)((long)g.TilesM * rb / g.RowBlocks), i1 = (int)((long)g.TilesM * (rb + 1) / g.RowBlocks);
        int j0 = (int)((long)g.TilesN * cc / g.ColChunks), j1 = (int)((long)g.TilesN * (cc + 1) / g.ColChunks);
        T* tile = stackalloc T[MR * NR];
        nint rsc = g.Rsc, csc = g.Csc;
        for (int s = 0; s < g.Slices; s++)
        {
            int k0 = g.SliceStart(s), kd = g.SliceDepth(s);
            bool accumulate = s > 0 || g.Accumulate;
            T* pa = (T*)g.PackA + (long)g.TilesM * MR * k0;
            T* pb = (T*)g.PackB + (long)g.TilesN * NR * k0;
            int unit = s * (g.TilesM + g.TilesN);
            for (int j = j0; j < j1; j++)
            {
                int nr = Math.Min(NR, g.N - j * NR);
                T* bp;
                nint bs;
                if (g.BInPlace && nr == NR)
                {
                    bp = (T*)g.B + k0 * g.Rsb + j * NR;
                    bs = g.Rsb;
                }
                else
                {
                    Ensure(g, unit + g.TilesM + j);
                    bp = pb + (long)j * NR * kd;
                    bs = NR;
                }
                for (int i = i0; i < i1; i++)
                {
                    T* ap = pa + (long)i * MR * kd;
                    T* cp = (T*)g.C + i * MR * rsc + j * NR * csc;
                    int mr = Math.Min(MR, g.M - i * MR);
                    bool rows = g.RowsOfA && mr == MR;
                    if (!rows) Ensure(g, unit + i);
                    T* ar = (T*)g.A + i * MR * g.Rsa + k0;
                    if (mr == MR && nr == NR && csc == 1)
                    {
                        // The next tile's rows of C (one 4 KiB page apart in a 1024-wide C, past L2 after a
                        // slice): its accumulators start from them, so a miss there stalls every FMA chain.
                        if (Sse.IsSupported && i + 1 < i1)
                        {
                            T* nc = cp + MR * rsc;
                            for (int r = 0; r < MR; r++) { Sse.Prefetch0(nc + r * rsc); Sse.Prefetch0(nc + r * rsc + NR - 1); }
                        }
                        if (rows) TKernel.RunRowsOfA(kd, ar, g.Rsa, bp, bs, cp, rsc, accumulate);
                        else TKernel.Run(kd, ap, bp, bs, cp, rsc, accumulate);
                        continue;
                    }
                    // Ragged edge or strided C: run the full tile aside, carrying C's partial sums in and out.
                    if (accumulate)
                        for (int r = 0; r < mr; r++)
                            for (int q = 0; q < nr; q++) tile[r * NR + q] = cp[r * rsc + q * csc];
                    if (rows) TKernel.RunRowsOfA(kd, ar, g.Rsa, bp, bs, tile, NR, accumulate);
                    else TKernel.Run(kd, ap, bp, bs, tile, NR, accumulate);
                    for (int r = 0; r < mr; r++)
                        for (int q = 0; q < nr; q++) cp[r * rsc + q * csc] = tile[r * NR + q];
                }
            }
        }
    }
}
