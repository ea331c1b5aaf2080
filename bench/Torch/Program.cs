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
Console.WriteLine("Each round: an FMA-peak burst, then ours, then libtorch. Wall clock: the best GFLOP/s over the rounds, % of the best");
Console.WriteLine("peak burst on as many cores. CPU time: all timed calls' flops over their CPU-seconds summed over threads, % of one");
Console.WriteLine("core's peak per CPU-second; time spent descheduled by other work on the machine does not count there.");
Console.WriteLine($"{"product",-32} {"ours",8} {"%peak",6} {"torch",8} {"%peak",6} {"ratio",6} | {"ours",6} {"torch",6} {"ratio",6}  (CPU time)");

double peakCore = FmaPeak.PerCoreCpuTime();
double peakAll = 0;
void Row(string name, double flops, bool f64, Action ours, Action theirs, int rounds)
{
    double div = f64 ? 2 : 1;
    double ow = 0, tw = 0, pw = 0, ocpu = 0, tcpu = 0, oflops = 0, tflops = 0;
    Measure.Best(ours, 1, 1);
    Measure.Best(theirs, 1, 1);
    for (int r = 0; r < rounds; r++)
    {
        pw = Math.Max(pw, FmaPeak.Measure(0.05).gflops / div);
        peakCore = Math.Max(peakCore, FmaPeak.PerCoreCpuTime(3));
        var (w, c, n) = Best(ours); ow = Math.Max(ow, flops / w / 1e9); ocpu += c; oflops += n * flops;
        (w, c, n) = Best(theirs); tw = Math.Max(tw, flops / w / 1e9); tcpu += c; tflops += n * flops;
    }
    peakAll = Math.Max(peakAll, pw * div);
    double core = peakCore / div, oc = oflops / ocpu / 1e9, tc = tflops / tcpu / 1e9;
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

// The best wall-clock seconds per call over a few ~30 ms repeats, and the process CPU-seconds (all threads) those
// repeats took in total, with the number of calls. CPU time is totalled, not the best taken: the kernel adds a
// running thread's latest slice to the process clock only at its next tick, so each reading can be a tick short,
// and the best of many short windows would pick the most undercounted one; over all windows the errors average out.
static (double wall, double cpu, long calls) Best(Action body)
{
    var sw = Stopwatch.StartNew();
    body();
    int calls = (int)Math.Clamp(30 / Math.Max(sw.Elapsed.TotalMilliseconds, 1e-3), 1, 1_000_000);
    double wall = double.MaxValue, cpu = 0;
    for (int r = 0; r < 3; r++)
    {
        double c0 = CpuTime.Process();
        sw.Restart();
        for (int i = 0; i < calls; i++) body();
        wall = Math.Min(wall, sw.Elapsed.TotalSeconds / calls);
        cpu += CpuTime.Process() - c0;
    }
    return (wall, cpu, 3L * calls);
}

static (Notebooks.Tensors.Tensor, Notebooks.Tensors.Tensor, TS.Tensor, TS.Tensor) Pair(long[] sa, long[] sb, bool f64)
{
    var a = Ours.randn(sa, dtype: f64 ? Ours.float64 : Ours.float32);
    var b = Ours.randn(sb, dtype: f64 ? Ours.float64 : Ours.float32);
    var x = TS.randn(sa, dtype: f64 ? TS.float64 : TS.float32);
    var y = TS.randn(sb, dtype: f64 ? TS.float64 : TS.float32);
    return (a, b, x, y);
}
