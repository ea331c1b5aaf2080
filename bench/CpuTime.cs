using System.Runtime.InteropServices;

namespace Notebooks.Bench;

/// <summary>CPU seconds consumed by this thread or this process (Linux clock_gettime; wall time elsewhere).</summary>
internal static unsafe partial class CpuTime
{
    private const int ProcessClock = 2, ThreadClock = 3;

    public static double Thread() => Read(ThreadClock);
    public static double Process() => Read(ProcessClock);

    private static double Read(int clock)
    {
        if (!OperatingSystem.IsLinux()) return System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;
        Timespec t;
        clock_gettime(clock, &t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clock, Timespec* t);
}
