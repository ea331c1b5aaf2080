using System.Text;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// One cell's text output on its way to the cell's sink: stdout and stderr are batched briefly (the router's timer
/// flushes them), so a loop that prints streams as it runs without one message per character. Once the cell has
/// ended it is closed, and nothing more reaches its sink.
/// </summary>
internal sealed class CellOutput(IOutputSink sink)
{
    // A buffer that grew past this (one huge print) is dropped after flushing rather than cleared: StringBuilder.Clear
    // keeps its capacity, which would hold the print's memory for the rest of the session.
    private const int KeptCapacity = 64 * 1024;

    private readonly object _gate = new();
    private StringBuilder _stdout = new();
    private StringBuilder _stderr = new();

    public IOutputSink Sink { get; } = sink;

    public bool IsClosed { get; private set; }

    /// <summary>Buffers text; false when the cell has ended, so the caller routes it elsewhere.</summary>
    public bool TryWrite(string stream, ReadOnlySpan<char> text)
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return false;
            }
            (stream == "stderr" ? _stderr : _stdout).Append(text);
            return true;
        }
    }

    /// <summary>Sends what is buffered. The sink is called under the lock, so no flush can overtake <see cref="Close"/>.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }
            Send("stdout", ref _stdout);
            Send("stderr", ref _stderr);
        }
    }

    /// <summary>Sends what is left and closes: called when the cell ends, before its reply and idle status.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }
            Send("stdout", ref _stdout);
            Send("stderr", ref _stderr);
            IsClosed = true;
        }
    }

    /// <summary>Runs <paramref name="send"/> unless the cell has ended (displays, clear_output); false when it has.</summary>
    public bool TrySend(Action<IOutputSink> send)
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return false;
            }
            Send("stdout", ref _stdout);
            Send("stderr", ref _stderr);
            send(Sink);
            return true;
        }
    }

    private void Send(string name, ref StringBuilder buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }
        var text = buffer.ToString();
        if (buffer.Capacity > KeptCapacity)
        {
            buffer = new StringBuilder();
        }
        else
        {
            buffer.Clear();
        }
        Sink.Stream(name, text);
    }
}
