using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel;

/// <summary>The kernel's own diagnostics: to the process's real stderr, never into a cell's output.</summary>
internal static class Log
{
    public static void Warn(string message) => OutputRouter.OriginalError.WriteLine($"[notebooks-kernel] {message}");
}
