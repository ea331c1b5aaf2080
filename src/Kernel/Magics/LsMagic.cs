using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

internal sealed class LsMagic(Func<IEnumerable<IMagic>> magics) : IMagic
{
    public IReadOnlyList<string> Names => MagicCatalog.LsMagic.Names;

    public string Summary => MagicCatalog.LsMagic.Summary;

    public CellOutcome Run(MagicContext context, string arguments)
    {
        context.Print(MagicList.Text(magics().Select(m => new MagicInfo(m.Names, m.Summary)).Append(MagicCatalog.ShellEscape)));
        return CellOutcome.Ok(null, false);
    }
}
