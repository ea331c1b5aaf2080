using Notebooks.Kernel.Scripting;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Routes <c>display(...)</c> calls made by cell code to the sink of the cell being run. It is
/// static because cell code reaches it through static helpers, and one cell runs at a time.
/// </summary>
internal static class DisplayHub
{
    public static DisplayHandle Display(object? value)
    {
        var id = NewDisplayId();
        Send(OutputFormatter.Format(value), id, update: false);
        return new DisplayHandle(id, (v, displayId) => Send(OutputFormatter.Format(v), displayId, update: true));
    }

    public static DisplayHandle Display(string value, string mimeType)
    {
        var id = NewDisplayId();
        Send(OutputFormatter.Format(value, mimeType), id, update: false);
        return new DisplayHandle(id, (v, displayId) => Send(v is string s ? OutputFormatter.Format(s, mimeType) : OutputFormatter.Format(v), displayId, update: true));
    }

    public static void ClearOutput(bool wait)
    {
        OutputRouter.Flush();
        OutputRouter.Sink?.ClearOutput(wait);
    }

    private static void Send(MimeBundle bundle, string displayId, bool update)
    {
        // Text printed before the display call must show above it.
        OutputRouter.Flush();
        OutputRouter.Sink?.Display(bundle, displayId, update);
    }

    private static string NewDisplayId() => Guid.NewGuid().ToString("N");
}
