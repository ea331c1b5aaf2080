using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using Notebooks.Formatters;
using Notebooks.Magics;

namespace Notebooks.Interactive;

/// <summary>
/// What <c>extension.dib</c> calls when a .NET Interactive C# kernel loads the package: registers every formatter,
/// connects live displays to the host's in-place updates, and adds our magics as the host's own directives
/// (with their descriptions, so the host's completion and <c>#!lsmagic</c> list them). A magic the host already
/// has (<c>#!time</c> and <c>#!lsmagic</c> in the Jupyter kernel, <c>#!whos</c>, <c>#!about</c>, <c>#r</c>) is left to
/// the host; ours is added only where the host lacks it (dotnet-repl has no <c>#!time</c> or <c>#!lsmagic</c>).
/// </summary>
public static class NotebooksExtension
{
    /// <summary>Loads into <paramref name="kernel"/>: a C# kernel, or a composite kernel holding one.</summary>
    public static void Load(Kernel kernel)
    {
        NotebookFormatters.Load();
        LiveDisplays.Connect(InteractiveDisplays.Show);

        var csharp = FindCSharpKernel(kernel)
            ?? throw new InvalidOperationException("Notebooks.Interactive needs .NET Interactive's C# kernel (Microsoft.DotNet.Interactive.CSharp), and none was found.");
        var existing = KnownDirectives(kernel.RootKernel);
        foreach (var magic in Directives.For(csharp))
        {
            if (!existing.Contains(magic.Directive.Name))
            {
                csharp.AddDirective(magic.Directive, magic.Handler);
            }
        }
    }

    private static CSharpKernel? FindCSharpKernel(Kernel kernel) => kernel switch
    {
        CSharpKernel c => c,
        CompositeKernel composite => composite.ChildKernels.OfType<CSharpKernel>().FirstOrDefault(),
        _ => kernel.ParentKernel is { } parent ? FindCSharpKernel(parent) : null,
    };

    /// <summary>Every directive name the host's kernels already answer to (the root's and each child's).</summary>
    internal static HashSet<string> KnownDirectives(Kernel root)
    {
        var kernels = root is CompositeKernel composite ? composite.ChildKernels.Prepend(root) : [root];
        return kernels.SelectMany(k => k.KernelInfo.SupportedDirectives).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
    }
}
