using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Notebooks.Kernel.Magics;

namespace Notebooks.Kernel.Execution;

/// <summary>The answer to Jupyter's is_complete: "complete", "incomplete" or "invalid", and an indent to continue with.</summary>
internal sealed record CompletenessResult(string Status, string Indent = "");

/// <summary>
/// The C# interpreter behind both the Jupyter server and the headless runner: it splits a cell
/// into code, magics and shell escapes, runs them in order in one session, and reports outputs
/// to the sink it is given.
/// </summary>
internal sealed class CSharpInterpreter
{
    private readonly Dictionary<string, IMagic> _magics = new(StringComparer.Ordinal);
    private readonly List<IMagic> _magicList = [];
    private readonly HashSet<string> _referencedNames = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource? _cell;

    public CSharpInterpreter()
    {
        OutputRouter.Install();
        Session = new ScriptSession();
        foreach (var path in SessionReferences.AssemblyPaths)
        {
            _referencedNames.Add(Path.GetFileNameWithoutExtension(path));
        }
        var restorer = new NuGetRestorer();
        foreach (var magic in new IMagic[]
        {
            new TimeMagic(), new LsMagic(() => _magicList), new WhosMagic(), new AboutMagic(), new NvidiaSmiMagic(),
            new ReferenceMagic(restorer), new SourceMagic(restorer), new CSharpMarker(),
        })
        {
            _magicList.Add(magic);
            foreach (var name in magic.Names)
            {
                _magics[name] = magic;
            }
        }
    }

    public ScriptSession Session { get; }

    public IEnumerable<IMagic> Magics => _magicList;

    /// <summary>Runs a cell on the calling thread and returns how it ended; never throws for the cell's own failures.</summary>
    public CellOutcome Execute(string cell, IOutputSink sink, string cellName = "cell")
    {
        var previous = OutputRouter.StartedBy;
        var output = OutputRouter.BeginCell(sink);
        using var cancellation = new CancellationTokenSource();
        Volatile.Write(ref _cell, cancellation);
        try
        {
            var segments = CellParser.Parse(cell);
            KernelTrace.Mark("parse");
            var timed = segments.Any(s => s.Kind == SegmentKind.Magic && s.Name == TimeMagic.Name);
            var wall = Stopwatch.StartNew();
            // Reading the process's CPU time costs a /proc read; only #!time needs it.
            var cpu = timed ? Process.GetCurrentProcess().TotalProcessorTime : TimeSpan.Zero;
            var outcome = RunSegments(segments, sink, cellName, cancellation.Token);
            if (timed)
            {
                OutputRouter.Flush();
                sink.Stream("stdout", TimeMagic.Format(wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu) + "\n");
            }
            return outcome;
        }
        catch (Exception e)
        {
            // Whatever goes wrong inside a cell is the cell's error, never the kernel's death.
            return CellOutcome.Failed(CellError.FromException(e));
        }
        finally
        {
            Volatile.Write(ref _cell, null);
            // What the cell's tasks print from now on no longer reaches this sink (see OutputRouter).
            OutputRouter.EndCell(output, previous);
        }
    }

    /// <summary>Pays Roslyn's first-use costs (compiler, emit, completion's MEF composition) ahead of the first cell.</summary>
    public void WarmUp()
    {
        Session.WarmUp();
        // Completion's first use composes MEF parts; do it aside so the first cell need not wait.
        ThreadPool.QueueUserWorkItem(_ =>
        {
            try
            {
                CompleteAsync("Console.Wr", 10).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                Log.Warn($"completion warm-up failed: {e.Message}");
            }
        });
    }

    /// <summary>Stops the running cell, if any; the session keeps its state.</summary>
    public void Interrupt()
    {
        try
        {
            Volatile.Read(ref _cell)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The cell finished while we were asked to stop it.
        }
        Session.Interrupt();
    }

    /// <summary>References assemblies in later cells; skips names the session already has. Returns how many were added.</summary>
    public int AddReferences(IEnumerable<string> assemblyPaths)
    {
        var fresh = assemblyPaths.Where(p => _referencedNames.Add(Path.GetFileNameWithoutExtension(p))).ToList();
        if (fresh.Count > 0)
        {
            Session.AddReferences(fresh);
        }
        return fresh.Count;
    }

    public Task<CompletionMatches> CompleteAsync(string code, int position) =>
        Session.Workspace.CompleteAsync(code, Math.Clamp(position, 0, code.Length));

    public Task<string?> InspectAsync(string code, int position) =>
        Session.Workspace.InspectAsync(code, Math.Clamp(position, 0, code.Length));

    public static CompletenessResult IsComplete(string cell)
    {
        var code = string.Concat(CellParser.Parse(cell).Where(s => s.Kind == SegmentKind.Code).Select(s => s.Text));
        if (code.Trim().Length == 0)
        {
            return new CompletenessResult("complete");
        }
        var tree = CSharpSyntaxTree.ParseText(code, ScriptSession.ParseOptions);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            return new CompletenessResult("incomplete", Indent(code));
        }
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new CompletenessResult("invalid")
            : new CompletenessResult("complete");
    }

    private CellOutcome RunSegments(IReadOnlyList<CellSegment> segments, IOutputSink sink, string cellName, CancellationToken cancellation)
    {
        var context = new MagicContext(this, sink, cancellation);
        for (var i = 0; i < segments.Count; i++)
        {
            if (cancellation.IsCancellationRequested)
            {
                return CellOutcome.WasInterrupted();
            }
            var segment = segments[i];
            // What earlier code printed must appear before a command's own output.
            OutputRouter.Flush();
            var outcome = segment.Kind switch
            {
                SegmentKind.Code => Session.Run(segment.Text, cellName, cancellation),
                SegmentKind.Shell => ShellEscape.Run(context, segment.Arguments),
                _ => RunMagic(segment, context),
            };
            if (outcome.Status != CellStatus.Ok)
            {
                return outcome;
            }
            if (segment.Kind == SegmentKind.Code && outcome.HasValue && IsLastCode(segments, i))
            {
                OutputRouter.Flush();
                var bundle = OutputFormatter.Format(outcome.Value);
                KernelTrace.Mark("format");
                sink.Result(bundle);
            }
        }
        return CellOutcome.Ok(null, false);
    }

    // A trailing expression is the cell's result only if nothing but magics that print nothing follows it.
    private static bool IsLastCode(IReadOnlyList<CellSegment> segments, int index) =>
        segments.Skip(index + 1).All(s => s.Kind == SegmentKind.Magic && s.Name is TimeMagic.Name or "#!csharp" or "#!c#");

    private CellOutcome RunMagic(CellSegment segment, MagicContext context)
    {
        if (_magics.TryGetValue(segment.Name, out var magic))
        {
            return magic.Run(context, segment.Arguments);
        }
        var known = string.Join(", ", _magicList.SelectMany(m => m.Names).Append("!command"));
        var message = $"Unknown magic command '{segment.Name}'. Known magic commands: {known}.";
        return CellOutcome.Failed(new CellError("UnknownMagic", message, [$"UnknownMagic: {message}", "Run #!lsmagic to see what each one does."]));
    }

    private static string Indent(string code)
    {
        var lastLine = code.Split('\n').LastOrDefault(l => l.Trim().Length > 0) ?? "";
        var current = lastLine[..(lastLine.Length - lastLine.TrimStart().Length)];
        return lastLine.TrimEnd().EndsWith('{') ? current + "    " : current;
    }
}
