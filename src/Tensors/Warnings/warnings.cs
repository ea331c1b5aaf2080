using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Notebooks.Tensors;

/// <summary>
/// Python's <c>warnings</c> module, the one place the library warns through. Under the default action a warning is
/// shown once per (category, message, place), the place being the first stack frame outside this library and
/// Notebooks.Formatters: its source file and line, as Python's registry keys on (text, category, lineno) per module.
/// So a warning inside a training loop prints once and the same warning from another line again — and, as in
/// Jupyter, where every cell runs in one namespace, a later cell warning from the same line number stays quiet (all
/// script submissions share one registry). Without line information (no PDB) the method and IL offset stand in.
/// Text goes to stderr as <c>UserWarning: message</c> (Python's <c>file:line:</c> prefix would name a temporary cell
/// file and make lesson outputs unrepeatable).
/// </summary>
public static class warnings
{
    private sealed record Filter(string Action, string? Category);

    private static readonly object s_lock = new();
    // Newest first, as simplefilter inserts at the front of Python's warnings.filters; replaced, never mutated.
    private static volatile Filter[] s_filters = [];
    // Python clears a module's __warningregistry__ when the filters change (_filters_mutated), so a warning already
    // shown under "default" shows again after any simplefilter call; replacing the set does the same.
    private static volatile ConcurrentDictionary<(string Category, string Message, object? Site, int Offset), byte> s_shown = new();

    // Set while a torch function runs whose Python twin calls another that warns with a stacklevel stopping in
    // torch's own code (see AttributeTo).
    [ThreadStatic] private static string? t_librarySite;

    /// <summary>
    /// Python's <c>warnings.simplefilter(action, category)</c>: "default" (once per place), "always", "ignore",
    /// "error" (raise the warning as a <see cref="Warning"/> exception), "once" (once per message), "module" (here
    /// the same as "default"). Without a category it applies to every warning.
    /// </summary>
    public static void simplefilter(string action, string? category = null)
    {
        if (action is not ("default" or "always" or "ignore" or "error" or "once" or "module"))
            throw new ArgumentException($"invalid action: '{action}'");
        lock (s_lock) Set([new Filter(action, category is null or "Warning" ? null : category), .. s_filters]);
    }

    /// <summary>Python's <c>warnings.resetwarnings()</c>: back to the default action for every warning.</summary>
    public static void resetwarnings()
    {
        lock (s_lock) Set([]);
    }

    /// <summary>
    /// Python's <c>with warnings.catch_warnings():</c> — filters set inside the <c>using</c> block are undone when
    /// it ends.
    /// </summary>
    public static IDisposable catch_warnings() => new Restore(s_filters);

    private sealed class Restore(Filter[] saved) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                lock (s_lock) Set(saved);
        }
    }

    private static void Set(Filter[] filters)
    {
        s_filters = filters;
        s_shown = new();
    }

    /// <summary>Python's <c>warnings.warn(message, category)</c>, attributed to the caller's code.</summary>
    public static void warn(string message, string category = "UserWarning")
    {
        var action = ActionFor(category);
        if (action == "ignore") return;
        if (t_librarySite is { } site) Emit(action, category, message, site, 0);
        else
        {
            var (place, offset) = action == "default" || action == "module" ? UserPlace() : (null, -1);
            Emit(action, category, message, place, offset);
        }
    }

    /// <summary>
    /// While the scope is open, warnings on this thread are attributed to <paramref name="site"/>, a line of torch:
    /// nn.MSELoss.forward calls F.mse_loss, whose warnings.warn(stacklevel=2) names loss.py's line, so through the
    /// module the warning shows once per process, wherever the module is called from.
    /// </summary>
    internal static LibrarySite AttributeTo(string site)
    {
        var previous = t_librarySite;
        t_librarySite = site;
        return new LibrarySite(previous);
    }

    internal readonly struct LibrarySite(string? previous) : IDisposable
    {
        public void Dispose() => t_librarySite = previous;
    }

    /// <summary>
    /// A warning Python attributes to a line inside torch itself (a warnings.warn whose stacklevel stops in torch's
    /// own code, as nn.init's do): once per process for each library call site, whoever calls it.
    /// </summary>
    internal static void warnFromLibrary(string message, string category = "UserWarning",
        [CallerMemberName] string member = "", [CallerLineNumber] int line = 0)
    {
        using var _ = AttributeTo(member + ":" + line);
        warn(message, category);
    }

    private static void Emit(string action, string category, string message, object? site, int offset)
    {
        if (action == "error") throw Warning.Of(category, message);
        if (action != "always")
        {
            // "once" ignores the place; a user frame that cannot be found leaves the message alone as the key.
            if (action == "once") (site, offset) = (null, -1);
            if (!s_shown.TryAdd((category, message, site, offset), 0)) return;
        }
        Console.Error.WriteLine($"{category}: {message}");
    }

    private static string ActionFor(string category)
    {
        foreach (var f in s_filters)
            if (f.Category is null || f.Category == category) return f.Action;
        return "default";
    }

    /// <summary>A source file's warning registry (Python's per-module <c>__warningregistry__</c>), in a key.</summary>
    private sealed record SourceFile(string Path);

    // (method, IL offset) → (file, line): reading line numbers loads the PDB, so each user frame is resolved once.
    private static readonly ConcurrentDictionary<(MethodBase, int), (object Place, int Offset)> s_places = new();

    /// <summary>Where the first frame outside the library is: Python's stacklevel reaching the user.</summary>
    private static (object? Place, int Offset) UserPlace()
    {
        var trace = new StackTrace(fNeedFileInfo: false);
        for (int i = 0; i < trace.FrameCount; i++)
        {
            var frame = trace.GetFrame(i);
            var method = frame?.GetMethod();
            if (method is null || UserCode.IsLibrary(method.Module.Assembly)) continue;
            var il = frame!.GetILOffset();
            return s_places.GetOrAdd((method, il), static key =>
            {
                foreach (var f in new StackTrace(fNeedFileInfo: true).GetFrames())
                {
                    if (f.GetMethod() == key.Item1 && f.GetILOffset() == key.Item2 && f.GetFileLineNumber() is > 0 and var line)
                        return (new SourceFile(UserCode.IsScriptCell(key.Item1) ? "" : f.GetFileName() ?? ""), line);
                }
                return (key.Item1, key.Item2);
            });
        }
        return (null, -1);
    }
}
