using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Notebooks.Kernel.Execution;

/// <summary>What Jupyter's error output carries: a name, a value and a traceback, one line per entry.</summary>
internal sealed partial record CellError(string Name, string Value, IReadOnlyList<string> Traceback)
{
    public const string CompilationErrorName = "CompilationError";
    public const string InterruptedName = "KeyboardInterrupt";

    public static CellError Interrupted() =>
        new(InterruptedName, "The cell was interrupted.", ["KeyboardInterrupt: the cell was interrupted; the session keeps its variables."]);

    /// <summary>Compile errors with line and column inside the cell, each followed by the offending line and a caret.</summary>
    public static CellError FromDiagnostics(IEnumerable<Diagnostic> errors, string cellCode, SourceMap map)
    {
        var text = SourceText.From(cellCode);
        var lines = new List<string>();
        string? first = null;
        foreach (var diagnostic in errors.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            string entry;
            if (diagnostic.Location.IsInSource)
            {
                var position = Math.Min(map.ToOriginal(diagnostic.Location.SourceSpan.Start), text.Length);
                var linePosition = text.Lines.GetLinePosition(position);
                entry = $"({linePosition.Line + 1},{linePosition.Character + 1}): error {diagnostic.Id}: {message}";
                lines.Add(entry);
                var sourceLine = text.Lines[linePosition.Line].ToString();
                lines.Add("    " + sourceLine);
                lines.Add("    " + new string(' ', linePosition.Character) + "^");
            }
            else
            {
                entry = $"error {diagnostic.Id}: {message}";
                lines.Add(entry);
            }
            if (CompileHints.For(diagnostic) is { } hint) lines.Add(hint);
            first ??= entry;
        }
        return new CellError(CompilationErrorName, first ?? "compilation failed", lines);
    }

    /// <summary>A runtime exception, with the kernel's and Roslyn's own frames left out of the stack.</summary>
    public static CellError FromException(Exception exception)
    {
        var lines = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!ReferenceEquals(e, exception))
            {
                lines.Add("---> (inner exception)");
            }
            lines.Add($"{e.GetType().FullName}: {e.Message}");
            lines.AddRange(UserFrames(e));
        }
        return new CellError(exception.GetType().Name, exception.Message, lines);
    }

    // A traceback shows this many frames at most; runaway recursion has thousands.
    private const int MostFrames = 50;

    // As Python's traceback (traceback.py, _RECURSIVE_CUTOFF = 3): a line repeated more than three times in a row is
    // shown three times, then "[Previous line repeated N more times]".
    private const int RepeatsShown = 3;

    private static IEnumerable<string> UserFrames(Exception exception)
    {
        var lines = new List<string>();
        string? previous = null;
        var repeats = 0;
        var hidden = 0;
        foreach (var line in FrameLines(exception))
        {
            if (line == previous)
            {
                repeats++;
                if (repeats >= RepeatsShown)
                {
                    continue;
                }
            }
            else
            {
                Flush();
                previous = line;
                repeats = 0;
            }
            if (lines.Count < MostFrames)
            {
                lines.Add(line);
            }
            else
            {
                hidden++;
            }
        }
        Flush();
        if (hidden > 0)
        {
            lines.Add($"   [{hidden} more frames not shown]");
        }
        return lines;

        void Flush()
        {
            if (repeats >= RepeatsShown && lines.Count < MostFrames)
            {
                var more = repeats - RepeatsShown + 1;
                lines.Add($"   [Previous line repeated {more} more time{(more == 1 ? "" : "s")}]");
            }
        }
    }

    private static IEnumerable<string> FrameLines(Exception exception)
    {
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            if (method is null || IsHidden(method))
            {
                continue;
            }
            var file = frame.GetFileName();
            var line = frame.GetFileLineNumber();
            var where = file is not null && line > 0 ? $" in {Path.GetFileName(file)}, line {line}" : "";
            yield return $"   at {Describe(method)}{where}";
        }
    }

    private static bool IsHidden(MethodBase method)
    {
        var type = method.DeclaringType;
        var assembly = type?.Assembly.GetName().Name ?? "";
        if (assembly == "Notebooks.Kernel" || assembly.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
        {
            return true;
        }
        var ns = type?.Namespace ?? "";
        return assembly == "System.Private.CoreLib"
            && (ns.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal)
                || ns.StartsWith("System.Runtime.ExceptionServices", StringComparison.Ordinal)
                || ns.StartsWith("System.Threading", StringComparison.Ordinal));
    }

    // Cell code lives in compiler-named types ("Submission#3", "<<Initialize>>d__0"); show what the user wrote.
    private static string Describe(MethodBase method)
    {
        var type = method.DeclaringType;
        var typeName = type?.FullName ?? "";
        var name = method.Name;
        if (name == "MoveNext" && type is not null && StateMachine().Match(type.Name) is { Success: true } m)
        {
            name = m.Groups[1].Value;
            type = type.DeclaringType;
            typeName = type?.FullName ?? "";
        }
        if (name == "<Initialize>")
        {
            return "<cell>";
        }
        var parameters = string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name));
        var owner = typeName.StartsWith("Submission#", StringComparison.Ordinal)
            ? typeName.Contains('+') ? typeName[(typeName.IndexOf('+') + 1)..].Replace('+', '.') + "." : ""
            : typeName.Replace('+', '.') + ".";
        return $"{owner}{name}({parameters})";
    }

    [GeneratedRegex(@"^<(.+)>d__\d+$")]
    private static partial Regex StateMachine();
}
