using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using Notebooks.Bench.Libtorch;
using TS = TorchSharp.torch;

// dotnet bench/Libtorch/bin/Release/net10.0/Notebooks.Bench.Libtorch.dll <gemm|lenet|lstm|memory|all> [--quick]
//     [--threads N] [--isa avx2|avx512]
// Ours beside libtorch, one table format (see Table.cs) and one timing method (Pairing.cs) for every figure. Each
// configuration runs in a child process: every core, then one core (DOTNET_PROCESSOR_COUNT and torch.set_num_threads
// alike), and on an AVX-512 CPU each again with AVX-512 hidden from .NET, ATen, MKL and oneDNN (DOTNET_EnableAVX512F=0
// and the others below: the AVX2 path on the same machine). --threads / --isa pick one configuration.
string[] known = ["gemm", "lenet", "lstm", "memory", "all"];
var what = args.FirstOrDefault(a => known.Contains(a));
if (what is null)
{
    Console.Error.WriteLine($"usage: Notebooks.Bench.Libtorch <{string.Join('|', known)}> [--quick] [--threads N] [--isa avx2|avx512] [--rows name|name]");
    return 2;
}
bool quick = args.Contains("--quick");
string? Opt(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
if (Opt("--rows") is { } rows) Environment.SetEnvironmentVariable("LIBTORCH_BENCH_ROWS", rows);

if (Opt("--child") is { } child)
{
    int threads = Environment.ProcessorCount;
    TS.set_num_threads(threads);
    string Load() => OperatingSystem.IsLinux() ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
    Console.WriteLine($"== {(Avx512F.IsSupported ? "AVX-512" : "AVX2")}, {threads} thread(s) each (ours and libtorch {TS.__version__}); load average {Load()} at start");
    foreach (var part in what == "all" ? known[..^1] : [what])
    {
        switch (part)
        {
            case "gemm": GemmRows.Run(quick); break;
            case "lenet": LeNetStep.Run(quick); break;
            case "lstm": LstmStep.Run(quick); break;
            case "memory": MemoryBound.Run(quick); break;
        }
    }
    Console.WriteLine($"FMA peak float32: {Peak.PerCore:F1} GFLOP/s per core per CPU-second; load average {Load()} at end");
    return 0;
}

var isas = Opt("--isa") is { } isa ? [isa] : Avx512F.IsSupported ? new[] { "avx512", "avx2" } : ["avx2"];
var threadCounts = Opt("--threads") is { } t ? [int.Parse(t)] : new[] { Environment.ProcessorCount, 1 }.Distinct().ToArray();
if (!Avx512F.IsSupported) Console.WriteLine("No AVX-512 on this CPU: the AVX2 tables only (the switch is there for an AVX-512 machine).");
int failed = 0;
foreach (var i in isas)
    foreach (var th in threadCounts)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Started as `dotnet Notebooks.Bench.Libtorch.dll`: the host needs the assembly first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") psi.ArgumentList.Add(typeof(Pairing).Assembly.Location);
        foreach (var a in new[] { what, "--child", $"{i}:{th}" }.Concat(quick ? ["--quick"] : Array.Empty<string>())) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_PROCESSOR_COUNT"] = th.ToString();
        // On one processor the runtime waits ten times longer (1 s) before re-JITting hot methods at full
        // optimisation; Pairing's warm-up ends after 250 ms without a compilation, so the one-core tables timed
        // tier-0 code for the cheapest calls ([300,2]·[2,1] at 6 µs instead of 1 µs). The usual delay restores it.
        psi.Environment["DOTNET_TC_DelaySingleProcMultiplier"] = "1";
        if (i == "avx2")
        {
            psi.Environment["DOTNET_EnableAVX512F"] = "0";
            psi.Environment["ATEN_CPU_CAPABILITY"] = "avx2";
            psi.Environment["MKL_ENABLE_INSTRUCTIONS"] = "AVX2";
            psi.Environment["ONEDNN_MAX_CPU_ISA"] = "AVX2";
        }
        Console.WriteLine();
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) failed++;
    }
return failed == 0 ? 0 : 1;
