using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Magics;

/// <summary>What a magic command can reach while it runs.</summary>
internal sealed record MagicContext(CSharpInterpreter Interpreter, IOutputSink Sink, CancellationToken Cancellation)
{
    public void Print(string text) => Sink.Stream("stdout", text.EndsWith('\n') ? text : text + "\n");

    public void PrintError(string text) => Sink.Stream("stderr", text.EndsWith('\n') ? text : text + "\n");
}

/// <summary>A line command such as <c>#!whos</c>; it runs where it appears in the cell.</summary>
internal interface IMagic
{
    /// <summary>Names as typed, e.g. "#!time" (several for aliases).</summary>
    IReadOnlyList<string> Names { get; }

    string Summary { get; }

    CellOutcome Run(MagicContext context, string arguments);
}
