using System.Diagnostics;
using System.Globalization;
using Notebooks.Bench.Libtorch;

// `dotnet run -c Release --project bench/libtorch -- lstm [--quick] [--same-process] [--torch-threads N]`: our training step beside
// libtorch's, same weights and data (see bench/README.md). By default each side runs in a process of its own, ours and
// libtorch's alternately (pairs), and the ratio is taken pair by pair; `--same-process` times both interleaved in one
// process instead. `--side ours|torch` is the child run.
var mode = args.FirstOrDefault() ?? "lstm";
bool quick = args.Contains("--quick");
var side = args.SkipWhile(a => a != "--side").Skip(1).FirstOrDefault();
// libtorch's intra-op threads (default: every core, as torch does); on a busy machine 1 can be faster.
var torchThreads = int.Parse(args.SkipWhile(a => a != "--torch-threads").Skip(1).FirstOrDefault() ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

if (mode == "profile")
{
    Profile.Run(torchThreads);
    return 0;
}

if (mode != "lstm")
{
    Console.Error.WriteLine($"unknown benchmark '{mode}' (known: lstm, profile)");
    return 2;
}

if (side is not null)
{
    Console.WriteLine(LstmStep.Alone(side, quick ? 6 : 21, torchThreads));
    return 0;
}

if (args.Contains("--same-process"))
{
    Console.WriteLine(LstmStep.Time(quick));
    return 0;
}

Console.WriteLine(LstmStep.Header + $", libtorch threads {torchThreads}");
int pairs = quick ? 2 : 5;
var ratios = new List<double>();
var lines = new Dictionary<string, List<string[]>> { ["ours"] = [], ["torch"] = [] };
for (int i = 0; i < pairs; i++)
{
    var ms = new Dictionary<string, double>();
    foreach (var s in i % 2 == 0 ? new[] { "ours", "torch" } : ["torch", "ours"])
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        // Started as `dotnet Notebooks.Bench.Libtorch.dll`: the host needs the assembly first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") psi.ArgumentList.Add(typeof(LstmStep).Assembly.Location);
        foreach (var a in new[] { "lstm", "--side", s, "--torch-threads", torchThreads.ToString(CultureInfo.InvariantCulture) }.Concat(quick ? ["--quick"] : Array.Empty<string>())) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var fields = p.StandardOutput.ReadToEnd().Trim().Split(' ');   // ms/step, peak MB, growth MB, allocated MB/step, loss
        p.WaitForExit();
        lines[s].Add(fields);
        ms[s] = double.Parse(fields[0], CultureInfo.InvariantCulture);
    }
    ratios.Add(ms["ours"] / ms["torch"]);
}
string Med(string s, int k) => lines[s].Select(f => double.Parse(f[k], CultureInfo.InvariantCulture)).Order().ElementAt(lines[s].Count / 2).ToString("F2", CultureInfo.InvariantCulture);
Console.WriteLine($"  ours     {Med("ours", 0),8} ms/step   peak working set {Med("ours", 1)} MB (+{Med("ours", 2)} MB while stepping)   managed allocation {Med("ours", 3)} MB/step   first loss {lines["ours"][0][4]}");
Console.WriteLine($"  libtorch {Med("torch", 0),8} ms/step   peak working set {Med("torch", 1)} MB (+{Med("torch", 2)} MB while stepping)   first loss {lines["torch"][0][4]}");
Console.WriteLine($"  ours / libtorch time, median of {pairs} pairs of processes: {ratios.Order().ElementAt(ratios.Count / 2):F2}   (each: {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})");
return 0;
