using System.Diagnostics;

namespace Notebooks.Magics;

/// <summary><c>#!time</c>: wall time and this process's CPU time over a cell, in one wording for both hosts.</summary>
public sealed class CellTimer
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    // Reading the process's CPU time costs a /proc read, so only a timed cell pays it.
    private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>"Wall time: 12.3 ms (CPU time: 10.0 ms)" for the time since this timer was made.</summary>
    public string Report() => Format(_wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - _cpu);

    public static string Format(TimeSpan wall, TimeSpan cpu) => $"Wall time: {Describe(wall)} (CPU time: {Describe(cpu)})";

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.00} s" : $"{span.TotalMilliseconds:0.0} ms";
}
