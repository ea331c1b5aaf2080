using System.Text.Json.Nodes;
using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Requests;

/// <summary>The JSON shapes replies and iopub messages share: an error's ename/evalue/traceback, a MIME bundle.</summary>
internal static class ReplyContent
{
    public static JsonObject Error(CellError error) => new()
    {
        ["ename"] = error.Name,
        ["evalue"] = error.Value,
        ["traceback"] = new JsonArray(error.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
    };

    /// <summary>A reply with status "error", as the protocol's error replies carry (ename, evalue, traceback).</summary>
    public static JsonObject ErrorReply(string name, string value)
    {
        var content = Error(new CellError(name, value, [$"{name}: {value}"]));
        content["status"] = "error";
        return content;
    }

    public static JsonObject Bundle(MimeBundle bundle)
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
