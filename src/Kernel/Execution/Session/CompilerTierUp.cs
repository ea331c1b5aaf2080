using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Compiles throw-away cells in the background while the kernel is idle, so that the .NET runtime re-compiles
/// Roslyn's hot paths (tiered JIT, after ~30 calls per method) before the user's cells need them.
/// </summary>
/// <remarks>
/// Measured with bench/kernel_latency.py: a fresh kernel's warm cells cost ~10 ms for the first few hundred cells
/// and ~7 ms after, the difference being the runtime still promoting Roslyn's code. These submissions are bound and
/// emitted (with a PDB, as real cells are) but never loaded or run, so they leave no assembly or state behind. Work
/// yields to every request: it only runs while <c>isBusy</c> says nothing is queued or executing.
/// NOTEBOOKS_KERNEL_TIER_UP=0 turns it off.
/// </remarks>
internal static class CompilerTierUp
{
    // Shapes of typical lesson cells: expressions, declarations, lambdas, interpolation, a method, a type.
    private static readonly string[] s_cells =
    [
        "1 + 1",
        "var __a = new[] { 1.0, 2.0, 3.0 }; __a.Sum() / __a.Length",
        "Console.WriteLine($\"step {1}: {2.5:F3}\");",
        "var __xs = new List<int> { 1, 2, 3 }; __xs.Where(x => x % 2 == 1).Select(x => x * x).ToList()",
        "int __Twice(int n) => 2 * n; __Twice(21)",
        "for (var __i = 0; __i < 3; __i++) { if (__i == 2) break; }",
        "record __P(int X, string Y); new __P(1, \"a\").ToString()",
    ];

    public static int Iterations { get; } = 240;

    public static bool Enabled => Environment.GetEnvironmentVariable("NOTEBOOKS_KERNEL_TIER_UP") != "0";

    /// <summary>Starts the background thread; it ends by itself after <see cref="Iterations"/> compilations.</summary>
    public static Thread? Start(Script basis, ScriptOptions options, Func<bool> isBusy, CancellationToken stop)
    {
        if (!Enabled)
        {
            return null;
        }
        var thread = new Thread(() => Run(basis, options, isBusy, stop))
        {
            IsBackground = true,
            Name = "compiler tier-up",
            Priority = ThreadPriority.BelowNormal,
        };
        thread.Start();
        return thread;
    }

    private static void Run(Script basis, ScriptOptions options, Func<bool> isBusy, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var emitOptions = new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb);
        try
        {
            for (var i = 0; i < Iterations && !stop.IsCancellationRequested; i++)
            {
                while (isBusy())
                {
                    if (stop.WaitHandle.WaitOne(20))
                    {
                        return;
                    }
                }
                var script = basis.ContinueWith(s_cells[i % s_cells.Length], options);
                var compilation = script.GetCompilation();
                using var pe = new MemoryStream();
                using var pdb = new MemoryStream();
                compilation.Emit(pe, pdb, options: emitOptions, cancellationToken: stop);
            }
            if (KernelTrace.Enabled)
            {
                Log.Warn($"compiler tier-up: {Iterations} background compilations in {clock.ElapsedMilliseconds} ms");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only ever an optimisation: a failure here must not reach the user.
            Log.Warn($"compiler tier-up stopped: {e.Message}");
        }
    }
}
