using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary><c>#!nvidia-smi</c> in this kernel; the magic itself is <see cref="NvidiaSmi"/>.</summary>
internal sealed class NvidiaSmiMagic : IMagic
{
    public IReadOnlyList<string> Names => MagicCatalog.NvidiaSmi.Names;

    public string Summary => MagicCatalog.NvidiaSmi.Summary;

    public CellOutcome Run(MagicContext context, string arguments)
    {
        try
        {
            NvidiaSmi.Run(new MagicOutput(context));
            return CellOutcome.Ok(null, false);
        }
        catch (OperationCanceledException)
        {
            return CellOutcome.WasInterrupted();
        }
    }
}
