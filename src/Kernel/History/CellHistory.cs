using System.Text.Json.Nodes;

namespace Notebooks.Kernel.History;

/// <summary>
/// What IPython's HistoryManager keeps for history_request: each stored cell's input by session and
/// line (its execution_count) and, when it had one, its result's text/plain. This process's session
/// is kept in memory; earlier sessions come from <see cref="HistoryFiles"/> when there are any.
/// </summary>
internal sealed class CellHistory(HistoryFiles? files = null)
{
    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];

    /// <summary>This process's session number: its history file's, or 1 when history is not saved.</summary>
    public int Session { get; } = files?.Session ?? 1;

    private sealed record Entry(int Session, int Line, string Input)
    {
        public string? Output { get; set; }
    }

    public void Record(int line, string input)
    {
        lock (_gate)
        {
            _entries.Add(new Entry(Session, line, input));
        }
        files?.AppendInput(line, input);
    }

    public void RecordOutput(int line, string output)
    {
        lock (_gate)
        {
            if (_entries.LastOrDefault(e => e.Line == line) is { } entry)
            {
                entry.Output = output;
            }
        }
        files?.AppendOutput(line, output);
    }

    // Every session's cells, oldest first; earlier sessions are read afresh, as other kernels may be adding to theirs.
    private List<Entry> All()
    {
        var all = files is null ? [] : files.Earlier().Select(c => new Entry(c.Session, c.Line, c.Input) { Output = c.Output }).ToList();
        lock (_gate)
        {
            all.AddRange(_entries);
        }
        return all;
    }

    /// <summary>The last <paramref name="n"/> cells of all sessions, oldest first (IPython's get_tail with include_latest).</summary>
    public JsonArray Tail(int n, bool output)
    {
        var all = All();
        return Rows(all.Skip(Math.Max(0, all.Count - Math.Max(0, n))), output);
    }

    /// <summary>
    /// Lines start..stop-1 of a session (IPython's get_range): a session of 0 or less counts back from
    /// this one; a negative start or stop counts back from the end; no stop means to the end.
    /// </summary>
    public JsonArray Range(int session, int start, int? stop, bool output)
    {
        if (session <= 0)
        {
            session += Session;
        }
        List<Entry> cells;
        if (session == Session)
        {
            lock (_gate)
            {
                cells = [.. _entries];
            }
        }
        else
        {
            cells = files is null ? [] : [.. All().Where(e => e.Session == session)];
        }
        // IPython's list of inputs has an empty line 0, so its length is the next line number.
        var n = cells.Count == 0 ? 1 : cells[^1].Line + 1;
        if (start < 0)
        {
            start += n;
        }
        var end = stop is not { } s || s == 0 || s > n ? n : s < 0 ? s + n : s;
        return Rows(cells.Where(e => e.Line >= start && e.Line < end), output);
    }

    /// <summary>
    /// Cells of all sessions whose input matches a glob (<c>*</c>, <c>?</c>, <c>[...]</c>, case-sensitive, the whole
    /// input, as SQLite's GLOB that IPython uses; see <see cref="HistoryGlob"/>); <paramref name="unique"/> keeps each input's latest
    /// occurrence; <paramref name="n"/> keeps the last n matches. Oldest first.
    /// </summary>
    public JsonArray Search(string pattern, int? n, bool unique, bool output, CancellationToken cancellation = default)
    {
        var glob = new HistoryGlob(pattern);
        IEnumerable<Entry> matches = All().Where(e =>
        {
            cancellation.ThrowIfCancellationRequested();
            return glob.IsMatch(e.Input, cancellation);
        });
        if (unique)
        {
            var latest = matches.GroupBy(e => e.Input, StringComparer.Ordinal).Select(g => g.Last()).ToHashSet();
            matches = matches.Where(latest.Contains);
        }
        var list = matches.ToList();
        if (n is { } count)
        {
            list = list.Skip(Math.Max(0, list.Count - Math.Max(0, count))).ToList();
        }
        return Rows(list, output);
    }

    private static JsonArray Rows(IEnumerable<Entry> entries, bool output)
    {
        var rows = new JsonArray();
        foreach (var entry in entries)
        {
            JsonNode line = output ? new JsonArray(entry.Input, entry.Output) : JsonValue.Create(entry.Input)!;
            rows.Add(new JsonArray(entry.Session, entry.Line, line));
        }
        return rows;
    }
}
