using System.Runtime.CompilerServices;

namespace Notebooks.Kernel.Scripting;

/// <summary>
/// The checks the kernel injects into a cell's code (see <c>LoopCheckInjector</c>): <see cref="Check"/> at the top
/// of every loop body and before every goto, so that an interrupt stops even a tight <c>while (true) {}</c> or
/// <c>spin: goto spin;</c> (a thread cannot be stopped from outside in .NET, so the running code has to look for the
/// request itself), and <see cref="CheckCall"/> at the top of every method, accessor, local function and lambda
/// body, which also stops runaway recursion before it overflows the stack: a stack overflow ends a .NET process and
/// cannot be caught, so without the check one cell would kill the kernel.
/// </summary>
public static class Interruption
{
    /// <summary>
    /// The message of the error deep recursion gives, Python's (RecursionError, Objects/object.c
    /// <c>_Py_CheckRecursiveCall</c>: "maximum recursion depth exceeded").
    /// </summary>
    public const string RecursionMessage = "maximum recursion depth exceeded";

    private static volatile bool s_requested;

    /// <summary>Throws <see cref="OperationCanceledException"/> once an interrupt has been requested.</summary>
    public static void Check()
    {
        if (s_requested)
        {
            Throw();
        }
    }

    /// <summary>
    /// <see cref="Check"/>, and throws <see cref="InsufficientExecutionStackException"/> when the thread's stack is
    /// nearly used up (the runtime keeps a margin below which it reports false; enough to unwind and report).
    /// </summary>
    public static void CheckCall()
    {
        if (s_requested)
        {
            Throw();
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            ThrowTooDeep();
        }
    }

    // Kept out of the checks so the injected calls stay small enough to inline.
    private static void Throw() => throw new OperationCanceledException("The cell was interrupted.");

    private static void ThrowTooDeep() => throw new InsufficientExecutionStackException(RecursionMessage);

    internal static bool IsRequested => s_requested;

    internal static void Request() => s_requested = true;

    internal static void Reset() => s_requested = false;
}
