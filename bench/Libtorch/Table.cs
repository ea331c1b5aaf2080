using System.Globalization;

namespace Notebooks.Bench.Libtorch;

/// <summary>One comparison's rounds, and how the table prints them.</summary>
internal sealed record Row(string Name, double Flops, List<Timing> Ours, List<Timing> Torch, double PeakWall)
{
    private static double Median(IEnumerable<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public double OursWall => Ours.Min(t => t.Wall);
    public double TorchWall => Torch.Min(t => t.Wall);
    public double WallRatio => Median(Ours.Zip(Torch, (o, t) => o.Wall / t.Wall));
    public double CpuRatio => Median(Ours.Zip(Torch, (o, t) => o.Cpu / t.Cpu));
    public double OursCpu => Median(Ours.Select(t => t.Cpu));
    public double TorchCpu => Median(Torch.Select(t => t.Cpu));
    public double OursMB => Median(Ours.Select(t => t.Bytes)) / (1 << 20);
    /// <summary>Our collections per 100 calls by generation, and GC pause as a share of our wall time (medians over rounds).</summary>
    public (double G0, double G1, double G2) OursGcPer100 => (Median(Ours.Select(t => 100 * t.Gen0)), Median(Ours.Select(t => 100 * t.Gen1)), Median(Ours.Select(t => 100 * t.Gen2)));
    public double OursPauseShare => Median(Ours.Select(t => t.Pause / t.Wall));
}

/// <summary>
/// The one report format: per row the best wall time per call of ours and libtorch's, the median per-round ratio
/// ours / libtorch (below 1: ours faster), the same by CPU time, our wall GFLOP/s with % of this run's FMA peak (wall:
/// of the best all-core burst; CPU: flops per CPU-second against one core's peak per CPU-second, which holds on a
/// machine shared with other work), libtorch's likewise, and our managed allocation per call.
/// </summary>
internal static class Table
{
    public static void Header(string title)
    {
        Console.WriteLine($"-- {title}");
        Console.WriteLine($"{"",-34} {"ours",9} {"libtorch",9} {"ratio",6} | {"ours",8} {"libtorch",8} {"ratio",6} | {"GFLOP/s",8} {"%peak",6} {"%peak",6} {"GFLOP/s",8} {"%peak",6} | {"MB/call",8} {"GCs/100 calls",14} {"pause",6}");
        Console.WriteLine($"{"",-34} {"wall",9} {"wall",9} {"",6} | {"CPU",8} {"CPU",8} {"",6} | {"ours",8} {"wall",6} {"CPU",6} {"torch",8} {"CPU",6} | {"ours",8} {"g0/g1/g2",14} {"%wall",6}");
    }

    public static void Print(Row r, bool f64 = false)
    {
        double div = f64 ? 2 : 1;   // a float64 FMA does half the lanes
        double og = r.Flops / r.OursWall / 1e9, tg = r.Flops / r.TorchWall / 1e9, peak = r.PeakWall / div, core = Peak.PerCore / div;
        string Gf(double g) => r.Flops > 0 ? g.ToString("F1", CultureInfo.InvariantCulture) : "-";
        string Pc(double g, double of) => r.Flops > 0 && of > 0 ? (100 * g / of).ToString("F0", CultureInfo.InvariantCulture) + "%" : "-";
        // CPU: flops per CPU-second (all threads) against one core's peak per CPU-second.
        double oc = r.Flops / r.OursCpu / 1e9, tc = r.Flops / r.TorchCpu / 1e9;
        Console.WriteLine($"{r.Name,-34} {Ms(r.OursWall),9} {Ms(r.TorchWall),9} {r.WallRatio,6:F2} | {Ms(r.OursCpu),8} {Ms(r.TorchCpu),8} {r.CpuRatio,6:F2} | {Gf(og),8} {Pc(og, peak),6} {Pc(oc, core),6} {Gf(tg),8} {Pc(tc, core),6} | {r.OursMB,8:F2} {Gc(r.OursGcPer100),14} {100 * r.OursPauseShare,5:F1}%");
    }

    private static string Gc((double G0, double G1, double G2) g) =>
        string.Create(CultureInfo.InvariantCulture, $"{g.G0:0.#}/{g.G1:0.#}/{g.G2:0.#}");

    /// <summary>Seconds as ms (or µs below 1 ms).</summary>
    private static string Ms(double s) => s >= 1e-3 ? (s * 1e3).ToString("F2", CultureInfo.InvariantCulture) + "ms" : (s * 1e6).ToString("F1", CultureInfo.InvariantCulture) + "µs";
}
