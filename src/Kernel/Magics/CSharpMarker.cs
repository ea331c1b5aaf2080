using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Magics;

/// <summary>Polyglot notebooks mark C# cells with <c>#!csharp</c>; here every cell is C#, so it is accepted and ignored.</summary>
internal sealed class CSharpMarker : IMagic
{
    public IReadOnlyList<string> Names { get; } = ["#!csharp", "#!c#"];

    public string Summary => "marks a C# cell (accepted for Polyglot notebooks; every cell is C#)";

    public CellOutcome Run(MagicContext context, string arguments) => CellOutcome.Ok(null, false);
}
