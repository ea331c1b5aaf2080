using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Notebooks.Bench;

// Two builds of Notebooks.Tensors timed against each other in ONE process, so both see the same machine at the same
// moment (on a shared machine, separate runs minutes apart differ by more than the changes we measure). Each build
// is loaded in its own AssemblyLoadContext with its own copy of Workloads; after a warm-up, every round times a short
// batch of A and of B back to back (which goes first alternates), and the report is the median of the per-round
// ratios B/A, by wall and by thread CPU time, with each side's best time.
//
//   dotnet bench/AB/bin/Release/net10.0/Notebooks.Bench.AB.dll <dir of build A> <dir of build B> [rounds] [workload[:calls],...]
//
// A directory is one holding a Notebooks.Tensors.dll (e.g. another worktree's src/Tensors/bin/Release/net10.0);
// the library's own dependencies come from this program's folder when the directory lacks them.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Notebooks.Bench.AB <dir of build A> <dir of build B> [rounds]");
    return 2;
}
int rounds = args.Length > 2 ? int.Parse(args[2]) : 31;
var sides = new[] { new Side(args[0]), new Side(args[1]) };
(string Name, int Calls)[] all = [("Add", 20000), ("MulScalar", 20000), ("Chain", 100), ("Step", 1000),
    ("Copy", 200), ("Relu", 200), ("ReluInPlace", 200), ("MaxPool", 200), ("BatchNorm", 200), ("Conv2", 20), ("WeightGrad", 20),
    ("Mm64f", 200), ("Mm128f", 40), ("Mm256f", 5), ("Mm64d", 100), ("Mm256d", 3), ("HWt", 50), ("XWt", 10), ("LstmFwd", 3), ("Lstm", 2)];
// A fourth argument picks workloads by name (comma-separated), each optionally with its calls per batch ("Lstm:4");
// by default the per-op four.
var workloads = args.Length > 3
    ? args[3].Split(',').Select(w => w.Split(':')).Select(p => (p[0], p.Length > 1 ? int.Parse(p[1]) : all.First(a => a.Name == p[0]).Calls)).ToArray()
    : all[..4];
foreach (var s in sides) s.Setup();

var warm = Stopwatch.StartNew();
while (warm.Elapsed.TotalSeconds < 4)
    foreach (var s in sides)
        foreach (var (name, calls) in workloads) s.Run(name, calls / 10);

Console.WriteLine($"{"workload",-10} {"A best µs",10} {"B best µs",10}  {"B/A wall",9} {"(IQR)",15}  {"B/A CPU",8}");
foreach (var (name, calls) in workloads)
{
    var wall = new List<double>(); var cpu = new List<double>();
    double[] best = [double.MaxValue, double.MaxValue];
    for (int r = 0; r < rounds; r++)
    {
        double[] tw = new double[2], tc = new double[2];
        foreach (int i in r % 2 == 0 ? [0, 1] : new[] { 1, 0 })
        {
            (tw[i], tc[i]) = (double.MaxValue, double.MaxValue);
            for (int k = 0; k < 3; k++)
            {
                double c0 = CpuTime.Thread(); long t0 = Stopwatch.GetTimestamp();
                sides[i].Run(name, calls);
                tw[i] = Math.Min(tw[i], Stopwatch.GetElapsedTime(t0).TotalSeconds / calls);
                tc[i] = Math.Min(tc[i], (CpuTime.Thread() - c0) / calls);
            }
            best[i] = Math.Min(best[i], tw[i]);
        }
        wall.Add(tw[1] / tw[0]); cpu.Add(tc[1] / tc[0]);
    }
    wall.Sort(); cpu.Sort();
    Console.WriteLine($"{name,-10} {best[0] * 1e6,10:F3} {best[1] * 1e6,10:F3}  {wall[rounds / 2],9:F3} {$"({wall[rounds / 4]:F3}-{wall[3 * rounds / 4]:F3})",15}  {cpu[rounds / 2],8:F3}");
}
return 0;

/// <summary>One build: its Notebooks.Tensors and a copy of this assembly (for Workloads) in a load context of their own.</summary>
sealed class Side
{
    private readonly Type _workloads;
    private readonly Dictionary<string, Action<int>> _runs = [];

    public Side(string dir)
    {
        if (!File.Exists(Path.Combine(dir, "Notebooks.Tensors.dll")))
            throw new FileNotFoundException($"no Notebooks.Tensors.dll in {dir}");
        var context = new BuildContext(Path.GetFullPath(dir));
        _workloads = context.LoadFromAssemblyPath(typeof(Side).Assembly.Location).GetType("Notebooks.Bench.AB.Workloads")!;
        foreach (var m in _workloads.GetMethods(BindingFlags.Public | BindingFlags.Static))
            if (m.GetParameters() is [{ ParameterType: var p }] && p == typeof(int)) _runs[m.Name] = m.CreateDelegate<Action<int>>();
    }

    public void Setup() => _workloads.GetMethod("Setup")!.Invoke(null, null);
    public void Run(string name, int calls) => _runs[name](calls);
}

/// <summary>Resolves Notebooks.Tensors from the build's folder; everything else as this program does.</summary>
sealed class BuildContext : AssemblyLoadContext
{
    private readonly string _dir;
    public BuildContext(string dir) : base(dir, isCollectible: false) => _dir = dir;

    protected override Assembly? Load(AssemblyName name) =>
        name.Name == "Notebooks.Tensors" ? LoadFromAssemblyPath(Path.Combine(_dir, name.Name + ".dll")) : null;
}
