using System.Text.Json.Nodes;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Protocol;

namespace Notebooks.Kernel.Requests;

/// <summary>
/// Publishes a cell's outputs as iopub messages whose parent is the execute_request. Closed when the cell ends,
/// before its reply and idle status: front ends drop output that comes after idle, so a closed sink sends nothing
/// (the output router has already moved the cell's late output elsewhere; this is the last guard).
/// </summary>
internal sealed class IopubSink(RequestHandler handler, JupyterMessage request, int executionCount, bool silent, bool allowStdin) : IOutputSink
{
    private readonly object _gate = new();
    private bool _closed;

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }

    private void Publish(string type, JsonObject content)
    {
        lock (_gate)
        {
            if (_closed)
            {
                Log.Warn($"{type} after its cell ended was not sent");
                return;
            }
            handler.Publish(type, content, request);
        }
    }

    public void Stream(string name, string text)
    {
        if (!silent)
        {
            Publish("stream", new JsonObject { ["name"] = name, ["text"] = text });
        }
    }

    public void Display(MimeBundle bundle, string? displayId, bool update)
    {
        if (silent)
        {
            return;
        }
        var content = ReplyContent.Bundle(bundle);
        if (displayId is not null)
        {
            content["transient"] = new JsonObject { ["display_id"] = displayId };
        }
        Publish(update ? "update_display_data" : "display_data", content);
    }

    /// <summary>The text/plain of the cell's result, if it had one: history keeps it as the cell's output.</summary>
    public string? ResultText { get; private set; }

    public void Result(MimeBundle bundle)
    {
        ResultText = bundle.Data.TryGetValue(MimeBundle.PlainText, out var text) ? text : null;
        if (silent)
        {
            return;
        }
        var content = ReplyContent.Bundle(bundle);
        content["execution_count"] = executionCount;
        Publish("execute_result", content);
    }

    public void ClearOutput(bool wait)
    {
        if (!silent)
        {
            Publish("clear_output", new JsonObject { ["wait"] = wait });
        }
    }

    public string RequestInput(string prompt, bool password)
    {
        if (!allowStdin)
        {
            throw new InvalidOperationException("This frontend does not support input: the execute_request said allow_stdin = false.");
        }
        return handler.RequestInput(request, prompt, password);
    }
}
