namespace Notebooks.Magics;

/// <summary>
/// Where a magic writes, whichever host runs it: our Jupyter kernel adapts its output sink, the .NET Interactive
/// extension its <c>KernelInvocationContext</c>. A magic never knows which.
/// </summary>
public interface IMagicOutput
{
    /// <summary>Text for the cell's stdout (a line end is added when missing).</summary>
    void Print(string text);

    /// <summary>Text for the cell's stderr (a line end is added when missing).</summary>
    void PrintError(string text);

    /// <summary>A rich output: representations keyed by MIME type (text/plain always among them).</summary>
    void Display(IReadOnlyDictionary<string, string> bundle);

    /// <summary>Set when the user interrupts the cell; long-running magics stop and throw <see cref="OperationCanceledException"/>.</summary>
    CancellationToken Cancellation { get; }
}
