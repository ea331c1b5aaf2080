using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Notebooks.Kernel.Notebooks;

/// <summary>
/// Rewrites the parts of an output that cannot repeat between two executions (object addresses, timings, GUIDs and
/// random element ids, version hashes, temp paths) into fixed placeholders, so two runs' outputs can be compared as text.
/// </summary>
internal static partial class OutputNormalizer
{
    /// <summary>Normalises plain text (streams, text/plain, error values).</summary>
    public static string Text(string text)
    {
        text = text.Replace("\r\n", "\n");
        text = Address().Replace(text, "${prefix}0x…");
        text = UserSpacePointer().Replace(text, "0x…");
        text = Guid().Replace(text, "<guid>");
        text = CompactGuid().Replace(text, "<guid>");
        text = VersionHash().Replace(text, "${version}+<hash>");
        text = TempPath().Replace(text, "<tmp>");
        text = Timing().Replace(text, "${label}<time>");
        text = Rate().Replace(text, "<rate>");
        text = Clock().Replace(text, "<clock>");
        text = Duration().Replace(text, "<duration>");
        return TrimTrailingNewlines(text);
    }

    /// <summary>Normalises text/html and image/svg+xml: everything <see cref="Text"/> does, plus random-looking element ids.</summary>
    public static string Markup(string markup)
    {
        markup = Text(markup);
        // Ids a renderer generates (hex runs with digits and letters), wherever they are referenced: id="…", url(#…), JS.
        return RandomHex().Replace(markup, "<id>");
    }

    public static string TrimTrailingNewlines(string text) => text.TrimEnd('\n', '\r');

    // <AddBackward0 object at 0x7f3a…>, <function f at 0x…>, "id=0x…".
    [GeneratedRegex(@"(?<prefix>\bat |\bid[=:] ?)0x[0-9a-fA-F]+\b")]
    private static partial Regex Address();

    // A bare x86-64/arm64 user-space heap or mmap address: 0x7f…/0x55…/0x56… with 12 hex digits.
    [GeneratedRegex(@"\b0x(?:7f|7e|55|56)[0-9a-fA-F]{10}\b")]
    private static partial Regex UserSpacePointer();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex Guid();

    // Guid.ToString("N"), also glued to a name (renderPlotly_<32 hex>).
    [GeneratedRegex(@"(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-zA-Z])")]
    private static partial Regex CompactGuid();

    // An informational version with its commit hash: 1.2.3+4f2a9c1 or 1.0.0-beta.1+abcdef….
    [GeneratedRegex(@"(?<version>\b\d+\.\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.\-]+)?)\+[0-9a-fA-F]{7,40}\b")]
    private static partial Regex VersionHash();

    // /tmp/…, /var/folders/… (macOS), %TEMP% on Windows.
    [GeneratedRegex(@"(?:(?<![\w.])/(?:tmp|var/tmp|var/folders|private/var/folders)|[A-Za-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp)(?:[/\\][^\s""'<>,;:)\]]*)?")]
    private static partial Regex TempPath();

    // "Wall time: 12.3 ms", "CPU time: 1.20 s", "CPU times: user 1 ms, sys: 2 ms, total: 3 ms", "Elapsed: …".
    [GeneratedRegex(@"(?<label>\b(?:Wall time|CPU times?|user|sys|total|Elapsed|elapsed|Took|took|Time|time taken)\s*[:=]?\s*)\d+(?:[.,]\d+)?\s?(?:ns|µs|μs|us|ms|s|sec|secs|seconds?|min|minutes?|h)\b")]
    private static partial Regex Timing();

    // Progress rates: "12.34it/s", "0.50 s/it", "123 samples/s".
    [GeneratedRegex(@"\b\d+(?:[.,]\d+)?\s?(?:it/s|s/it|samples/s|steps/s|batches/s)")]
    private static partial Regex Rate();

    // Clock readings: 0:00:12, 00:00:01.2345678 (TimeSpan), and a progress bar's [00:01<00:02, …] (not a slice's 1:10).
    [GeneratedRegex(@"(?<![\d:.])(?:\d{1,2}:\d{2}:\d{2}(?:\.\d+)?|(?<=[\[<])\d{2}:\d{2})(?![\d:])")]
    private static partial Regex Clock();

