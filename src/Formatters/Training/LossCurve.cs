using System.Globalization;
using Notebooks.Formatters.Plots;

namespace Notebooks.Formatters.Training;

/// <summary>
/// A loss curve that redraws in place while a training loop runs (<see cref="viz.loss_curve"/>): append values to
/// named series; the display updates at most <c>max_fps</c> times a second, and <see cref="flush"/> draws the rest.
/// </summary>
public sealed class LossCurve
{
    private readonly Dictionary<string, (List<double> x, List<double> y)> _series = [];
    private readonly List<string> _order = [];
    private readonly Throttle _throttle;
    private IDisplayHandle? _handle;
    private bool _dirty;

    internal LossCurve(string? title, bool logy, double maxFps, Func<TimeSpan> clock)
    {
        this.title = title; this.logy = logy;
        _throttle = new Throttle(maxFps, clock);
    }

    public string? title { get; }
    public bool logy { get; }
    /// <summary>How many times the display was redrawn (throttled appends don't count).</summary>
    public int updates { get; private set; }

    /// <summary>Adds the next value of <paramref name="series"/> (its x is its count so far).</summary>
    public LossCurve append(double value, string series = "loss") => append(series, _series.TryGetValue(series, out var s) ? s.x.Count : 0, value);

    public LossCurve append(string series, double step, double value)
    {
        if (!_series.TryGetValue(series, out var s)) { _series[series] = s = ([], []); _order.Add(series); }
        s.x.Add(step); s.y.Add(value);
        _dirty = true;
        if (_throttle.Due()) Redraw();
        return this;
    }


    /// <summary>Draws whatever the throttle held back; call after the loop.</summary>
    public void flush() { if (_dirty) Redraw(); }

    private void Redraw()
    {
        _handle ??= Clock.Open(this);
        _handle.Update(this);
        updates++;
        _dirty = false;
    }

    internal IReadOnlyList<Series> Series() =>
        _order.Select((n, i) => new Series(SeriesKind.Line, [.. _series[n].x], [.. _series[n].y], n, Palette.At(i))).ToList();

    public string ToSvg() => SvgChart.Render(Series(), title, "step", "loss", logy);

    public string ToHtml() => Html.Theme.InlineSvgWithImageFallback(ToSvg(), "nb-loss-curve", ToString());

    public override string ToString() =>
        (title is null ? "" : title + ": ") + string.Join(", ", _order.Select(n =>
        {
            var y = _series[n].y;
            return $"{n} {y[^1].ToString("0.####", CultureInfo.InvariantCulture)} (step {_series[n].x[^1].ToString(CultureInfo.InvariantCulture)}, min {y.Min().ToString("0.####", CultureInfo.InvariantCulture)})";
        }));
}
