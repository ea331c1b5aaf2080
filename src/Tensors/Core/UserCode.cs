using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Notebooks.Tensors;

/// <summary>
/// Where the user's code is on a stack: what Python's stacklevel and tracebacks point at. Used by warnings (the line
/// a warning is attributed to) and by anomaly mode (the forward call that made a failing backward node).
/// </summary>
internal static class UserCode
{
    private static readonly Assembly Tensors = typeof(UserCode).Assembly;

    /// <summary>
    /// Code of a C# script submission (a notebook cell: Roslyn's "Submission#N" classes). Cells have file names of
    /// their own for tracebacks, but they share one namespace, as Jupyter's cells share Python's globals and with
    /// them one warning registry.
    /// </summary>
    internal static bool IsScriptCell(MethodBase method)
    {
        var type = method.DeclaringType;
        while (type?.DeclaringType is { } outer) type = outer;
        return type is not null && type.Name.StartsWith("Submission#", StringComparison.Ordinal);
    }

    /// <summary>
    /// Notebooks.Tensors and Notebooks.Formatters, and the framework: a LINQ or Parallel frame between two library
    /// frames (or a formatter calling ours) is not the user's line either.
    /// </summary>
    internal static bool IsLibrary(Assembly assembly)
    {
        if (assembly == Tensors) return true;
        var name = assembly.FullName;
        return name is not null && (name.StartsWith("Notebooks.Formatters,", StringComparison.Ordinal)
            || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal)
            || name.StartsWith("netstandard,", StringComparison.Ordinal));
    }

    /// <summary>
    /// The user's frames of the current stack, innermost last, in the shape of Python's traceback.format_list
    /// ("  File \"cell3\", line 2, in &lt;module&gt;"): a notebook cell's code shows as &lt;module&gt;, as top-level
    /// Python does.
    /// </summary>
    public static string Traceback()
    {
        var lines = new List<string>();
        foreach (var f in new StackTrace(fNeedFileInfo: true).GetFrames())
        {
            var method = f.GetMethod();
            if (method is null || IsLibrary(method.Module.Assembly) || method.Module.Assembly.GetName().Name == "Notebooks.Kernel") continue;
            // Frames without line information (a test runner's, reflection's) say nothing to the reader.
            if (f.GetFileName() is not { Length: > 0 } file || f.GetFileLineNumber() is not (> 0 and var line)) continue;
            var name = IsScriptCell(method) ? "<module>" : $"{method.DeclaringType?.Name}.{method.Name}";
            lines.Add($"  File \"{file}\", line {line}, in {name}");
        }
        lines.Reverse();
        return new StringBuilder().AppendJoin('\n', lines).Append('\n').ToString();
    }
}