    // A stand-alone duration: "(0.05 s)", "in 12.3 ms", "1.5 µs ± 20 ns per loop".
    [GeneratedRegex(@"(?<![\w.])\d+(?:[.,]\d+)?\s?(?:ns|µs|μs|us|ms|s|sec|secs|seconds)(?![\w/])")]
    private static partial Regex Duration();

    // A hex run of 8+ characters mixing digits and letters, not part of a longer word: generated element ids.
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?![0-9A-Za-z])")]
    private static partial Regex RandomHex();
}

/// <summary>One output that differs between the committed notebook and its re-execution.</summary>
/// <param name="OutputIndex">Index into the committed cell's (stream-merged) outputs; -1 for the cell as a whole.</param>
internal sealed record OutputDifference(string Notebook, string CellId, int OutputIndex, string Message, string Diff)
{
    public override string ToString()
    {
        var where = OutputIndex < 0 ? $"{Notebook}: cell {CellId}" : $"{Notebook}: cell {CellId}, output {OutputIndex}";
        return Diff.Length == 0 ? $"{where}: {Message}" : $"{where}: {Message}\n{Diff}";
    }
}

/// <summary>
/// Compares a committed notebook's code-cell outputs with a re-executed copy's, cell by cell (matched by id) and output
/// by output, after <see cref="OutputNormalizer"/>. Cells that show the GPU's state (their source mentions nvidia-smi or
/// torch.cuda) are compared only for the presence of outputs, and for an error the committed cell did not have.
/// </summary>
internal static class OutputComparison
{
    /// <summary>Rich mimes compared after normalisation; any other mime is compared only for its presence.</summary>
    private static readonly string[] s_markupMimes = ["text/html", "image/svg+xml"];

    private static readonly string[] s_gpuMarkers = ["nvidia-smi", "torch.cuda"];

    public static bool ShowsGpuState(NotebookCell cell) => s_gpuMarkers.Any(m => cell.Source.Contains(m, StringComparison.Ordinal));

    public static List<OutputDifference> Compare(Notebook committed, Notebook executed, string name)
    {
        var differences = new List<OutputDifference>();
        var committedCells = committed.Cells.Where(c => c.IsCode).ToList();
        var executedCells = executed.Cells.Where(c => c.IsCode).ToList();
        var byId = new Dictionary<string, NotebookCell>();
        foreach (var cell in executedCells)
        {
            byId.TryAdd(cell.Id, cell);
        }
        // A notebook older than nbformat 4.5 has no ids (the reader makes random ones): match such cells by position.
        var byPosition = committedCells.Count > 0 && !committedCells.Any(c => byId.ContainsKey(c.Id));
        for (var i = 0; i < committedCells.Count; i++)
        {
            var cell = committedCells[i];
            var other = byPosition ? (i < executedCells.Count ? executedCells[i] : null) : byId.GetValueOrDefault(cell.Id);
            if (other is null)
            {
                differences.Add(new(name, cell.Id, -1, "the re-executed notebook has no such code cell", ""));
                continue;
            }
            CompareCell(cell, other, name, differences);
        }
        if (!byPosition)
        {
            var known = committedCells.Select(c => c.Id).ToHashSet();
            foreach (var extra in executedCells.Where(c => !known.Contains(c.Id) && c.Outputs.Count > 0))
            {
                differences.Add(new(name, extra.Id, -1, "a code cell the committed notebook does not have", ""));
            }
        }
        else if (executedCells.Count > committedCells.Count)
        {
            differences.Add(new(name, executedCells[committedCells.Count].Id, -1, "a code cell the committed notebook does not have", ""));
        }
        return differences;
    }

