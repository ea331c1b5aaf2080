using System.Collections.Concurrent;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Owns Console.Out, Console.Error and Console.In for the process and sends what cell code writes to the cell that
/// wrote it. As ipykernel's OutStream keeps its parent in a context variable (iostream.py, <c>_parent_header</c>),
/// the cell is an <see cref="AsyncLocal{T}"/>: tasks, threads and timers a cell starts carry it, so their output goes
/// to that cell, never to another. Once that cell has ended, what its tasks still write goes to the kernel's own
/// stdout/stderr (its log): front ends drop output that comes after a cell's idle status, and showing it under
/// whichever cell runs then would say that cell printed it. Code no cell started (a library's own thread) writes to
/// the running cell, as ipykernel's global parent does, or to the log when none runs.
/// </summary>
internal static class OutputRouter
{
    private static readonly object s_gate = new();
    private static readonly AsyncLocal<CellOutput?> s_started = new();
    private static readonly ConcurrentDictionary<CellOutput, byte> s_open = new();
    private static volatile CellOutput? s_running;
    private static RoutedWriter? s_out;
    private static RoutedWriter? s_err;
    private static Timer? s_timer;

    /// <summary>The console as it was before routing; the kernel's own diagnostics go here.</summary>
    public static TextWriter OriginalOut { get; private set; } = Console.Out;

    public static TextWriter OriginalError { get; private set; } = Console.Error;

    /// <summary>The sink output written here and now goes to, or null when no cell would take it.</summary>
    public static IOutputSink? CurrentSink => Current()?.Sink;

    public static void Install()
    {
        lock (s_gate)
        {
            if (s_out is not null)
            {
                return;
            }
            OriginalOut = Console.Out;
            OriginalError = Console.Error;
            s_out = new RoutedWriter("stdout", OriginalOut);
            s_err = new RoutedWriter("stderr", OriginalError);
            Console.SetOut(s_out);
            Console.SetError(s_err);
            Console.SetIn(new RoutedReader());
            s_timer = new Timer(_ => Flush(), null, 50, 50);
        }
    }

    /// <summary>Starts routing this flow's output (and that of everything it starts) to <paramref name="sink"/>.</summary>
    public static CellOutput BeginCell(IOutputSink sink)
    {
        var cell = new CellOutput(sink);
        s_open[cell] = 0;
        s_started.Value = cell;
        s_running = cell;
        return cell;
    }

    /// <summary>Sends the cell's last output and closes it; it is no longer the running cell.</summary>
    public static void EndCell(CellOutput cell, CellOutput? previous)
    {
        cell.Close();
        s_open.TryRemove(cell, out _);
        if (ReferenceEquals(s_running, cell))
        {
            s_running = previous is { IsClosed: false } ? previous : null;
        }
        s_started.Value = previous;
    }

    /// <summary>The cell this flow belongs to (null outside cells), for nesting.</summary>
    public static CellOutput? StartedBy => s_started.Value;

    public static void Flush()
    {
        foreach (var cell in s_open.Keys)
        {
            cell.Flush();
        }
    }

    /// <summary>Sends a display or clear_output to the current cell, after the text written before it.</summary>
    public static void Send(Action<IOutputSink> send, string what)
    {
        if (Current() is { } cell && cell.TrySend(send))
        {
            return;
        }
        Log.Warn($"{what} from a task whose cell had ended (or from outside any cell) was not shown");
    }

    private static CellOutput? Current()
    {
        var started = s_started.Value;
        if (started is not null)
        {
            return started.IsClosed ? null : started;
        }
        return s_running;
    }

    private sealed class RoutedWriter(string name, TextWriter fallback) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => Route([value]);

        public override void Write(string? value) => Route(value);

        public override void Write(char[] buffer, int index, int count) => Route(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer) => Route(buffer);

        public override void Flush() => OutputRouter.Flush();

        private void Route(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty)
            {
                return;
            }
            // A cell that ends between the lookup and the write refuses the text, which then goes to the log.
            if (Current() is { } cell && cell.TryWrite(name, text))
            {
                return;
            }
            lock (fallback)
            {
                fallback.Write(text);
                fallback.Flush();
            }
        }
    }

    private sealed class RoutedReader : TextReader
    {
        private string _pending = "";

        public override string? ReadLine()
        {
            if (_pending.Length > 0)
            {
                var rest = _pending.TrimEnd('\n');
                _pending = "";
                return rest;
            }
            return Ask();
        }

        public override int Read()
        {
            if (!HasPending())
            {
                return -1;
            }
            var c = _pending[0];
            _pending = _pending[1..];
            return c;
        }

        public override int Peek() => HasPending() ? _pending[0] : -1;

        /// <summary>Character reads take from the pending rest of a line, asking the front end for the next one when it is used up.</summary>
        private bool HasPending()
        {
            if (_pending.Length > 0)
            {
                return true;
            }
            var line = Ask();
            if (line is null)
            {
                return false;
            }
            _pending = line + "\n";
            return true;
        }

        private static string? Ask()
        {
            Flush();
            var sink = CurrentSink ?? throw new InvalidOperationException("No cell is running, so there is nobody to read input from.");
            return sink.RequestInput("", password: false);
        }
    }
}
