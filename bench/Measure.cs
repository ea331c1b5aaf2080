using System.Diagnostics;

namespace Notebooks.Bench;

/// <summary>Best-of-N timing: the machine may be shared, so the fastest repeat is the least disturbed one.</summary>
internal static class Measure
{
    /// <summary>Seconds per call of <paramref name="body"/>: calibrated to ~<paramref name="targetMs"/> per repeat, best of <paramref name="repeats"/>.</summary>
    public static double Best(Action body, int repeats, double targetMs, bool warm = true)
    {
        // Warm up past tiered compilation (instrumented tier, OSR, then background re-JIT with PGO) so the steady state
        // is what's timed. A fixed count is not enough on a loaded machine, where the background JIT lags behind:
        // keep calling until no method has been compiled for a while.
        var sw = Stopwatch.StartNew();
        int calls = 0;
        if (warm)
        {
            long jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
            double quietSince = 0;
            while (calls < 3 || sw.Elapsed.TotalMilliseconds < 300 || sw.Elapsed.TotalMilliseconds - quietSince < 250)
            {
                body(); calls++;
                if (sw.Elapsed.TotalMilliseconds > 5000) break;
                long now = System.Runtime.JitInfo.GetCompiledMethodCount();
                if (now != jitted) { jitted = now; quietSince = sw.Elapsed.TotalMilliseconds; }
            }
        }
        sw.Restart();
        body();
        double one = Math.Max(sw.Elapsed.TotalMilliseconds, 1e-4);
        calls = (int)Math.Clamp(targetMs / one, 1, 10_000_000);
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            sw.Restart();
            for (int i = 0; i < calls; i++) body();
            best = Math.Min(best, sw.Elapsed.TotalSeconds / calls);
        }
        return best;
    }

    /// <summary>Managed bytes allocated per call on this thread.</summary>
    public static double AllocatedBytes(Action body, int calls = 1000)
    {
        body();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) body();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }
}
