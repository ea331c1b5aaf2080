using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary><c>#!about</c> in this kernel: its version, Roslyn and the protocol, then <see cref="About"/>'s shared lines.</summary>
internal sealed class AboutMagic : IMagic
{
    public IReadOnlyList<string> Names => MagicCatalog.About.Names;

    public string Summary => MagicCatalog.About.Summary;

    public CellOutcome Run(MagicContext context, string arguments)
    {
        context.Print(Text());
        return CellOutcome.Ok(null, false);
    }

    public static string Text() => About.Text($"{KernelIdentity.DisplayName} kernel {KernelIdentity.Version}",
    [
        $"C# language: latest (Roslyn {About.Version(typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation).Assembly)})",
        $"Jupyter protocol: {KernelIdentity.ProtocolVersion}",
    ]);
}
