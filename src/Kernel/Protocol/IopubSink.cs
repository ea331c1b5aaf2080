using System.Text.Json.Nodes;
using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Protocol;

/// <summary>Publishes a cell's outputs as iopub messages whose parent is the execute_request.</summary>
internal sealed class IopubSink(KernelServer server, JupyterMessage request, int executionCount, bool silent, bool allowStdin) : IOutputSink
{
    public void Stream(string name, string text)
    {
        if (!silent)
        {
            server.Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, request);
        }
    }

    public void Display(MimeBundle bundle, string? displayId, bool update)
    {
        if (silent)
        {
            return;
        }
        var content = Bundle(bundle);
        if (displayId is not null)
        {
            content["transient"] = new JsonObject { ["display_id"] = displayId };
        }
        server.Publish(update ? "update_display_data" : "display_data", content, request);
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
        var content = Bundle(bundle);
        content["execution_count"] = executionCount;
        server.Publish("execute_result", content, request);
    }

    public void ClearOutput(bool wait)
    {
        if (!silent)
        {
            server.Publish("clear_output", new JsonObject { ["wait"] = wait }, request);
        }
    }

    public string RequestInput(string prompt, bool password)
    {
        if (!allowStdin)
        {
            throw new InvalidOperationException("This frontend does not support input: the execute_request said allow_stdin = false.");
        }
        return server.RequestInput(request, prompt, password);
    }

    internal static JsonObject Bundle(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle.Data)
        {
            data[mime] = value;
        }
        var metadata = new JsonObject();
        foreach (var (key, value) in bundle.Metadata ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }
        return new JsonObject { ["data"] = data, ["metadata"] = metadata };
    }
}
