using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Notebooks;

/// <summary>A notebook independent of its file format; outputs are kept in Jupyter's JSON shape.</summary>
internal sealed class Notebook
{
    public JsonObject Metadata { get; set; } = [];

    public List<NotebookCell> Cells { get; } = [];
}

internal sealed class NotebookCell
{
    public const string Code = "code";
    public const string Markdown = "markdown";
    public const string Raw = "raw";

    public string Id { get; set; } = NewId();

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType { get; set; } = Code;

    public string Source { get; set; } = "";

    public JsonObject Metadata { get; set; } = [];

    public JsonArray Outputs { get; set; } = [];

    public int? ExecutionCount { get; set; }

    /// <summary>Markdown cells' embedded images, kept as read.</summary>
    public JsonObject? Attachments { get; set; }

    /// <summary>The Polyglot kernel a .dib section names ("csharp", "fsharp" ...); null means the notebook's default.</summary>
    public string? Language { get; set; }

    public bool IsCode => CellType == Code;

    public IEnumerable<string> Tags =>
        Metadata["tags"] is JsonArray tags ? tags.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : "") : [];

    /// <summary>An nbformat 4.5 cell id: 1-64 characters of letters, digits, '-' and '_'.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N")[..8];
}
