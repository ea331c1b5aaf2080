using System.Diagnostics;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Notebooks;

namespace Notebooks.Kernel.Cli;

/// <summary>Why a notebook run stopped early.</summary>
internal sealed record RunFailure(int CellIndex, string Reason, CellError? Error);

/// <summary>
/// Executes a notebook's C# cells in order in a fresh session, as nbclient would with a kernel:
/// outputs replace the old ones, an error stops the run unless the cell is tagged
/// "raises-exception", and a cell that runs past the timeout is interrupted and fails the run.
/// </summary>
internal sealed class NotebookRunner(TimeSpan? timeout)
{
    public const string RaisesExceptionTag = "raises-exception";

    private readonly object _gate = new();
    private Notebook? _notebook;
    private int _cellIndex = -1;
    private OutputCollector? _collector;

    public RunFailure? Run(Notebook notebook, string workingDirectory, TextWriter progress)
    {
        lock (_gate) { _notebook = notebook; }
        // nbclient copies the kernel's kernel_info language_info into the notebook before it runs a cell.
        notebook.Metadata["language_info"] = KernelIdentity.LanguageInfo();
        var interpreter = new CSharpInterpreter();
        var previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = workingDirectory;
        try
        {
            var count = 0;
            for (var i = 0; i < notebook.Cells.Count; i++)
            {
                var cell = notebook.Cells[i];
                if (!cell.IsCode || (cell.Language is { } language && language != "csharp"))
                {
                    continue;
                }
                cell.Outputs = [];
                if (cell.Source.Trim().Length == 0)
                {
                    cell.ExecutionCount = null;
                    continue;
                }
                count++;
                var collector = new OutputCollector(count);
                lock (_gate) { (_cellIndex, _collector) = (i, collector); }
                var timedOut = false;
                using var timer = timeout is { } limit
                    ? new Timer(_ => { timedOut = true; interpreter.Interrupt(); }, null, limit, Timeout.InfiniteTimeSpan)
                    : null;
                var watch = Stopwatch.StartNew();
                var outcome = interpreter.Execute(cell.Source, collector, $"cell{count}");
                timer?.Dispose();
                cell.ExecutionCount = count;
                if (outcome.Error is { } error)
                {
                    collector.AddError(timedOut ? new CellError("CellTimeoutError", $"The cell ran longer than {timeout!.Value.TotalSeconds:0.#} s and was interrupted.", error.Traceback) : error);
                }
                lock (_gate) { cell.Outputs = collector.Outputs; _collector = null; }
                var expected = outcome.Error is not null && !timedOut && cell.Tags.Contains(RaisesExceptionTag);
                // A tagged cell's error is the demonstration working, so it reads as such (nbclient's allow_errors per cell).
                var verdict = outcome.Error is null ? "ok" : expected ? $"ok, raised {outcome.Error.Name} as tagged ({RaisesExceptionTag})" : outcome.Error.Name;
                progress.WriteLine($"  cell {i + 1}: {verdict} ({watch.Elapsed.TotalSeconds:0.00} s)");
                if (outcome.Error is not null && !expected)
                {
                    var reason = timedOut ? $"timed out after {timeout!.Value.TotalSeconds:0.#} s" : $"{outcome.Error.Name}: {outcome.Error.Value}";
                    return new RunFailure(i, reason, outcome.Error);
                }
            }
            return null;
        }
        finally
        {
            lock (_gate) { _cellIndex = -1; _collector = null; }
            Environment.CurrentDirectory = previousDirectory;
        }
    }

    /// <summary>
    /// Called when the process is exiting while a cell runs (the cell called <c>Environment.Exit</c>, or the process
    /// was told to terminate): keeps what the cell printed so far, records the exit as the cell's error, and says which
    /// cell it was. Null when no cell is running.
    /// </summary>
    public RunFailure? AbandonRunningCell(int exitCode)
    {
        lock (_gate)
        {
            if (_notebook is null || _collector is not { } collector || _cellIndex < 0)
            {
                return null;
            }
            var error = new CellError("DeadKernelError", $"Kernel died: the process exited with code {exitCode} while this cell ran (Environment.Exit ends the whole kernel)", []);
            collector.AddError(error);
            var cell = _notebook.Cells[_cellIndex];
            cell.Outputs = collector.Outputs;
            cell.ExecutionCount = collector.ExecutionCount;
            var failure = new RunFailure(_cellIndex, $"the process exited with code {exitCode} during this cell (Environment.Exit?)", null);
            _collector = null;
            return failure;
        }
    }
}
