using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Notebooks.Bench;

/// <summary>
/// This CPU's float32 FMA throughput: independent register-only FMA chains (enough to hide latency) on every core,
/// at the widest vector width the GEMM itself uses.
/// </summary>
internal static class FmaPeak
{
    public static (double gflops, int bits) Measure(double seconds)
    {
        int threads = Environment.ProcessorCount;
        bool wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;
        int lanes = wide ? 16 : 8;
        const long iters = 4_000_000;
        double best = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || best == 0)
        {
            var sw = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
            {
                float r = wide ? Loop512(iters) : Loop256(iters);
                if (r == 12345) Console.Write("");
            });
            double flops = (double)threads * iters * 12 * lanes * 2;
            best = Math.Max(best, flops / sw.Elapsed.TotalSeconds / 1e9);
        }
        return (best, lanes * 32);
    }

    /// <summary>
    /// One core's float32 FMA throughput per second of this thread's CPU time (not wall time): on a machine shared
    /// with other work the time this thread was descheduled does not count, so the figure holds under load.
    /// </summary>
    public static double PerCoreCpuTime(int bursts = 20)
    {
        bool wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;
        const long iters = 100_000;
        double best = 0;
        for (int i = 0; i < bursts; i++)
        {
            double t0 = CpuTime.Thread();
            float r = wide ? Loop512(iters) : Loop256(iters);
            double t = CpuTime.Thread() - t0;
            if (r == 12345) Console.Write("");
            if (t > 0) best = Math.Max(best, iters * 12.0 * (wide ? 16 : 8) * 2 / t / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iters)
    {
        var m = Vector512.Create(0.999999f); var k = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, k); a1 = Vector512.FusedMultiplyAdd(a1, m, k); a2 = Vector512.FusedMultiplyAdd(a2, m, k);
            a3 = Vector512.FusedMultiplyAdd(a3, m, k); a4 = Vector512.FusedMultiplyAdd(a4, m, k); a5 = Vector512.FusedMultiplyAdd(a5, m, k);
            a6 = Vector512.FusedMultiplyAdd(a6, m, k); a7 = Vector512.FusedMultiplyAdd(a7, m, k); a8 = Vector512.FusedMultiplyAdd(a8, m, k);
            a9 = Vector512.FusedMultiplyAdd(a9, m, k); a10 = Vector512.FusedMultiplyAdd(a10, m, k); a11 = Vector512.FusedMultiplyAdd(a11, m, k);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long iters)
    {
        var m = Vector256.Create(0.999999f); var k = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, k); a1 = Vector256.FusedMultiplyAdd(a1, m, k); a2 = Vector256.FusedMultiplyAdd(a2, m, k);
            a3 = Vector256.FusedMultiplyAdd(a3, m, k); a4 = Vector256.FusedMultiplyAdd(a4, m, k); a5 = Vector256.FusedMultiplyAdd(a5, m, k);
            a6 = Vector256.FusedMultiplyAdd(a6, m, k); a7 = Vector256.FusedMultiplyAdd(a7, m, k); a8 = Vector256.FusedMultiplyAdd(a8, m, k);
            a9 = Vector256.FusedMultiplyAdd(a9, m, k); a10 = Vector256.FusedMultiplyAdd(a10, m, k); a11 = Vector256.FusedMultiplyAdd(a11, m, k);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
