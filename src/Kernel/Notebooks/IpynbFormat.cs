using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Notebooks.Kernel.Notebooks;

/// <summary>Reads and writes Jupyter's .ipynb (nbformat 4; written as 4.5, with cell ids).</summary>
internal static partial class IpynbFormat
{
    private static readonly JsonSerializerOptions s_write = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Notebook Read(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("A notebook must be a JSON object.");
        var major = root["nbformat"]?.GetValue<int>() ?? 0;
        if (major != 4)
        {
            throw new InvalidDataException($"Only nbformat 4 notebooks are supported (this one says nbformat {major}).");
        }
        var notebook = new Notebook { Metadata = root["metadata"]?.DeepClone() as JsonObject ?? [] };
        var seen = new HashSet<string>();
        foreach (var node in root["cells"] as JsonArray ?? [])
        {
            if (node is not JsonObject c)
            {
                continue;
            }
            var cell = new NotebookCell
            {
                CellType = c["cell_type"]?.GetValue<string>() ?? NotebookCell.Code,
                Source = JoinSource(c["source"]),
                Metadata = c["metadata"]?.DeepClone() as JsonObject ?? [],
                Outputs = c["outputs"]?.DeepClone() as JsonArray ?? [],
                ExecutionCount = c["execution_count"] is JsonValue count && count.TryGetValue<int>(out var n) ? n : null,
                Attachments = c["attachments"]?.DeepClone() as JsonObject,
            };
            var id = c["id"]?.GetValue<string>();
            // Older notebooks (4.0-4.4) have no ids; duplicates are invalid in 4.5.
            cell.Id = id is not null && ValidId().IsMatch(id) && seen.Add(id) ? id : UniqueId(seen);
            if (cell.Metadata["dotnet_interactive"]?["language"] is JsonValue language && language.TryGetValue<string>(out var lang))
            {
                cell.Language = lang;
            }
            notebook.Cells.Add(cell);
        }
        return notebook;
    }

    public static Notebook ReadFile(string path) => Read(File.ReadAllText(path));

    public static string Write(Notebook notebook)
    {
        var cells = new JsonArray();
        foreach (var cell in notebook.Cells)
        {
            var c = new JsonObject();
            if (cell.Attachments is not null)
            {
                c["attachments"] = cell.Attachments.DeepClone();
            }
            c["cell_type"] = cell.CellType;
            if (cell.IsCode)
            {
                c["execution_count"] = cell.ExecutionCount;
            }
            c["id"] = cell.Id;
            c["metadata"] = cell.Metadata.DeepClone();
            if (cell.IsCode)
            {
                c["outputs"] = new JsonArray(cell.Outputs.Select(o => (JsonNode?)NormalizeOutput(o)).ToArray());
            }
            c["source"] = SplitSource(cell.Source);
            cells.Add(c);
        }
        var root = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = Sorted(notebook.Metadata),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return root.ToJsonString(s_write) + "\n";
    }

    /// <summary>Jupyter's default metadata for a C# notebook run by this kernel.</summary>
    public static JsonObject DefaultMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = KernelIdentity.DisplayName, ["language"] = "csharp", ["name"] = KernelIdentity.DefaultKernelName },
        ["language_info"] = KernelIdentity.LanguageInfo(),
    };

    // Outputs are written as nbformat does: keys sorted, text split into lines.
    private static JsonNode? NormalizeOutput(JsonNode? output)
    {
        if (Sorted(output) is not JsonObject o)
        {
            return output?.DeepClone();
        }
        if (o["text"] is JsonValue text && text.TryGetValue<string>(out var t))
        {
            o["text"] = SplitSource(t);
        }
        if (o["data"] is JsonObject data)
        {
            foreach (var key in data.Select(p => p.Key).ToList())
            {
                if ((key.StartsWith("text/", StringComparison.Ordinal) || key == "image/svg+xml") && data[key] is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    data[key] = SplitSource(s);
                }
            }
        }
        return o;
    }

    // nbformat stores multi-line strings as a list of lines, each keeping its newline.
    internal static JsonArray SplitSource(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }
        return lines;
    }

    internal static string JoinSource(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a => string.Concat(a.Select(l => l?.GetValue<string>() ?? "")),
        _ => "",
    };

    // Sorted keys, as nbformat writes them, keep diffs of re-saved notebooks small.
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    private static string UniqueId(HashSet<string> seen)
    {
        string id;
        do
        {
            id = NotebookCell.NewId();
        }
        while (!seen.Add(id));
        return id;
    }

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex ValidId();
}
