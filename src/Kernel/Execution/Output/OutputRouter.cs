using System.Text;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Owns Console.Out, Console.Error and Console.In for the process: what a cell prints goes to the
/// sink of the cell that is running, batched briefly so a loop that prints streams as it runs
/// without sending one message per character.
/// </summary>
internal static class OutputRouter
{
    private static readonly object s_gate = new();
    private static RoutedWriter? s_out;
    private static RoutedWriter? s_err;
    private static Timer? s_timer;
    private static volatile IOutputSink? s_sink;

    /// <summary>The console as it was before routing; the kernel's own diagnostics go here.</summary>
    public static TextWriter OriginalOut { get; private set; } = Console.Out;

    public static TextWriter OriginalError { get; private set; } = Console.Error;

    public static IOutputSink? Sink
    {
        get => s_sink;
        set
        {
            Flush();
            s_sink = value;
        }
    }

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

    public static void Flush()
    {
        s_out?.Flush();
        s_err?.Flush();
    }

    private sealed class RoutedWriter(string name, TextWriter fallback) : TextWriter
    {
        private readonly StringBuilder _buffer = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_buffer)
            {
                _buffer.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_buffer)
            {
                _buffer.Append(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_buffer)
            {
                _buffer.Append(buffer, index, count);
            }
        }

        public override void Flush()
        {
            string text;
            lock (_buffer)
            {
                if (_buffer.Length == 0)
                {
                    return;
                }
                text = _buffer.ToString();
                _buffer.Clear();
            }
            var sink = s_sink;
            if (sink is null)
            {
                fallback.Write(text);
                fallback.Flush();
            }
            else
            {
                sink.Stream(name, text);
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
            var sink = s_sink ?? throw new InvalidOperationException("No cell is running, so there is nobody to read input from.");
            return sink.RequestInput("", password: false);
        }
    }
}
