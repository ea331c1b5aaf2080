using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Notebooks.Magics;

namespace Notebooks.Interactive;

/// <summary>A magic as a .NET Interactive directive: its declaration (name, description) and its handler.</summary>
internal sealed record InteractiveMagic(KernelActionDirective Directive, KernelCommandInvocation Handler);

/// <summary>
/// Our magics declared to the host. Each is a thin adapter over src/Magics, which our Jupyter kernel uses too; names and
/// descriptions come from <see cref="MagicCatalog"/>, so both hosts show the same help.
/// </summary>
internal static class Directives
{
    public static IEnumerable<InteractiveMagic> For(CSharpKernel csharp) =>
    [
        new(Declare(MagicCatalog.NvidiaSmi), (_, context) => Run(context, output => NvidiaSmi.Run(output))),
        new(Declare(MagicCatalog.Vars), (_, context) => Run(context, output => VariableTable.Run(output, Variables(csharp)))),
        new(Declare(MagicCatalog.Time), (_, context) => StartTimer(context)),
        new(Declare(MagicCatalog.LsMagic), (_, context) => Run(context, output => output.Print(MagicList.Text(Listed(context.HandlingKernel))))),
    ];

    private static KernelActionDirective Declare(MagicInfo magic) => new(magic.Name) { Description = magic.Summary };

    private static Task Run(KernelInvocationContext context, Action<IMagicOutput> magic)
    {
        magic(new InteractiveOutput(context));
        return Task.CompletedTask;
    }

    /// <summary>The C# session's variables, the latest declaration of each name (as the host's own #!whos lists them).</summary>
    private static IEnumerable<(string Name, Type Type, object? Value)> Variables(CSharpKernel csharp) =>
        csharp.ScriptState?.Variables.Select(v => (v.Name, v.Type, (object?)v.Value)) ?? [];

    // As the host's own #!time (Microsoft.DotNet.Interactive.Jupyter's UseTime): the directive starts the clock and the
    // submission's completion reports it, so the whole cell is timed wherever the directive stands. The wording is ours.
    private static Task StartTimer(KernelInvocationContext context)
    {
        var timer = new CellTimer();
        context.OnComplete(done => done.Publish(new StandardOutputValueProduced(done.Command,
            [new FormattedValue(PlainTextFormatter.MimeType, timer.Report() + "\n")])));
        return Task.CompletedTask;
    }

    /// <summary>What #!lsmagic lists where the host has none: every visible directive of the C# kernel and of the root.</summary>
    private static IEnumerable<MagicInfo> Listed(Kernel kernel)
    {
        var kernels = new[] { kernel.RootKernel, kernel }.Distinct();
        return kernels.SelectMany(k => k.KernelInfo.SupportedDirectives)
            .Where(d => !d.Hidden)
            .GroupBy(d => d.Name).Select(g => g.First())
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => new MagicInfo([d.Name], d.Description ?? ""));
    }
}
