using Plotly.NET;
using CS = Plotly.NET.CSharp;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// A small matplotlib-like chart over tensors (<see cref="viz.plot"/>): chain <c>scatter</c>/<c>line</c> and the
/// labels, and display it. It shows as an interactive Plotly chart and carries a static SVG of its own drawing.
/// </summary>
public sealed class Plot
{
    private readonly List<Series> _series = [];
    private string? _title, _xlabel, _ylabel;
    private bool _logY;

    public Plot scatter(Tensor x, Tensor y, string? label = null, string? color = null) => Add(SeriesKind.Scatter, Values.Of(x), Values.Of(y), label, color);
    public Plot scatter(IEnumerable<double> x, IEnumerable<double> y, string? label = null, string? color = null) => Add(SeriesKind.Scatter, [.. x], [.. y], label, color);
    public Plot line(Tensor x, Tensor y, string? label = null, string? color = null) => Add(SeriesKind.Line, Values.Of(x), Values.Of(y), label, color);
    public Plot line(IEnumerable<double> x, IEnumerable<double> y, string? label = null, string? color = null) => Add(SeriesKind.Line, [.. x], [.. y], label, color);
    /// <summary>A line against 0, 1, 2 … (like <c>plt.plot(y)</c>).</summary>
    public Plot line(Tensor y, string? label = null, string? color = null)
    {
        var ys = Values.Of(y);
        return Add(SeriesKind.Line, [.. Enumerable.Range(0, ys.Length).Select(i => (double)i)], ys, label, color);
    }

    public Plot title(string text) { _title = text; return this; }
    public Plot xlabel(string text) { _xlabel = text; return this; }
    public Plot ylabel(string text) { _ylabel = text; return this; }

    /// <summary>
    /// matplotlib's <c>yscale</c>: <c>"log"</c> (base 10; values ≤ 0 are left out, as matplotlib masks them) or
    /// <c>"linear"</c>. Applies to the Plotly chart and to the SVG fallback.
    /// </summary>
    public Plot yscale(string value)
    {
        _logY = value switch
        {
            "log" => true,
            "linear" => false,
            _ => throw new ArgumentException($"Unknown scale '{value}': 'linear' and 'log' are supported", nameof(value)),
        };
        return this;
    }

    /// <summary>The y-axis scale set by <see cref="yscale"/>: "linear" or "log".</summary>
    public string get_yscale() => _logY ? "log" : "linear";

    private Plot Add(SeriesKind kind, double[] x, double[] y, string? label, string? color)
    {
        if (x.Length != y.Length) throw new ArgumentException($"x and y must have same first dimension, but have shapes ({x.Length},) and ({y.Length},)");
        _series.Add(new Series(kind, x, y, label, Palette.Resolve(color, _series.Count)));
        return this;
    }

    internal IReadOnlyList<Series> series => _series;
    internal string? TitleText => _title;
    internal string? XLabelText => _xlabel;
    internal string? YLabelText => _ylabel;
    internal bool LogY => _logY;

    /// <summary>The Plotly.NET chart, for styling beyond this API.</summary>
    public GenericChart ToPlotly()
    {
        var charts = _series.Select(s => s.Kind == SeriesKind.Line
            ? CS.Chart.Line<double, double, string>(s.X, s.Y, Name: s.Label ?? "", ShowLegend: s.Label is not null, LineColor: Color.fromString(s.Color))
            : CS.Chart.Point<double, double, string>(s.X, s.Y, Name: s.Label ?? "", ShowLegend: s.Label is not null, MarkerColor: Color.fromString(s.Color)));
        var chart = CS.Chart.Combine(charts.ToList());
        if (_title is not null) chart = Plotly.NET.Chart.withTitle(_title, Microsoft.FSharp.Core.FSharpOption<Font>.None).Invoke(chart);
        if (_xlabel is not null) chart = CS.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: _xlabel);
        if (_ylabel is not null || _logY)
            chart = CS.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart,
                TitleText: _ylabel is null ? default : (CS.Optional<string>)_ylabel,
                AxisType: _logY ? (CS.Optional<StyleParam.AxisType>)StyleParam.AxisType.Log : default);
        // Plotly's default template paints a white paper and a blue-grey plot area, a bright box in a dark notebook
        // theme: transparent backgrounds and mid-grey text read on light and dark alike, as
        // our JSON figures do (PlotlyLayout.Base).
        var layout = new Layout();
        layout.SetProperty("paper_bgcolor", "rgba(0,0,0,0)");
        layout.SetProperty("plot_bgcolor", "rgba(0,0,0,0)");
        var font = new Font();
        font.SetProperty("color", "#808080");
        layout.SetProperty("font", font);
        chart = Plotly.NET.Chart.withLayout(layout).Invoke(chart);
        return chart;
    }

    public string ToHtml() => PlotlyEmbed.Html(ToPlotly(), ToSvg(), ToString());

    /// <summary>
    /// The HTML a notebook shows: the Plotly chart, or this plot's own SVG where Plotly.NET cannot load. That happens in
    /// .NET Interactive 1.0.0-beta.26120.1 hosts: they run on their own FSharp.Core 10.0, older than the 10.1 Plotly.NET 6
    /// needs, and a process has one FSharp.Core.
    /// </summary>
    public string ToDisplayHtml()
    {
        try
        {
            return ToHtml();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            return ToSvg();
        }
    }

    public string ToSvg() => SvgChart.Render(_series, _title, _xlabel, _ylabel, _logY);

    public override string ToString() =>
        $"Plot({(_logY ? "log y, " : "")}{(_title is null ? "" : "\"" + _title + "\", ")}{_series.Count} series: {string.Join(", ", _series.Select(s => (s.Kind == SeriesKind.Line ? "line" : "scatter") + (s.Label is null ? "" : " '" + s.Label + "'")))})";
}
