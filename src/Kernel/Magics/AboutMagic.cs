using System.Reflection;
using System.Runtime.InteropServices;
using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Magics;

internal sealed class AboutMagic : IMagic
{
    public IReadOnlyList<string> Names { get; } = ["#!about"];

    public string Summary => "shows the kernel's version, .NET, Roslyn and the operating system";

    public CellOutcome Run(MagicContext context, string arguments)
    {
        context.Print(Text());
        return CellOutcome.Ok(null, false);
    }

    public static string Text() => string.Join("\n",
        $"{KernelIdentity.DisplayName} kernel {KernelIdentity.Version}",
        $"  C# language: latest (Roslyn {Version(typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation).Assembly)})",
        $"  .NET: {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
        $"  OS: {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}",
        $"  Formatting: Microsoft.DotNet.Interactive.Formatting {Version(typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly)}",
        $"  Jupyter protocol: {KernelIdentity.ProtocolVersion}");

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "?";
}
