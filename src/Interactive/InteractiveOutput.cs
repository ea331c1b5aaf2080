using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Notebooks.Magics;

namespace Notebooks.Interactive;

/// <summary>The host's side of a shared magic (src/Magics): its output becomes events of the running command.</summary>
internal sealed class InteractiveOutput(KernelInvocationContext context) : IMagicOutput
{
    public void Print(string text) =>
        context.Publish(new StandardOutputValueProduced(context.Command, [new FormattedValue(PlainTextFormatter.MimeType, Line(text))]));

    public void PrintError(string text) =>
        context.Publish(new StandardErrorValueProduced(context.Command, [new FormattedValue(PlainTextFormatter.MimeType, Line(text))]));

    public void Display(IReadOnlyDictionary<string, string> bundle) =>
        context.Publish(new DisplayedValueProduced(bundle, context.Command, [.. bundle.Select(p => new FormattedValue(p.Key, p.Value))]));

    public CancellationToken Cancellation => context.CancellationToken;

    private static string Line(string text) => text.EndsWith('\n') ? text : text + "\n";
}

/// <summary>Live views in this host: shown with the running cell's context, replaced through <see cref="DisplayedValue.Update"/>.</summary>
internal static class InteractiveDisplays
{
    public static Action<object> Show(object value)
    {
        if (KernelInvocationContext.Current is not { } context)
        {
            // No cell is running (a view updated from a background thread after its cell ended): text lines, as a console app gets.
            Console.Out.WriteLine(value.ToString());
            return v => Console.Out.WriteLine(v.ToString());
        }
        var displayed = context.Display(value);
        return displayed.Update;
    }
}
