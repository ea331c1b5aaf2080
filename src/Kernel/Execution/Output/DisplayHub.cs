using Notebooks.Kernel.Scripting;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Routes <c>display(...)</c> calls made by cell code to the cell that made them, as <see cref="OutputRouter"/>
/// routes text (a task a cell started displays in that cell). It is static because cell code reaches it through
/// static helpers.
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
        OutputRouter.Send(sink => sink.ClearOutput(wait), "clear_output");
    }

    private static void Send(MimeBundle bundle, string displayId, bool update)
    {
        // Text printed before the display call is sent first, so it shows above it.
        OutputRouter.Send(sink => sink.Display(bundle, displayId, update), update ? "update_display_data" : "display_data");
    }

    private static string NewDisplayId() => Guid.NewGuid().ToString("N");
}
