namespace Notebooks.Kernel.Scripting;

/// <summary>
/// The check the kernel injects at the top of every loop body and method body of a cell, so that
/// an interrupt stops even a tight <c>while (true) {}</c>: a thread cannot be stopped from outside
/// in .NET, so the running code has to look for the request itself.
/// </summary>
public static class Interruption
{
    private static volatile bool s_requested;

    /// <summary>Throws <see cref="OperationCanceledException"/> once an interrupt has been requested.</summary>
    public static void Check()
    {
        if (s_requested)
        {
            Throw();
        }
    }

    // Kept out of Check so the injected call stays small enough to inline.
    private static void Throw() => throw new OperationCanceledException("The cell was interrupted.");

    internal static bool IsRequested => s_requested;

    internal static void Request() => s_requested = true;

    internal static void Reset() => s_requested = false;
}
