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

    /// <summary>
    /// How much stack cell code may use on the thread that runs the cell. Far below the cell thread's 16 MB: throwing
    /// out of a recursion tens of thousands of calls deep, and describing its stack, takes the runtime minutes, while
    /// a megabyte still allows thousands of nested calls (Python allows 1000).
    /// </summary>
    internal const int StackBudget = 1024 * 1024;

    private static volatile bool s_requested;

    // The lowest stack address cell code may reach on this thread; 0 on threads that no cell runs on directly (a
    // cell's tasks and threads), where the runtime's own margin is the limit.
    [ThreadStatic]
    private static nuint t_stackLimit;

    /// <summary>Throws <see cref="OperationCanceledException"/> once an interrupt has been requested.</summary>
    public static void Check()
    {
        if (s_requested)
        {
            Throw();
        }
    }

    /// <summary>
    /// <see cref="Check"/>, and throws <see cref="InsufficientExecutionStackException"/> when cell code has used its
    /// <see cref="StackBudget"/> on the cell's thread, or nearly all of the stack on any other thread.
    /// </summary>
    public static unsafe void CheckCall()
    {
        if (s_requested)
        {
            Throw();
        }
        byte probe;
        var limit = t_stackLimit;
        if (limit != 0 ? (nuint)(&probe) < limit : !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            ThrowTooDeep();
        }
    }

    /// <summary>Gives the cell about to run on this thread <see cref="StackBudget"/> bytes of stack from here (stacks grow down).</summary>
    internal static unsafe void BeginCellStack()
    {
        byte here;
        var top = (nuint)(&here);
        t_stackLimit = top > StackBudget ? top - StackBudget : 1;
    }

    internal static void EndCellStack() => t_stackLimit = 0;

    // Kept out of the checks so the injected calls stay small enough to inline.
    private static void Throw() => throw new OperationCanceledException("The cell was interrupted.");

    private static void ThrowTooDeep() => throw new InsufficientExecutionStackException(RecursionMessage);

    internal static bool IsRequested => s_requested;

    internal static void Request() => s_requested = true;

    internal static void Reset() => s_requested = false;
}
