using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using Notebooks.Bench;
using Ours = Notebooks.Tensors.torch;
using TS = TorchSharp.torch;

// Our matmul beside libtorch's (through TorchSharp), in the same process, interleaved with FMA-peak bursts:
//   dotnet run -c Release --project bench/Torch [-- --quick]
// prints one table per configuration: all cores and one core, and on an AVX-512 machine each of them again with
// AVX-512 hidden from .NET, ATen, MKL and oneDNN (the AVX2 path on the same CPU).
bool quick = args.Contains("--quick");
var childArg = args.SkipWhile(a => a != "--child").Skip(1).FirstOrDefault();
if (childArg is null)
{
    var configs = new List<(string isa, int threads)>();
    foreach (var isa in Avx512F.IsSupported ? new[] { "avx512", "avx2" } : ["avx2"])
        foreach (var th in new[] { Environment.ProcessorCount, 1 }.Distinct()) configs.Add((isa, th));
    if (!Avx512F.IsSupported) Console.WriteLine("No AVX-512 on this CPU: only the AVX2 tables. Run this on an AVX-512 machine for both.");
    foreach (var (isa, th) in configs)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") psi.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--child");
        psi.ArgumentList.Add($"{isa}:{th}");
        psi.Environment["DOTNET_PROCESSOR_COUNT"] = th.ToString();
        if (isa == "avx2")
        {
            psi.Environment["DOTNET_EnableAVX512F"] = "0";
            psi.Environment["ATEN_CPU_CAPABILITY"] = "avx2";
            psi.Environment["MKL_ENABLE_INSTRUCTIONS"] = "AVX2";
            psi.Environment["ONEDNN_MAX_CPU_ISA"] = "AVX2";
        }
        Console.WriteLine();
        Process.Start(psi)!.WaitForExit();
    }
    return;
}

int threads = Environment.ProcessorCount;
TS.set_num_threads(threads);
string Load() => OperatingSystem.IsLinux() ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
Console.WriteLine($"== {(Avx512F.IsSupported ? "AVX-512" : "AVX2")}, {threads} thread(s): ours vs libtorch {TS.__version__}; load average {Load()} at start");
Console.WriteLine("Each round: an FMA-peak burst, then ours, then libtorch. Best over the rounds of wall-clock GFLOP/s (% of the best");
Console.WriteLine("peak burst on as many cores), and of GFLOP per CPU-second summed over threads (% of one core's peak per CPU-second,");
Console.WriteLine("which time spent descheduled by other work on the machine does not dilute).");
Console.WriteLine($"{"product",-32} {"ours",8} {"%peak",6} {"torch",8} {"%peak",6} {"ratio",6} | {"ours",6} {"torch",6} {"ratio",6}  (CPU time)");

double peakCore = FmaPeak.PerCoreCpuTime();
double peakAll = 0;
void Row(string name, double flops, bool f64, Action ours, Action theirs, int rounds)
{
    double div = f64 ? 2 : 1;
    double ow = 0, oc = 0, tw = 0, tc = 0, pw = 0;
    Measure.Best(ours, 1, 1);
    Measure.Best(theirs, 1, 1);
    for (int r = 0; r < rounds; r++)
    {
        pw = Math.Max(pw, FmaPeak.Measure(0.05).gflops / div);
        peakCore = Math.Max(peakCore, FmaPeak.PerCoreCpuTime(3));
        var (w, c) = Best(ours); ow = Math.Max(ow, flops / w / 1e9); oc = Math.Max(oc, flops / c / 1e9);
        (w, c) = Best(theirs); tw = Math.Max(tw, flops / w / 1e9); tc = Math.Max(tc, flops / c / 1e9);
    }
    peakAll = Math.Max(peakAll, pw * div);
    double core = peakCore / div;
    Console.WriteLine($"{name,-32} {ow,8:F1} {100 * ow / pw,5:F0}% {tw,8:F1} {100 * tw / pw,5:F0}% {ow / tw,5:F2}x | {100 * oc / core,5:F0}% {100 * tc / core,5:F0}% {oc / tc,5:F2}x");
}

int rounds = quick ? 3 : 7;
int[] sizes = quick ? [64, 256, 1024] : [64, 128, 256, 512, 1024, 2048];
foreach (var f64 in new[] { false, true })
    foreach (var n in sizes)
    {
        var (a, b, x, y) = Pair([n, n], [n, n], f64);
        Row($"{(f64 ? "f64" : "f32")} {n}³", 2.0 * n * n * n, f64, () => a.matmul(b), () => x.matmul(y).Dispose(), n >= 2048 ? 3 : rounds);
    }
// Training-loop shapes (batch × in → out), a weight gradient's shape, batched, broadcast and transposed operands.
foreach (var (name, sa, sb) in new (string, long[], long[])[]
{
    ("f32 [64,784]·[784,256]", [64, 784], [784, 256]),
    ("f32 [32,128]·[128,512]", [32, 128], [128, 512]),
    ("f32 [300,2]·[2,1]", [300, 2], [2, 1]),
    ("f32 [784,64]·[64,256]", [784, 64], [64, 256]),
    ("f32 [16,64,64]·[16,64,64]", [16, 64, 64], [16, 64, 64]),
    ("f32 [8,128,256]·[256,64]", [8, 128, 256], [256, 64]),
})
{
    var (a, b, x, y) = Pair(sa, sb, false);
    double flops = 2.0 * sa.Aggregate(1L, (p, d) => p * d) * sb[^1];
    Row(name, flops, false, () => a.matmul(b), () => x.matmul(y).Dispose(), rounds);
}
{
    int m = quick ? 256 : 1024;
    var (a, b, x, y) = Pair([m, m], [m, m], false);
    Row($"f32 aᵀ·bᵀ {m}³", 2.0 * m * m * m, false, () => a.t().matmul(b.t()), () => x.t().matmul(y.t()).Dispose(), rounds);
}
Console.WriteLine($"FMA peak float32: {peakAll:F1} GFLOP/s wall on {threads} core(s) (best burst), {peakCore:F1} per core per CPU-second; load average {Load()} at end");

// Seconds per call, wall-clock and process CPU time (all threads), each the best of a few ~30 ms repeats.
static (double wall, double cpu) Best(Action body)
{
    var sw = Stopwatch.StartNew();
    body();
    int calls = (int)Math.Clamp(30 / Math.Max(sw.Elapsed.TotalMilliseconds, 1e-3), 1, 1_000_000);
    double wall = double.MaxValue, cpu = double.MaxValue;
    for (int r = 0; r < 3; r++)
    {
        double c0 = CpuTime.Process();
        sw.Restart();
        for (int i = 0; i < calls; i++) body();
        wall = Math.Min(wall, sw.Elapsed.TotalSeconds / calls);
        cpu = Math.Min(cpu, Math.Max(CpuTime.Process() - c0, 1e-9) / calls);
    }
    return (wall, cpu);
}

static (Notebooks.Tensors.Tensor, Notebooks.Tensors.Tensor, TS.Tensor, TS.Tensor) Pair(long[] sa, long[] sb, bool f64)
{
    var a = Ours.randn(sa, dtype: f64 ? Ours.float64 : Ours.float32);
    var b = Ours.randn(sb, dtype: f64 ? Ours.float64 : Ours.float32);
    var x = TS.randn(sa, dtype: f64 ? TS.float64 : TS.float32);
    var y = TS.randn(sb, dtype: f64 ? TS.float64 : TS.float32);
    return (a, b, x, y);
}
