using System.Text.Json.Nodes;
using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Cli;

/// <summary>
/// Collects a cell's outputs in .ipynb form while it runs headless, applying what a frontend
/// would: consecutive stream text merges, display updates replace earlier outputs in place,
/// clear_output empties the cell.
/// </summary>
internal sealed class OutputCollector(int executionCount) : IOutputSink
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<JsonObject>> _byDisplayId = [];
    private bool _clearOnNextOutput;

    public JsonArray Outputs { get; } = [];

    public int ExecutionCount => executionCount;

    public void Stream(string name, string text) => Add(() =>
    {
        if (Outputs.Count > 0 && Outputs[^1] is JsonObject last && last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
        {
            last["text"] = last["text"]!.GetValue<string>() + text;
            return;
        }
        Outputs.Add(new JsonObject { ["name"] = name, ["output_type"] = "stream", ["text"] = text });
    });

    public void Display(MimeBundle bundle, string? displayId, bool update) => Add(() =>
    {
        if (update)
        {
            if (displayId is not null && _byDisplayId.TryGetValue(displayId, out var shown))
            {
                foreach (var output in shown)
                {
                    output["data"] = Data(bundle);
                }
            }
            return;
        }
        var added = new JsonObject { ["data"] = Data(bundle), ["metadata"] = new JsonObject(), ["output_type"] = "display_data" };
        Outputs.Add(added);
        if (displayId is not null)
        {
            if (!_byDisplayId.TryGetValue(displayId, out var list))
            {
                _byDisplayId[displayId] = list = [];
            }
            list.Add(added);
        }
    }, isUpdate: update);

    public void Result(MimeBundle bundle) => Add(() => Outputs.Add(new JsonObject
    {
        ["data"] = Data(bundle),
        ["execution_count"] = executionCount,
        ["metadata"] = new JsonObject(),
        ["output_type"] = "execute_result",
    }));

    public void ClearOutput(bool wait)
    {
        lock (_gate)
        {
            if (wait)
            {
                _clearOnNextOutput = true;
            }
            else
            {
                Outputs.Clear();
            }
        }
    }

    public string RequestInput(string prompt, bool password) =>
        throw new InvalidOperationException("This notebook is running headless: there is no one to type input (Console.ReadLine).");

    public void AddError(CellError error) => Add(() => Outputs.Add(new JsonObject
    {
        ["ename"] = error.Name,
        ["evalue"] = error.Value,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(error.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
    }));

    private void Add(Action add, bool isUpdate = false)
    {
        lock (_gate)
        {
            // An update changes what is there; only new output triggers a waiting clear.
            if (_clearOnNextOutput && !isUpdate)
            {
                Outputs.Clear();
                _clearOnNextOutput = false;
            }
            add();
        }
    }

    private static JsonObject Data(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle.Data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // nbformat keeps text mime types as line lists.
            data[mime] = mime.StartsWith("text/", StringComparison.Ordinal) || mime == "image/svg+xml" ? Notebooks.IpynbFormat.SplitSource(value) : value;
        }
        return data;
    }
}
