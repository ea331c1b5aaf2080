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

    public RunFailure? Run(Notebook notebook, string workingDirectory, TextWriter progress)
    {
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
                cell.Outputs = collector.Outputs;
                progress.WriteLine($"  cell {i + 1}: {(outcome.Error is null ? "ok" : outcome.Error.Name)} ({watch.Elapsed.TotalSeconds:0.00} s)");
                if (outcome.Error is not null && (timedOut || !cell.Tags.Contains(RaisesExceptionTag)))
                {
                    var reason = timedOut ? $"timed out after {timeout!.Value.TotalSeconds:0.#} s" : $"{outcome.Error.Name}: {outcome.Error.Value}";
                    return new RunFailure(i, reason, outcome.Error);
                }
            }
            return null;
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }
    }
}
