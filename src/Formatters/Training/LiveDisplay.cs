namespace Notebooks.Formatters.Training;

/// <summary>Without a kernel (tests, console apps): each update prints the value's text form as a line.</summary>
internal sealed class ConsoleDisplay(TextWriter writer) : IDisplayHandle
{
    public void Update(object value) => writer.WriteLine(value.ToString());
}

/// <summary>Shared by the live views: opens the display on first use and limits updates to a rate.</summary>
internal sealed class Throttle(double maxPerSecond, Func<TimeSpan> clock)
{
    private TimeSpan? _last;
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / maxPerSecond);

    public bool Due()
    {
        var now = clock();
        if (_last is { } l && now - l < _interval) return false;
        _last = now;
        return true;
    }
}

internal static class Clock
{
    private static readonly System.Diagnostics.Stopwatch Watch = System.Diagnostics.Stopwatch.StartNew();
    public static readonly Func<TimeSpan> Real = () => Watch.Elapsed;

    public static IDisplayHandle Open(object view) =>
        NotebookFormatters.DisplayFactory is { } f ? f(view) : new ConsoleDisplay(Console.Out);
}
