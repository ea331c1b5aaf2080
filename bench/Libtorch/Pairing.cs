using System.Diagnostics;

namespace Notebooks.Bench.Libtorch;

/// <summary>
/// What one side's calls cost in a round: best wall seconds per call, CPU seconds per call (all threads), managed bytes
/// per call, garbage collections per call by generation (a gen2 count also counts in gen1 and gen0, as .NET reports
/// them) and GC pause seconds per call (<c>GC.GetTotalPauseDuration</c>): what large outputs cost the process.
/// </summary>
internal readonly record struct Timing(double Wall, double Cpu, double Bytes, double Gen0 = 0, double Gen1 = 0, double Gen2 = 0, double Pause = 0);

/// <summary>
/// The one timing method of every comparison here. Both sides are warmed until the JIT is quiet (<see cref="Warmup"/>), then timed in rounds,
/// ours and libtorch's alternately (which goes first alternates too), each round preceded by an FMA-peak burst, so a
/// busy machine slows both alike. Per side and round: calls are batched to ~<c>targetMs</c>, three batches, the best
/// batch's wall time per call and the CPU time of all batches (process clock, summed over threads: time spent
/// descheduled by other work does not count, spinning threads do). Ratios are ours / libtorch per round; the median is reported.
/// </summary>
internal static class Pairing
{
    /// <summary>
    /// Whether a row is wanted: <c>--rows "a|b"</c> (passed to the child processes as <c>LIBTORCH_BENCH_ROWS</c>) keeps
    /// only the rows whose name contains one of the |-separated parts (names have commas); without it every row runs.
    /// </summary>
    public static bool Selected(string name) =>
        Environment.GetEnvironmentVariable("LIBTORCH_BENCH_ROWS") is not { Length: > 0 } rows ||
        rows.Split('|', StringSplitOptions.RemoveEmptyEntries).Any(r => name.Contains(r, StringComparison.Ordinal));

    public static Row Compare(string name, double flops, Action ours, Action theirs, int rounds, double targetMs = 30)
    {
        Warmup.Run(ours); Warmup.Run(theirs);
        var o = new List<Timing>(); var t = new List<Timing>();
        double peak = 0;
        for (int r = 0; r < rounds; r++)
        {
            peak = Math.Max(peak, Peak.Burst());
            if (r % 2 == 0) { o.Add(Time(ours, targetMs)); t.Add(Time(theirs, targetMs)); }
            else { t.Add(Time(theirs, targetMs)); o.Add(Time(ours, targetMs)); }
        }
        return new Row(name, flops, o, t, peak);
    }

    private static Timing Time(Action body, double targetMs)
    {
        var sw = Stopwatch.StartNew();
        body();
        int calls = (int)Math.Clamp(targetMs / Math.Max(sw.Elapsed.TotalMilliseconds, 1e-3), 1, 1_000_000);
        double wall = double.MaxValue, cpu = 0;
        long bytes = 0;
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        var p0 = GC.GetTotalPauseDuration();
        for (int r = 0; r < 3; r++)
        {
            long b0 = GC.GetTotalAllocatedBytes(precise: false);
            double c0 = CpuTime.Process();
            sw.Restart();
            for (int i = 0; i < calls; i++) body();
            wall = Math.Min(wall, sw.Elapsed.TotalSeconds / calls);
            cpu += CpuTime.Process() - c0;
            bytes += GC.GetTotalAllocatedBytes(precise: false) - b0;
        }
        double n = 3.0 * calls;
        return new Timing(wall, cpu / n, bytes / n, (GC.CollectionCount(0) - g0) / n, (GC.CollectionCount(1) - g1) / n,
            (GC.CollectionCount(2) - g2) / n, (GC.GetTotalPauseDuration() - p0).TotalSeconds / n);
    }
}

/// <summary>This CPU's float32 FMA peak on all cores (wall) and per core (per CPU-second), measured beside the timings.</summary>
internal static class Peak
{
    public static double PerCore { get; private set; }

    public static double Burst()
    {
        PerCore = Math.Max(PerCore, FmaPeak.PerCoreCpuTime(3));
        return FmaPeak.Measure(0.05).gflops;
    }
}
