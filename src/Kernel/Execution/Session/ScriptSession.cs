using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Notebooks.Kernel.Scripting;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// A Roslyn scripting session: each cell is a submission that continues from the state the
/// previous one left, so variables, methods and types carry over between cells.
/// </summary>
internal sealed class ScriptSession
{
    private readonly object _gate = new();
    private readonly object _stateGate = new();
    private readonly KernelGlobals _globals = new();
    private ScriptOptions _options;
    private readonly Lazy<SubmissionWorkspace> _workspace;
    private readonly DeferredReferences _deferred;
    private readonly MetadataReferenceResolver _fullResolver;
    private ScriptState<object>? _state;
    // The state after the last cell that declared a type or method (see ChainCollapse), the cells
    // of the chain up to it, and the cells after it, as the workspace mirrors them.
    private ScriptState<object>? _base;
    private readonly List<string> _baseCells = [];
    private readonly List<string> _recentCells = [];
    private int _cellsSinceCollapse;
    private Thread? _runningThread;
    private CancellationTokenSource? _running;

    public ScriptSession()
    {
        RichFormatters.RegisterAtSessionStart();
        // Built once: resolving references per cell would cost time and memory on every cell.
        _options = ScriptOptions.Default
            .WithReferences(SessionReferences.InitialAssemblyPaths.Select(p => MetadataReference.CreateFromFile(p)))
            .WithImports(SessionReferences.Imports)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithAllowUnsafe(true)
            .WithOptimizationLevel(CellOptimization)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8);
        _fullResolver = _options.MetadataResolver;
        _options = _options.WithMetadataResolver(new ExplicitReferencesResolver(_fullResolver));
        _deferred = new DeferredReferences(SessionReferences.DeferredAssemblyPaths);
        // Completion offers every framework type, referenced yet or not: using one references it.
        _workspace = new Lazy<SubmissionWorkspace>(
            () => new SubmissionWorkspace(SessionReferences.AssemblyPaths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)), SessionReferences.Imports),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>
    /// Cells compile unoptimised, as Roslyn scripting's default: optimised, the compiler keeps a once-used local on the
    /// stack (`var loss = ...; loss.backward();`) and the runtime then reports the call on the local's line, so
    /// tracebacks and warnings would name the wrong line. The work is in the libraries, which stay optimised; a tight
    /// loop written in a cell runs about 2.8× slower. NOTEBOOKS_KERNEL_OPTIMIZE=1 compiles cells optimised.
    /// </summary>
    internal static OptimizationLevel CellOptimization { get; } =
        Environment.GetEnvironmentVariable("NOTEBOOKS_KERNEL_OPTIMIZE") == "1" ? OptimizationLevel.Release : OptimizationLevel.Debug;

    /// <summary>How many cells may follow the base before they are collapsed into one prelude.</summary>
    /// <remarks>NOTEBOOKS_KERNEL_COLLAPSE_EVERY overrides it; 0 turns collapsing off (to measure without it).</remarks>
    public int CollapseEvery { get; set; } = CollapseEveryFromEnvironment();

    private static int CollapseEveryFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("NOTEBOOKS_KERNEL_COLLAPSE_EVERY"), out var n) ? (n <= 0 ? int.MaxValue : n) : 100;

    /// <summary>How many times this session collapsed its history.</summary>
    public int Collapses { get; private set; }

    /// <summary>How many submissions the current script chain holds (the first, empty one included).</summary>
    public int ChainLength
    {
        get
        {
            var n = 0;
            for (var script = _state?.Script; script is not null; script = script.Previous)
            {
                n++;
            }
            return n;
        }
    }

    /// <summary>Whether the framework assemblies left out at start are referenced now (a cell needed one).</summary>
    public bool HasAllFrameworkReferences => !_deferred.Pending;

    /// <summary>Mirrors the submissions that compiled, for completion and inspection.</summary>
    public SubmissionWorkspace Workspace => _workspace.Value;

    public IEnumerable<ScriptVariable> Variables
    {
        get
        {
            var state = _state;
            if (state is null)
            {
                return [];
            }
            // A name declared again in a later cell shadows the earlier one.
            return state.Variables.GroupBy(v => v.Name).Select(g => g.Last()).ToList();
        }
    }

    /// <summary>Compiles and runs a throw-away submission so the first real cell doesn't pay Roslyn's start-up cost.</summary>
    public void WarmUp()
    {
        var state = EnsureState();
        state.ContinueWithAsync<object>("var __warmUp = new List<int> { 1 }.Select(i => i + 1).Sum(); __warmUp", _options).GetAwaiter().GetResult();
    }

    /// <summary>Lets the runtime tier up Roslyn's code in the background while the kernel waits (see <see cref="CompilerTierUp"/>).</summary>
    public Thread? StartTierUp(Func<bool> isBusy, CancellationToken stop) => CompilerTierUp.Start(EnsureState().Script, _options, isBusy, stop);

    // Cells are nearly always named alike ("cell", or a notebook's one name), so the options with
    // that file path are made once rather than per cell.
    private ScriptOptions OptionsFor(string cellName)
    {
        var cached = _cellOptions;
        if (cached is not null && cached.Value.Name == cellName && ReferenceEquals(cached.Value.Base, _options))
        {
            return cached.Value.Options;
        }
        var options = _options.WithFilePath(cellName);
        _cellOptions = (cellName, _options, options);
        return options;
    }

    private (string Name, ScriptOptions Base, ScriptOptions Options)? _cellOptions;

    public void AddReferences(IEnumerable<string> assemblyPaths)
    {
        var references = assemblyPaths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        // A package's own dependencies are found the way scripting finds them: through the full resolver.
        _options = _options.AddReferences(references).WithMetadataResolver(_fullResolver);
        Workspace.AddReferences(references.Where(r => r is not PortableExecutableReference { FilePath: { } path } || !_deferred.Paths.Contains(path)));
    }

    /// <summary>Runs code on the calling thread; returns once it ends, fails or is interrupted.</summary>
    public CellOutcome Run(string code, string cellName, CancellationToken cellCancellation = default)
    {
        if (_cellsSinceCollapse >= CollapseEvery)
        {
            Collapse();
        }
        var state = EnsureState();
        var (injected, map) = LoopCheckInjector.Inject(code, ParseOptions);
        KernelTrace.Mark("inject");
        var script = state.Script.ContinueWith(injected, OptionsFor(cellName));

        using var cancellation = new CancellationTokenSource();
        lock (_gate)
        {
            Interruption.Reset();
            _running = cancellation;
            _runningThread = Thread.CurrentThread;
        }
        // An interrupt that came while the cell was still compiling applies as soon as it runs.
        using var registration = cellCancellation.Register(Interrupt);
        try
        {
            ScriptState<object> next;
            try
            {
                next = RunScript(script, state, cancellation.Token);
            }
            catch (Exception e) when (CompileErrors(e) is { } errors && _deferred.MightHelp(errors.Diagnostics))
            {
                // No code ran: a cell that does not compile never starts. If the retry fails too,
                // its errors are the ones the user would have seen with every assembly referenced.
                var withAll = WithAllReferences();
                script = state.Script.ContinueWith(injected, withAll.WithFilePath(cellName));
                next = RunScript(script, state, cancellation.Token);
                _options = withAll;
                _deferred.Taken();
                KernelTrace.Mark("deferred-references");
                KernelTrace.Note($"{cellName} needed the deferred framework references; the session keeps them");
            }
            KernelTrace.Mark("compile+run");
            _state = next;
            Workspace.AddSubmission(code);
            KernelTrace.Mark("workspace");
            _cellsSinceCollapse++;
            var compilation = script.GetCompilation();
            if ((compilation.SyntaxTrees.LastOrDefault() is { } tree && ChainCollapse.MustKeep(tree))
                || (_base is { } currentBase && ChainCollapse.CapturesRecentVariables(compilation, currentBase.Script.GetCompilation())))
            {
                _base = next;
                _baseCells.AddRange(_recentCells);
                _baseCells.Add(code);
                _recentCells.Clear();
            }
            else
            {
                _recentCells.Add(code);
            }
            KernelTrace.Mark("mustkeep");
            if (next.Exception is { } exception)
            {
                return IsInterruption(exception) ? CellOutcome.WasInterrupted() : CellOutcome.Failed(CellError.FromException(exception));
            }
            var hasValue = HasTrailingValue(script, next.ReturnValue);
            KernelTrace.Mark("trailing");
            return CellOutcome.Ok(next.ReturnValue, hasValue);
        }
        catch (CompilationErrorException e)
        {
            return CompileFailure(e, code, map);
        }
        catch (AggregateException e) when (e.InnerException is CompilationErrorException compile)
        {
            return CompileFailure(compile, code, map);
        }
        catch (Exception e) when (e is OperationCanceledException or ThreadInterruptedException)
        {
            // An awaiting cell was abandoned; the session goes on from the state before it.
            return CellOutcome.WasInterrupted();
        }
        catch (AggregateException e) when (e.InnerException is { } inner)
        {
            return IsInterruption(inner) ? CellOutcome.WasInterrupted() : CellOutcome.Failed(CellError.FromException(inner));
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
                _runningThread = null;
            }
            ClearPendingThreadInterrupt();
        }
    }

    private ScriptOptions WithAllReferences() => _options.AddReferences(_deferred.References).WithMetadataResolver(_fullResolver);

    // Compiling is left to RunFromAsync: Script.Compile() would bind the code a second time.
    // Exceptions are caught into the state so variables assigned before the throw survive.
    private static ScriptState<object> RunScript(Script<object> script, ScriptState<object> state, CancellationToken cancellation)
    {
        Interruption.BeginCellStack();
        try
        {
            var task = script.RunFromAsync(state, _ => true, CancellationToken.None);
            task.Wait(cancellation);
            return task.Result;
        }
        finally
        {
            Interruption.EndCellStack();
        }
    }

    private static CompilationErrorException? CompileErrors(Exception e) => e switch
    {
        CompilationErrorException compile => compile,
        AggregateException { InnerException: CompilationErrorException compile } => compile,
        _ => null,
    };

    private static CellOutcome CompileFailure(CompilationErrorException e, string code, SourceMap map) =>
        CellOutcome.Failed(CellError.FromDiagnostics(e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), code, map));

    /// <summary>Evaluates an expression against the current state without keeping anything it declares.</summary>
    public CellOutcome Evaluate(string expression)
    {
        var state = EnsureState();
        try
        {
            ScriptState<object> next;
            try
            {
                next = state.ContinueWithAsync(expression, _options, _ => true).GetAwaiter().GetResult();
            }
            catch (CompilationErrorException missing) when (_deferred.MightHelp(missing.Diagnostics))
            {
                // Nothing an expression declares is kept, so neither are the references it needed.
                next = state.ContinueWithAsync(expression, WithAllReferences(), _ => true).GetAwaiter().GetResult();
            }
            return next.Exception is { } e ? CellOutcome.Failed(CellError.FromException(e)) : CellOutcome.Ok(next.ReturnValue, true);
        }
        catch (CompilationErrorException e)
        {
            return CellOutcome.Failed(CellError.FromDiagnostics(e.Diagnostics, expression, SourceMap.Identity));
        }
    }

    /// <summary>Asks the running cell to stop; safe to call from any thread, and a no-op when idle.</summary>
    public void Interrupt()
    {
        CancellationTokenSource? running;
        lock (_gate)
        {
            running = _running;
            if (running is null)
            {
                return;
            }
            Interruption.Request();
        }
        running.Cancel();
        // Code blocked in Sleep, Wait or ReadLine never reaches an injected check; wake it up,
        // but only while this same cell is still running and actually blocked.
        ThreadPool.QueueUserWorkItem(_ =>
        {
            for (var i = 0; i < 20; i++)
            {
                Thread.Sleep(25);
                lock (_gate)
                {
                    if (!ReferenceEquals(_running, running) || _runningThread is null)
                    {
                        return;
                    }
                    if ((_runningThread.ThreadState & ThreadState.WaitSleepJoin) != 0)
                    {
                        _runningThread.Interrupt();
                        return;
                    }
                }
            }
        });
    }

    // Roslyn returns null both for "no trailing expression" and for an expression whose value is
    // null; the syntax tells the first apart, and only a null value needs the (slower) semantic check.
    private static bool HasTrailingValue(Script script, object? value)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root
            || root.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing)
        {
            return false;
        }
        if (value is not null)
        {
            return true;
        }
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static bool IsInterruption(Exception exception) =>
        Interruption.IsRequested && exception is OperationCanceledException or ThreadInterruptedException;

    private static void ClearPendingThreadInterrupt()
    {
        try
        {
            Thread.Sleep(0);
        }
        catch (ThreadInterruptedException)
        {
            // An interrupt that arrived as the cell finished must not hit the kernel's next wait.
        }
    }

    private ScriptState<object> EnsureState()
    {
        // The warm-up thread and the first cell may both get here first.
        lock (_stateGate)
        {
            _state ??= CSharpScript.RunAsync<object>("", _options, _globals, typeof(KernelGlobals)).GetAwaiter().GetResult();
            _base ??= _state;
            return _state;
        }
    }

    /// <summary>
    /// Replaces the cells after the base with one prelude that re-declares their variables (see
    /// <see cref="ChainCollapse"/>); keeps the chain as it is when that is not possible.
    /// </summary>
    private void Collapse()
    {
        _cellsSinceCollapse = 0;
        var current = _state;
        var baseState = _base;
        if (current is null || baseState is null || ReferenceEquals(current, baseState))
        {
            return;
        }
        try
        {
            if (ChainCollapse.BuildPrelude(current, baseState) is not var (prelude, values))
            {
                return;
            }
            var script = baseState.Script.ContinueWith(prelude, _options.WithFilePath("carried"));
            _globals.__carried = values;
            try
            {
                var next = script.RunFromAsync(baseState, _ => true, CancellationToken.None).GetAwaiter().GetResult();
                if (next.Exception is { } e)
                {
                    Log.Warn($"history collapse skipped: {e.Message}");
                    return;
                }
                _state = next;
            }
            finally
            {
                _globals.__carried = new Dictionary<string, object?>();
            }
            _recentCells.Clear();
            _recentCells.Add(prelude);
            Workspace.Reset([.. _baseCells, prelude]);
            Collapses++;
        }
        catch (CompilationErrorException e)
        {
            Log.Warn($"history collapse skipped: {e.Diagnostics.FirstOrDefault()}");
        }
    }
}
