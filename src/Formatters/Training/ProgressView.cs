using System.Collections;
using System.Globalization;
using static Notebooks.Formatters.Html.Html;

namespace Notebooks.Formatters.Training;

/// <summary>The state of a progress bar (tqdm-like): shows as an HTML bar in notebooks and a text bar on a console.</summary>
public sealed class ProgressView
{
    internal ProgressView(string? desc, long? total) { this.desc = desc; this.total = total; }

    public string? desc { get; }
    public long? total { get; }
    public long n { get; internal set; }
    public TimeSpan elapsed { get; internal set; }

    /// <summary>Items per second so far (0 before the first second's worth of data).</summary>
    public double rate => elapsed.TotalSeconds > 0 ? n / elapsed.TotalSeconds : 0;

    /// <summary>Estimated time left, when the total is known and a rate exists.</summary>
    public TimeSpan? eta => total is { } t && rate > 0 ? TimeSpan.FromSeconds((t - n) / rate) : null;

    public double? fraction => total is { } t && t > 0 ? Math.Clamp((double)n / t, 0, 1) : null;

    private string Stats()
    {
        var counts = total is { } t ? $"{n}/{t}" : n.ToString(CultureInfo.InvariantCulture);
        var time = Clock(elapsed) + (eta is { } e ? "<" + Clock(e) : "");
        return $"{counts} [{time}, {rate.ToString("0.00", CultureInfo.InvariantCulture)}it/s]";
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"mm\:ss", CultureInfo.InvariantCulture);

    public override string ToString()
    {
        var prefix = desc is null ? "" : desc + ": ";
        if (fraction is not { } f) return prefix + Stats();
        const int width = 20;
        int full = (int)Math.Round(f * width);
        return $"{prefix}{(int)Math.Round(f * 100),3}%|{new string('█', full)}{new string(' ', width - full)}| {Stats()}";
    }

    public string ToHtml()
    {
        var label = desc is null ? "" : "<span>" + Escape(desc) + "</span> ";
        var bar = fraction is { } f
            ? $"<progress value=\"{n}\" max=\"{total}\" style=\"width:240px;vertical-align:middle\"></progress> {(int)Math.Round(f * 100)}% "
            : "";
        return $"<div class=\"nb-progress\" style=\"font-family:ui-monospace,monospace;font-size:12px\">{label}{bar}<span>{Escape(Stats())}</span></div>";
    }
}

/// <summary>Enumerates a source while updating a <see cref="ProgressView"/> display (throttled).</summary>
public sealed class ProgressBar<T> : IEnumerable<T>
{
    private readonly IEnumerable<T> _source;
    private readonly Func<TimeSpan> _clock;
    private readonly double _maxFps;

    internal ProgressBar(IEnumerable<T> source, string? desc, long? total, double maxFps, Func<TimeSpan> clock)
    {
        _source = source; _clock = clock; _maxFps = maxFps;
        view = new ProgressView(desc, total ?? (source.TryGetNonEnumeratedCount(out var c) ? c : null));
    }

    public ProgressView view { get; }
    public int updates { get; private set; }

    public IEnumerator<T> GetEnumerator()
    {
        var start = _clock();
        var throttle = new Throttle(_maxFps, _clock);
        var handle = Training.Clock.Open(view);
        handle.Update(view);
        updates++;
        view.n = 0;
        foreach (var item in _source)
        {
            yield return item;
            view.n++;
            view.elapsed = _clock() - start;
            if (throttle.Due()) { handle.Update(view); updates++; }
        }
        view.elapsed = _clock() - start;
        handle.Update(view);
        updates++;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