    private static void CompareCell(NotebookCell cell, NotebookCell other, string name, List<OutputDifference> differences)
    {
        var expected = MergeStreams(cell.Outputs);
        var actual = MergeStreams(other.Outputs);
        if (ShowsGpuState(cell))
        {
            // A CI machine has no GPU and a GPU machine shows its own: only "it printed something" can repeat.
            if ((expected.Count > 0) != (actual.Count > 0))
            {
                differences.Add(new(name, cell.Id, -1,
                    expected.Count > 0 ? "GPU-state cell: the committed cell has outputs, the re-executed one has none"
                                       : "GPU-state cell: the re-executed cell has outputs, the committed one has none", ""));
            }
            for (var k = 0; k < actual.Count; k++)
            {
                if (Type(actual[k]) == "error" && !expected.Any(o => Type(o) == "error"))
                {
                    differences.Add(new(name, cell.Id, k, $"GPU-state cell: unexpected error {ErrorText(actual[k])}", ""));
                }
            }
            return;
        }
        var count = Math.Max(expected.Count, actual.Count);
        for (var k = 0; k < count; k++)
        {
            if (k >= expected.Count)
            {
                differences.Add(new(name, cell.Id, k, $"unexpected extra {Describe(actual[k])} output", Diff("", Summary(actual[k]))));
                continue;
            }
            if (k >= actual.Count)
            {
                differences.Add(new(name, cell.Id, k, $"missing {Describe(expected[k])} output", Diff(Summary(expected[k]), "")));
                continue;
            }
            CompareOutput(expected[k], actual[k], name, cell.Id, k, differences);
        }
    }

    private static void CompareOutput(JsonObject expected, JsonObject actual, string name, string cellId, int index, List<OutputDifference> differences)
    {
        var type = Type(expected);
        if (type != Type(actual))
        {
            differences.Add(new(name, cellId, index, $"output type {type} became {Type(actual)}", Diff(Summary(expected), Summary(actual))));
            return;
        }
        switch (type)
        {
            case "stream":
                var stream = Str(expected["name"]);
                if (stream != Str(actual["name"]))
                {
                    differences.Add(new(name, cellId, index, $"stream {stream} became {Str(actual["name"])}", ""));
                    return;
                }
                AddIfDifferent(OutputNormalizer.Text(Str(expected["text"])), OutputNormalizer.Text(Str(actual["text"])), $"{stream} text differs");
                break;
            case "error":
                AddIfDifferent(ErrorText(expected), ErrorText(actual), "error differs");
                break;
            case "execute_result" or "display_data":
                var a = expected["data"] as JsonObject ?? [];
                var b = actual["data"] as JsonObject ?? [];
                var mimesA = a.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                var mimesB = b.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                if (!mimesA.SequenceEqual(mimesB))
                {
                    differences.Add(new(name, cellId, index, $"mime types differ", Diff(string.Join("\n", mimesA), string.Join("\n", mimesB))));
                }
                if (a.ContainsKey("text/plain") || b.ContainsKey("text/plain"))
                {
                    AddIfDifferent(OutputNormalizer.Text(Str(a["text/plain"])), OutputNormalizer.Text(Str(b["text/plain"])), "text/plain differs");
                }
                foreach (var mime in s_markupMimes.Where(m => a.ContainsKey(m) && b.ContainsKey(m)))
                {
                    AddIfDifferent(OutputNormalizer.Markup(Str(a[mime])), OutputNormalizer.Markup(Str(b[mime])), $"{mime} differs");
                }
                break;
            default:
                AddIfDifferent(Summary(expected), Summary(actual), $"{type} output differs");
                break;
        }

        void AddIfDifferent(string x, string y, string message)
        {
            if (x != y)
            {
                differences.Add(new(name, cellId, index, message, Diff(x, y)));
            }
        }
    }

    /// <summary>Jupyter front ends show consecutive writes to one stream as one block; runners may split them differently.</summary>
    internal static List<JsonObject> MergeStreams(JsonArray outputs)
    {
        var merged = new List<JsonObject>();
        foreach (var node in outputs)
        {
            if (node is not JsonObject o)
            {
                continue;
            }
            if (Type(o) == "stream" && merged.Count > 0 && merged[^1] is var last && Type(last) == "stream" && Str(last["name"]) == Str(o["name"]))
            {
                last["text"] = Str(last["text"]) + Str(o["text"]);
                continue;
            }
            var copy = (JsonObject)o.DeepClone();
            if (Type(copy) == "stream")
            {
                copy["text"] = Str(copy["text"]);
            }
            merged.Add(copy);
        }
        return merged;
    }

