using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary>The kernel's side of a shared magic (src/Magics): its output goes to the cell's sink.</summary>
internal sealed class MagicOutput(MagicContext context) : IMagicOutput
{
    public void Print(string text) => context.Print(text);

    public void PrintError(string text) => context.PrintError(text);

    public void Display(IReadOnlyDictionary<string, string> bundle) => context.Sink.Display(new MimeBundle(bundle), null, update: false);

    public CancellationToken Cancellation => context.Cancellation;
}
