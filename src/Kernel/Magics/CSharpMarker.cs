using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary>Polyglot notebooks mark C# cells with <c>#!csharp</c>; here every cell is C#, so it is accepted and ignored.</summary>
internal sealed class CSharpMarker : IMagic
{
    public IReadOnlyList<string> Names => MagicCatalog.CSharp.Names;

    public string Summary => MagicCatalog.CSharp.Summary;

    public CellOutcome Run(MagicContext context, string arguments) => CellOutcome.Ok(null, false);
}
