using System.Numerics;
using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// C = A · B for float32/float64 in the GotoBLAS/BLIS loop order: an NC-wide column block of B is packed once per
/// KC-deep slice (it stays in L3), an MC × KC block of A is packed per slice (it stays in L2), and the micro-kernel
/// walks NR × MR tiles whose B̃ panel stays in L1. Threads split C into disjoint column (or row) ranges and pack their
/// own panels, so they never synchronise.
/// </summary>
internal static unsafe class BlockedGemm<T> where T : unmanaged, INumber<T>
{
    // Sized for ~32-48 KiB L1, ~1 MiB L2 and a few MiB of L3 per core at float32; float64 halves the depth.
    private static readonly int KC = 1024 / sizeof(T);
    private static readonly int MC = MicroKernel<T>.MR * (96 / sizeof(T) * 4 / MicroKernel<T>.MR);
    private static readonly int NC = MicroKernel<T>.NR * (2048 / MicroKernel<T>.NR);

    /// <summary>Enough work to pay for waking another core (≈ 64³ multiply-adds per extra thread).</summary>
    private const long ParallelThreshold = 1L << 18;

    [ThreadStatic] private static T[]? s_packA;
    [ThreadStatic] private static T[]? s_packB;

    public static void Multiply(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc, int threads)
    {
        long work = (long)M * N * K;
        threads = (int)Math.Min(threads, Math.Max(1, work / ParallelThreshold));
        if (threads <= 1) { Sequential(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc); return; }

        // Split the longer side of C in whole tiles; each part is an independent GEMM. A few parts per thread, taken
        // dynamically, keep both cores busy when one of them is slowed (by other work, or by a ragged last part);
        // each part re-packs its A block, which costs M·K against M·K·(N/parts) multiply-adds.
        bool byCols = N >= M;
        int unit = byCols ? MicroKernel<T>.NR : MicroKernel<T>.MR;
        int extent = byCols ? N : M;
        int tiles = (extent + unit - 1) / unit;
        int parts = Math.Min(tiles, Math.Max(threads, Math.Min(4 * threads, extent / 128)));
        if (parts < 2) { Sequential(M, N, K, a, rsa, csa, b, rsb, csb, c, rsc, csc); return; }
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int from = (int)((long)tiles * t / parts) * unit, to = Math.Min(extent, (int)((long)tiles * (t + 1) / parts) * unit);
            if (from >= to) return;
            if (byCols)
                Sequential(M, to - from, K, (T*)pa, rsa, csa, (T*)pb + from * csb, rsb, csb, (T*)pc + from * csc, rsc, csc);
            else
                Sequential(to - from, N, K, (T*)pa + from * rsa, rsa, csa, (T*)pb, rsb, csb, (T*)pc + from * rsc, rsc, csc);
        });
    }

    private static T[] Buffer(ref T[]? cache, int size)
    {
        if (cache is null || cache.Length < size) cache = GC.AllocateUninitializedArray<T>(size, pinned: true);
        return cache;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sequential(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc)
    {
        const int MR = MicroKernel<T>.MR;
        int NR = MicroKernel<T>.NR;
        int ncMax = Math.Min(NC, (N + NR - 1) / NR * NR), kcMax = Math.Min(KC, K), mcMax = Math.Min(MC, (M + MR - 1) / MR * MR);
        var bufA = Buffer(ref s_packA, mcMax * kcMax);
        var bufB = Buffer(ref s_packB, ncMax * kcMax);
        T* tile = stackalloc T[MR * NR];
        fixed (T* packA = bufA)
        fixed (T* packB = bufB)
        {
            for (int jc = 0; jc < N; jc += NC)
            {
                int nc = Math.Min(NC, N - jc);
                for (int pc = 0; pc < K; pc += KC)
                {
                    int kc = Math.Min(KC, K - pc);
                    Packing<T>.PackB(kc, nc, b + pc * rsb + jc * csb, rsb, csb, packB);
                    for (int ic = 0; ic < M; ic += MC)
                    {
                        int mc = Math.Min(MC, M - ic);
                        Packing<T>.PackA(mc, kc, a + ic * rsa + pc * csa, rsa, csa, packA);
                        for (int jr = 0; jr < nc; jr += NR)
                        {
                            int nr = Math.Min(NR, nc - jr);
                            T* bp = packB + jr * kc;
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                int mr = Math.Min(MR, mc - ir);
                                T* cp = c + (ic + ir) * rsc + (jc + jr) * csc;
                                if (mr == MR && nr == NR && csc == 1)
                                {
                                    MicroKernel<T>.Run(kc, packA + ir * kc, bp, cp, rsc, pc > 0);
                                    continue;
                                }
                                // Ragged edge or strided C: compute the full tile aside and copy the valid part.
                                MicroKernel<T>.Run(kc, packA + ir * kc, bp, tile, NR, false);
                                for (int r = 0; r < mr; r++)
                                    for (int j = 0; j < nr; j++)
                                    {
                                        ref T dst = ref cp[r * rsc + j * csc];
                                        dst = pc > 0 ? dst + tile[r * NR + j] : tile[r * NR + j];
                                    }
                            }
                        }
                    }
                }
            }
        }
    }
}
