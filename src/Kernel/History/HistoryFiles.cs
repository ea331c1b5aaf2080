using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notebooks.Kernel.History;

/// <summary>
/// Keeps history across kernel restarts, as IPython's history database does: one append-only file
/// per session (session-N.jsonl) in Jupyter's data directory. A session's number is taken by creating
/// its file with CreateNew, which only one process can win, so concurrent kernels never share a
/// number or a file, and each file has one writer. Any I/O failure turns persisting off for the
/// process with one log line: history must never fail a cell.
/// </summary>
internal sealed class HistoryFiles
{
    private const string Prefix = "session-";
    private const string Extension = ".jsonl";
    // IPython's database grows without end; one file per kernel start would also make every tail/search
    // read more files over the years, so only the newest sessions are kept.
    internal const int KeptSessions = 500;
    private readonly string _directory;
    private FileStream? _writer;

    private HistoryFiles(string directory, int session, FileStream writer)
    {
        _directory = directory;
        Session = session;
        _writer = writer;
    }

    public int Session { get; }

    /// <summary>The default place: JUPYTER_DATA_DIR (or the platform's Jupyter data directory)/notebooks-kernel/history.</summary>
    public static string DefaultDirectory() => Path.Combine(JupyterPaths.DataDirectory(), "notebooks-kernel", "history");

    /// <summary>Starts a new session in <paramref name="directory"/>; null (and a log line) when it cannot be written.</summary>
    public static HistoryFiles? Start(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var existing = SessionNumbers(directory).Order().ToList();
            Prune(directory, existing);
            var session = existing.DefaultIfEmpty(0).Max() + 1;
            for (var attempt = 0; attempt < 1000; attempt++, session++)
            {
                var path = PathOf(directory, session);
                if (File.Exists(path))
                {
                    continue;
                }
                try
                {
                    var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
                    return new HistoryFiles(directory, session, writer);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another kernel took this number between the listing and the create.
                }
            }
            Log.Warn($"history is kept in memory only: no free session number in {directory}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            Log.Warn($"history is kept in memory only: {e.Message}");
        }
        return null;
    }

    public void AppendInput(int line, string input) => Append(new JsonObject { ["line"] = line, ["input"] = input });

    public void AppendOutput(int line, string output) => Append(new JsonObject { ["line"] = line, ["output"] = output });

    private void Append(JsonObject record)
    {
        if (_writer is not { } writer)
        {
            return;
        }
        try
        {
            var bytes = Encoding.UTF8.GetBytes(record.ToJsonString() + "\n");
            writer.Write(bytes);
            // Flushed per record so another kernel's history_request sees it and a crash loses nothing.
            writer.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _writer = null;
            Log.Warn($"history stopped being saved: {e.Message}");
        }
    }

    /// <summary>Every other session's cells as (session, line, input, output), oldest session first.</summary>
    public IEnumerable<(int Session, int Line, string Input, string? Output)> Earlier()
    {
        IEnumerable<int> sessions;
        try
        {
            sessions = SessionNumbers(_directory).Where(s => s != Session).Order().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warn($"earlier history could not be listed: {e.Message}");
            yield break;
        }
        foreach (var session in sessions)
        {
            foreach (var (line, input, output) in Read(PathOf(_directory, session)))
            {
                yield return (session, line, input, output);
            }
        }
    }

    // A file another kernel is writing may end in half a record; such a line is skipped.
    private static List<(int Line, string Input, string? Output)> Read(string path)
    {
        var cells = new List<(int Line, string Input, string? Output)>();
        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return cells;
        }
        foreach (var record in text.Split('\n'))
        {
            try
            {
                if (JsonNode.Parse(record) is not JsonObject json || json["line"] is not JsonValue lineValue || !lineValue.TryGetValue<int>(out var line))
                {
                    continue;
                }
                if (json["input"] is JsonValue input && input.TryGetValue<string>(out var code))
                {
                    cells.Add((line, code, null));
                }
                else if (json["output"] is JsonValue output && output.TryGetValue<string>(out var result) && cells.FindLastIndex(c => c.Line == line) is var at and >= 0)
                {
                    cells[at] = cells[at] with { Output = result };
                }
            }
            catch (JsonException)
            {
            }
        }
        return cells;
    }

    // Numbers only grow (a new session takes the highest + 1), so dropping the lowest never lets a number be reused.
    private static void Prune(string directory, List<int> ascending)
    {
        foreach (var session in ascending.Take(Math.Max(0, ascending.Count - (KeptSessions - 1))))
        {
            try
            {
                File.Delete(PathOf(directory, session));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another kernel may be pruning the same file; history is best effort.
            }
        }
    }

    private static string PathOf(string directory, int session) => Path.Combine(directory, $"{Prefix}{session}{Extension}");

    private static IEnumerable<int> SessionNumbers(string directory) =>
        Directory.EnumerateFiles(directory, Prefix + "*" + Extension)
            .Select(p => Path.GetFileNameWithoutExtension(p)[Prefix.Length..])
            .Select(n => int.TryParse(n, out var number) ? number : 0)
            .Where(n => n > 0);
}