    private static string Type(JsonObject output) => Str(output["output_type"]);

    private static string ErrorText(JsonObject error) =>
        OutputNormalizer.Text($"{Str(error["ename"])}: {Str(error["evalue"])}");

    private static string Describe(JsonObject output) => Type(output) switch
    {
        "stream" => $"stream ({Str(output["name"])})",
        "error" => $"error ({Str(output["ename"])})",
        var t => t,
    };

    private static string Summary(JsonObject output) => Type(output) switch
    {
        "stream" => $"[{Str(output["name"])}] " + OutputNormalizer.Text(Str(output["text"])),
        "error" => "[error] " + ErrorText(output),
        "execute_result" or "display_data" when output["data"] is JsonObject data && data.ContainsKey("text/plain") =>
            $"[{Type(output)}] " + OutputNormalizer.Text(Str(data["text/plain"])),
        var t => $"[{t}] " + OutputNormalizer.Text((output["data"] as JsonObject)?.ToJsonString() ?? output.ToJsonString()),
    };

    /// <summary>Text kept as nbformat stores it: a string or a list of lines.</summary>
    private static string Str(JsonNode? node) => IpynbFormat.JoinSource(node);

    /// <summary>
    /// A short unified diff: the common leading and trailing lines are cut to <paramref name="context"/> lines, the changed
    /// block is shown as removed then added lines, at most <paramref name="maxLines"/> of them, each cut to 200 characters.
    /// </summary>
    public static string Diff(string expected, string actual, int context = 2, int maxLines = 24)
    {
        if (expected == actual)
        {
            return "";
        }
        var a = expected.Length == 0 ? [] : expected.Split('\n');
        var b = actual.Length == 0 ? [] : actual.Split('\n');
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }
        var start = Math.Max(0, prefix - context);
        var endA = Math.Min(a.Length, a.Length - suffix + context);
        var endB = Math.Min(b.Length, b.Length - suffix + context);
        var sb = new StringBuilder();
        sb.Append("    --- committed\n    +++ re-executed\n");
        sb.Append($"    @@ -{start + 1},{endA - start} +{start + 1},{endB - start} @@\n");
        var lines = new List<string>();
        for (var i = start; i < prefix; i++)
        {
            lines.Add(" " + a[i]);
        }
        for (var i = prefix; i < a.Length - suffix; i++)
        {
            lines.Add("-" + a[i]);
        }
        for (var i = prefix; i < b.Length - suffix; i++)
        {
            lines.Add("+" + b[i]);
        }
        for (var i = a.Length - suffix; i < endA; i++)
        {
            lines.Add(" " + a[i]);
        }
        // Long lines (minified HTML/SVG) are shown around the first column where the changed block differs.
        var column = 0;
        if (prefix < a.Length - suffix && prefix < b.Length - suffix)
        {
            var (x, y) = (a[prefix], b[prefix]);
            while (column < x.Length && column < y.Length && x[column] == y[column])
            {
                column++;
            }
        }
        foreach (var line in lines.Take(maxLines))
        {
            sb.Append("    ").Append(Crop(line, line[0] == ' ' ? 0 : column)).Append('\n');
        }
        if (lines.Count > maxLines)
        {
            sb.Append($"    … {lines.Count - maxLines} more lines\n");
        }
        return sb.ToString().TrimEnd('\n');
    }

    // The marker character, then at most 200 characters of the text starting a little before column.
    private static string Crop(string line, int column)
    {
        const int width = 200;
        var text = line[1..];
        if (text.Length <= width)
        {
            return line;
        }
        var start = Math.Clamp(column - 60, 0, text.Length - 1);
        var length = Math.Min(width, text.Length - start);
        return line[0] + (start > 0 ? "…" : "") + text.Substring(start, length) + (start + length < text.Length ? "…" : "");
    }
}
