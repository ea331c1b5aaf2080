namespace Notebooks.Kernel.Execution;

/// <summary>
/// The one place where rich (HTML) formatters are registered when a session starts.
/// The src/Formatters project's <c>Load()</c> entry point is meant to be called from
/// <see cref="RegisterAtSessionStart"/>; until it exists nothing beyond the defaults is registered.
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

        // Notebooks.Formatters.Load() goes here.
    }
}
