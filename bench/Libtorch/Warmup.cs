using System.Diagnostics;

namespace Notebooks.Bench.Libtorch;

/// <summary>
/// Calls a body until the JIT has compiled nothing for a while (tiered JIT, OSR, PGO re-JIT), so the timed code is
/// the optimised code. The quiet window must outlast the runtime's tier-up delay: call counting starts only after
/// TC_CallCountingDelayMs (100 ms) without new tier-0 code, and a process that sees ONE processor
/// (DOTNET_PROCESSOR_COUNT=1, as the one-core configuration runs) multiplies that delay by TC_DelaySingleProcMultiplier
/// (10; runtime's tieredcompilation.cpp / clrconfignames.h). A 250 ms window then ended before any method had been
/// promoted, and the one-core rows timed tier-0 code: the LSTM step measured 2-4× its optimised time.
/// </summary>
internal static class Warmup
{
    /// <summary>
    /// The runtime's call-counting delay in this process, in milliseconds. Program.cs starts the one-core child with
    /// DOTNET_TC_DelaySingleProcMultiplier=1 (the usual delay); a child started by hand without it gets the 1 s one,
    /// and the warm-up waits for that.
    /// </summary>
    private static readonly double DelayMs = 100.0 * (Environment.ProcessorCount == 1
        ? int.TryParse(Environment.GetEnvironmentVariable("DOTNET_TC_DelaySingleProcMultiplier"), out int m) && m >= 1 ? m : 10
        : 1);

    public static void Run(Action body)
    {
        double quietMs = 2.5 * DelayMs, minMs = 3 * DelayMs, maxMs = 50 * DelayMs;
        var sw = Stopwatch.StartNew();
        long jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        double quietSince = 0;
        for (int calls = 0; calls < 3 || sw.Elapsed.TotalMilliseconds < minMs || sw.Elapsed.TotalMilliseconds - quietSince < quietMs; calls++)
        {
            body();
            if (sw.Elapsed.TotalMilliseconds > maxMs) break;
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != jitted) { jitted = now; quietSince = sw.Elapsed.TotalMilliseconds; }
        }
    }
}
