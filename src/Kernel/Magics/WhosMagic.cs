using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary><c>#!whos</c> in this kernel: the session's variables through <see cref="VariableTable"/>.</summary>
internal sealed class WhosMagic : IMagic
{
    public IReadOnlyList<string> Names => MagicCatalog.Whos.Names;

    public string Summary => MagicCatalog.Whos.Summary;

    public CellOutcome Run(MagicContext context, string arguments)
    {
        VariableTable.Run(new MagicOutput(context), context.Interpreter.Session.Variables.Select(v => (v.Name, v.Type, (object?)v.Value)));
        return CellOutcome.Ok(null, false);
    }
}
