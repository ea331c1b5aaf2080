using Notebooks.Formatters;
using Notebooks.Magics;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// The one place where rich formatters are registered when a session starts: src/Formatters' tensor cards, graphs,
/// images and plots, and the display handles its live views (loss curves, progress bars) update in place.
/// </summary>
internal static class RichFormatters
{
    private static int s_registered;

    public static void RegisterAtSessionStart()
    {
        // Formatter registrations are process-wide, so several sessions in one process register once.
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        NotebookFormatters.Load();
        LiveDisplays.Connect(value => DisplayHub.Display(value).Update);
    }

    /// <summary>Every representation the formatters offer for <paramref name="value"/> (e.g. an SVG beside a plot's HTML).</summary>
    public static IReadOnlyDictionary<string, string> Bundle(object value) => NotebookFormatters.MimeBundle(value);
}
