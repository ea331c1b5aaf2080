namespace Notebooks.Kernel.Execution;

internal enum SegmentKind
{
    Code,
    Magic,
    Shell,
}

/// <summary>
/// One piece of a cell. Code segments keep every line of the cell, with lines that belong to
/// other segments blanked, so compile errors report the line numbers the user sees.
/// </summary>
internal sealed record CellSegment(SegmentKind Kind, string Text, string Name = "", string Arguments = "", int Line = 0);

/// <summary>Splits a cell into C# code, magic commands (<c>#!name</c>, <c>#r</c>, <c>#i</c>) and shell escapes (<c>!cmd</c>).</summary>
internal static class CellParser
{
    public static IReadOnlyList<CellSegment> Parse(string cell)
    {
        var lines = cell.Replace("\r\n", "\n").Split('\n');
        var segments = new List<CellSegment>();
        var codeStart = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            CellSegment? command = null;
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var body = trimmed[2..].TrimEnd();
                var space = body.IndexOfAny([' ', '\t']);
                command = space < 0
                    ? new CellSegment(SegmentKind.Magic, trimmed, "#!" + body, "", i)
                    : new CellSegment(SegmentKind.Magic, trimmed, "#!" + body[..space], body[(space + 1)..].Trim(), i);
            }
            else if (IsDirective(trimmed, "#r") || IsDirective(trimmed, "#i"))
            {
                command = new CellSegment(SegmentKind.Magic, trimmed, trimmed[..2], trimmed[2..].Trim(), i);
            }
            else if (IsShellEscape(trimmed, i == 0 ? "" : PreviousCodeLine(lines, i)))
            {
                command = new CellSegment(SegmentKind.Shell, trimmed, "!", trimmed[1..].Trim(), i);
            }

            if (command is null)
            {
                if (codeStart < 0)
                {
                    codeStart = i;
                }
                continue;
            }
            FlushCode(i);
            segments.Add(command);
        }
        FlushCode(lines.Length);
        return segments;

        void FlushCode(int end)
        {
            if (codeStart < 0)
            {
                return;
            }
            var chunk = lines[codeStart..end];
            if (chunk.Any(l => l.Trim().Length > 0))
            {
                var text = string.Concat(Enumerable.Repeat("\n", codeStart)) + string.Join("\n", chunk);
                segments.Add(new CellSegment(SegmentKind.Code, text, Line: codeStart));
            }
            codeStart = -1;
        }
    }

    // "!ls" is a shell escape, but "!done;" or the second line of "a &&\n   !b" is C#.
    private static bool IsShellEscape(string line, string previous) =>
        line.Length > 1 && line[0] == '!' && line[1] != '=' && !line.TrimEnd().EndsWith(';')
        && (previous.Length == 0 || previous.EndsWith(';') || previous.EndsWith('{') || previous.EndsWith('}') || previous.StartsWith('#') || previous.StartsWith('!'));

    private static string PreviousCodeLine(string[] lines, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal))
            {
                return line;
            }
        }
        return "";
    }

    // "#r \"...\"" and "#i \"...\"", but not "#region" or "#if".
    private static bool IsDirective(string line, string directive) =>
        line.StartsWith(directive, StringComparison.Ordinal) && (line.Length == 2 || char.IsWhiteSpace(line[2]) || line[2] == '"');
}
