using System.Diagnostics;
using System.Text;

namespace Notebooks.Kernel;

/// <summary>
/// An opt-in per-phase timing of each request (NOTEBOOKS_KERNEL_TRACE=1), one line per request on
/// the kernel's stderr, to see where a warm cell's milliseconds go. Off, every call is one branch.
/// </summary>
internal static class KernelTrace
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("NOTEBOOKS_KERNEL_TRACE") is "1" or "true";

    // A request is traced on the thread that handles it; phases in between are marked from anywhere on that thread.
    [ThreadStatic]
    private static Request? t_current;

    /// <summary>Starts timing a request from when its frames arrived and when they were decoded (Stopwatch timestamps).</summary>
    public static void Begin(string what, long receivedAt, long decodedAt)
    {
        if (!Enabled)
        {
            return;
        }
        var request = new Request(what, receivedAt);
        request.Mark("decode", decodedAt);
        request.Mark("queued");
        t_current = request;
    }

    /// <summary>Closes the phase that began at the previous mark.</summary>
    public static void Mark(string phase)
    {
        if (Enabled && t_current is { } request)
        {
            request.Mark(phase);
        }
    }

    public static void End()
    {
        if (Enabled && t_current is { } request)
        {
            t_current = null;
            Log.Warn(request.Summary());
        }
    }

    /// <summary>A one-off event worth seeing beside the timings (a cell that needed every framework reference).</summary>
    public static void Note(string message)
    {
        if (Enabled)
        {
            Log.Warn($"trace note: {message}");
        }
    }

    /// <summary>Times work on another thread (the socket thread's encode and send) as its own line.</summary>
    public static void Single(string what, long startedAt)
    {
        if (Enabled)
        {
            Log.Warn($"trace {what}: {Milliseconds(Stopwatch.GetTimestamp() - startedAt):F3} ms");
        }
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed class Request(string what, long start)
    {
        private readonly List<(string Phase, long At)> _marks = [];
        private readonly long _allocated = GC.GetAllocatedBytesForCurrentThread();
        private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

        public void Mark(string phase, long? at = null) => _marks.Add((phase, at ?? Stopwatch.GetTimestamp()));

        public string Summary()
        {
            var text = new StringBuilder($"trace {what}:");
            var last = start;
            foreach (var (phase, at) in _marks)
            {
                text.Append($" {phase} {Milliseconds(at - last):F3}");
                last = at;
            }
            text.Append($" | total {Milliseconds(Stopwatch.GetTimestamp() - start):F3} ms");
            // Roslyn allocates megabytes a cell; how many collections that costs is part of the picture.
            text.Append($" | allocated {(GC.GetAllocatedBytesForCurrentThread() - _allocated) / 1024} KB");
            text.Append($", gc {GC.CollectionCount(0) - _collections[0]}/{GC.CollectionCount(1) - _collections[1]}/{GC.CollectionCount(2) - _collections[2]}");
            return text.ToString();
        }
    }
}
