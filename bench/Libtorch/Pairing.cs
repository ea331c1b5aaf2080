using System.Diagnostics;

namespace Notebooks.Bench.Libtorch;

/// <summary>What one side's calls cost in a round: best wall seconds per call, CPU seconds per call (all threads), managed bytes per call.</summary>
internal readonly record struct Timing(double Wall, double Cpu, double Bytes);

/// <summary>
/// The one timing method of every comparison here. Both sides are warmed until the JIT is quiet (<see cref="Warmup"/>), then timed in rounds,
/// ours and libtorch's alternately (which goes first alternates too), each round preceded by an FMA-peak burst, so a
/// busy machine slows both alike. Per side and round: calls are batched to ~<c>targetMs</c>, three batches, the best
/// batch's wall time per call and the CPU time of all batches (process clock, summed over threads: time spent
/// descheduled by other work does not count, spinning threads do). Ratios are ours / libtorch per round; the median is reported.
/// </summary>
internal static class Pairing
{
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
        return new Timing(wall, cpu / (3.0 * calls), bytes / (3.0 * calls));
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
