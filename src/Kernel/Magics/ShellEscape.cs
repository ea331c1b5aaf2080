using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary>IPython's <c>!command</c>: runs a line in the system shell, output streamed into the cell.</summary>
internal static class ShellEscape
{
    public static CellOutcome Run(MagicContext context, string command)
    {
        var (shell, flag) = OperatingSystem.IsWindows() ? ("cmd.exe", "/c") : ("/bin/sh", "-c");
        try
        {
            var exit = ProcessRunner.Run(shell, [flag, command], context.Sink.Stream, context.Cancellation);
            if (exit is null)
            {
                return CellOutcome.Failed(new CellError("ShellNotFound", $"{shell} could not be started.", [$"ShellNotFound: {shell} could not be started."]));
            }
            // As in IPython, a failing command is output, not a cell error; its status is shown.
            if (exit != 0)
            {
                context.PrintError($"(exit code {exit})");
            }
            return CellOutcome.Ok(null, false);
        }
        catch (OperationCanceledException)
        {
            return CellOutcome.WasInterrupted();
        }
    }
}
