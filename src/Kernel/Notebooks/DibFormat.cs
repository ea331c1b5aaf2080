using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Notebooks;

/// <summary>
/// Polyglot Notebooks' .dib text format: sections introduced by a line "#!kernel" (csharp,
/// markdown, ...) and an optional leading "#!meta" section holding the notebook's JSON metadata.
/// It has no outputs. Other "#!" lines (magics such as #!time) are cell content.
/// </summary>
internal static class DibFormat
{
    private static readonly HashSet<string> s_sectionKernels = new(StringComparer.OrdinalIgnoreCase)
    {
        "meta", "csharp", "c#", "fsharp", "f#", "markdown", "md", "pwsh", "powershell", "javascript", "js",
        "html", "sql", "kql", "mermaid", "http", "value",
    };

    public static Notebook Read(string text)
    {
        var notebook = new Notebook();
        string? kernel = null;
        var body = new List<string>();
        foreach (var rawLine in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = rawLine.TrimEnd();
            if (line.StartsWith("#!", StringComparison.Ordinal) && s_sectionKernels.Contains(line[2..]))
            {
                Flush();
                kernel = line[2..].ToLowerInvariant();
                continue;
            }
            body.Add(rawLine);
        }
        Flush();
        return notebook;

        void Flush()
        {
            var content = Trim(body);
            body.Clear();
            if (kernel is null)
            {
                // Text before the first section belongs to a C# cell, as in Polyglot.
                if (content.Length == 0)
                {
                    return;
                }
                kernel = "csharp";
            }
            if (kernel == "meta")
            {
                notebook.Metadata = content.Length > 0 ? JsonNode.Parse(content) as JsonObject ?? [] : [];
                return;
            }
            var markdown = kernel is "markdown" or "md";
            notebook.Cells.Add(new NotebookCell
            {
                CellType = markdown ? NotebookCell.Markdown : NotebookCell.Code,
                Source = content,
                Language = markdown ? "markdown" : kernel is "c#" ? "csharp" : kernel is "f#" ? "fsharp" : kernel,
            });
        }
    }

    public static Notebook ReadFile(string path) => Read(File.ReadAllText(path));

    public static string Write(Notebook notebook)
    {
        var text = new StringBuilder();
        if (notebook.Metadata.Count > 0)
        {
            text.Append("#!meta\n\n").Append(notebook.Metadata.ToJsonString(new JsonSerializerOptions { WriteIndented = false })).Append("\n\n");
        }
        foreach (var cell in notebook.Cells)
        {
            var kernel = cell.CellType == NotebookCell.Markdown ? "markdown" : cell.Language ?? "csharp";
            text.Append("#!").Append(kernel).Append("\n\n").Append(cell.Source.TrimEnd('\n')).Append("\n\n");
        }
        return text.ToString();
    }

    private static string Trim(List<string> lines)
    {
        var start = 0;
        var end = lines.Count;
        while (start < end && lines[start].Trim().Length == 0)
        {
            start++;
        }
        while (end > start && lines[end - 1].Trim().Length == 0)
        {
            end--;
        }
        return string.Join("\n", lines.Skip(start).Take(end - start));
    }
}
