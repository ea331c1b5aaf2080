using System.Globalization;
using System.Text.Json;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// A grid of values drawn as colours: what <see cref="viz.heatmap"/>, <see cref="viz.contour"/>,
/// <see cref="viz.decision_boundary"/> and <see cref="viz.confusion_matrix"/> return. It shows as an interactive Plotly
/// chart (heatmap, contour or image trace, with scatter points on top) and carries a static SVG of its own drawing
/// (<see cref="ToSvg"/>: axes, ticks, the colour grid as an embedded PNG, contour lines, cell labels, colour bar),
/// which is what shows where scripts don't run.
/// </summary>
public sealed class Heatmap
{
    internal Heatmap(double[,] z, double[] x, double[] y, Colormap cmap, double vmin, double vmax)
    {
        Z = z; X = x; Y = y; Cmap = cmap; Vmin = vmin; Vmax = vmax;
    }

    /// <summary>Values by [row, column]: row i sits at <see cref="Y"/>[i], column j at <see cref="X"/>[j].</summary>
    internal double[,] Z { get; }
    internal double[] X { get; }
    internal double[] Y { get; }
    internal Colormap Cmap { get; }
    internal double Vmin { get; }
    internal double Vmax { get; }
    /// <summary>Categorical tick labels, one per column/row (a confusion matrix's class names).</summary>
    internal string[]? XLabels { get; init; }
    internal string[]? YLabels { get; init; }
    /// <summary>Row 0 at the top, as images and matrices are drawn (a heatmap's row 0 is at the bottom, as in Plotly).</summary>
    internal bool YDown { get; init; }
    /// <summary>Square cells (an image's pixels).</summary>
    internal bool EqualAspect { get; init; }
    /// <summary>A label drawn in each cell (null: none).</summary>
    internal string[,]? Text { get; init; }
    /// <summary>Contour levels: drawn as filled bands with lines between them (null: a plain heatmap).</summary>
    internal double[]? Levels { get; init; }
    /// <summary>A picture already encoded (imshow's PNG, grey or RGB) drawn instead of colour-mapping <see cref="Z"/>.</summary>
    internal byte[]? Png { get; init; }
    internal bool IsRgb { get; init; }
    internal bool ShowColorbar { get; init; } = true;
    internal string? ColorbarLabel { get; init; }
    /// <summary>The drawing's width in pixels (the height follows the grid's shape for square cells).</summary>
    internal int Size { get; init; } = 520;
    /// <summary>Categorical class colours for the filled regions of a decision boundary (index = value).</summary>
    internal string[]? ClassColors { get; init; }

    private readonly List<Series> _points = [];
    private string? _title, _xlabel, _ylabel;

    internal IReadOnlyList<Series> Points => _points;
    internal string? TitleText => _title;
    internal string? XLabelText => _xlabel;
    internal string? YLabelText => _ylabel;

    public Heatmap title(string text) { _title = text; return this; }
    public Heatmap xlabel(string text) { _xlabel = text; return this; }
    public Heatmap ylabel(string text) { _ylabel = text; return this; }

    /// <summary>Points drawn over the grid (a decision boundary's data).</summary>
    public Heatmap scatter(Tensor x, Tensor y, string? label = null, string? color = null) => scatter(Values.Of(x), Values.Of(y), label, color);

    public Heatmap scatter(IEnumerable<double> x, IEnumerable<double> y, string? label = null, string? color = null)
    {
        double[] xs = [.. x], ys = [.. y];
        if (xs.Length != ys.Length) throw new ArgumentException($"x and y must be the same size, but have sizes {xs.Length} and {ys.Length}");
        _points.Add(new Series(SeriesKind.Scatter, xs, ys, label, Palette.Resolve(color, _points.Count)));
        return this;
    }

    /// <summary>The value of the cell at <paramref name="row"/>, <paramref name="col"/>.</summary>
    public double this[int row, int col] => Z[row, col];

    public int rows => Z.GetLength(0);
    public int cols => Z.GetLength(1);

    public string ToSvg() => HeatmapSvg.Render(this);

    /// <summary>The Plotly figure as JSON: its <c>data</c> array and its <c>layout</c> object.</summary>
    public (string data, string layout) ToPlotlyJson()
    {
        var (w, h) = HeatmapSvg.Measure(this);
        var (xaxis, yaxis) = PlotlyAxes();
        var layout = PlotlyLayout.Base(_title, w + 40, h + 40);
        layout["xaxis"] = xaxis; layout["yaxis"] = yaxis;
        return (JsonSerializer.Serialize(PlotlyTraces()), JsonSerializer.Serialize(layout));
    }

    /// <summary>The x and y axes of the Plotly figure (categorical ticks, row 0 on top, square cells).</summary>
    internal (Dictionary<string, object?> x, Dictionary<string, object?> y) PlotlyAxes()
    {
        var xaxis = PlotlyLayout.Axis(_xlabel);
        var yaxis = PlotlyLayout.Axis(_ylabel);
        xaxis["showgrid"] = yaxis["showgrid"] = false;
        if (XLabels is not null) { xaxis["type"] = "category"; xaxis["tickangle"] = XLabels.Max(l => l.Length) > 4 ? -45 : 0; }
        if (YLabels is not null) yaxis["type"] = "category";
        if (YDown) yaxis["autorange"] = "reversed";
        if (EqualAspect) { yaxis["scaleanchor"] = "x"; yaxis["constrain"] = "domain"; xaxis["constrain"] = "domain"; }
        return (xaxis, yaxis);
    }

    /// <summary>The Plotly traces: the grid (heatmap, contour or image) and the scatter points over it.</summary>
    internal List<Dictionary<string, object?>> PlotlyTraces()
    {
        var traces = new List<Dictionary<string, object?>>();
        int ny = rows, nx = cols;
        object xs = XLabels is null ? X : XLabels, ys = YLabels is null ? Y : YLabels;
        if (Png is { } png)
            traces.Add(new() { ["type"] = "image", ["source"] = "data:image/png;base64," + Convert.ToBase64String(png) });
        else
        {
            var z = new double?[ny][];
            for (int j = 0; j < ny; j++)
            {
                z[j] = new double?[nx];
                for (int i = 0; i < nx; i++) z[j][i] = double.IsFinite(Z[j, i]) ? Z[j, i] : null;
            }
            var t = new Dictionary<string, object?>
            {
                ["type"] = Levels is null ? "heatmap" : "contour",
                ["z"] = z, ["x"] = xs, ["y"] = ys,
                ["zmin"] = Vmin, ["zmax"] = Vmax,
                ["colorscale"] = ClassColors is null ? Cmap.PlotlyScale() : ClassScale(ClassColors),
                ["showscale"] = ShowColorbar,
            };
            // Class regions are tinted like the static picture, so their points stand out.
            if (ClassColors is not null) t["opacity"] = 0.45;
            if (ColorbarLabel is not null) t["colorbar"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = ColorbarLabel, ["side"] = "right" } };
            if (Levels is { Length: > 0 } levels)
            {
                double step = levels.Length > 1 ? levels[1] - levels[0] : 1;
                t["contours"] = new Dictionary<string, object?> { ["start"] = levels[0], ["end"] = levels[^1], ["size"] = step, ["coloring"] = ClassColors is null ? "fill" : "heatmap" };
                t["autocontour"] = false;
                t["line"] = new Dictionary<string, object?> { ["color"] = "rgba(0,0,0,0.5)", ["width"] = 1 };
            }
            if (Text is { } text)
            {
                var tx = new string[ny][];
                for (int j = 0; j < ny; j++) { tx[j] = new string[nx]; for (int i = 0; i < nx; i++) tx[j][i] = text[j, i]; }
                t["text"] = tx;
                t["texttemplate"] = "%{text}";
                t["hovertemplate"] = "%{y} → %{x}: %{text} (%{z:.3f})<extra></extra>";
            }
            traces.Add(t);
        }
        foreach (var p in _points)
            traces.Add(new()
            {
                ["type"] = "scatter", ["mode"] = "markers", ["x"] = Finite(p.X), ["y"] = Finite(p.Y), ["name"] = p.Label ?? "", ["showlegend"] = p.Label is not null,
                ["marker"] = new Dictionary<string, object?> { ["color"] = p.Color, ["size"] = 7, ["line"] = new Dictionary<string, object?> { ["color"] = "white", ["width"] = 0.8 } },
            });
        return traces;
    }

    internal static double?[] Finite(double[] v) => [.. v.Select(d => double.IsFinite(d) ? d : (double?)null)];

    /// <summary>A stepped colorscale: class k's colour over [k/n, (k+1)/n] for values 0 … n−1 spread over zmin..zmax.</summary>
    private static object[][] ClassScale(string[] colors)
    {
        var scale = new List<object[]>();
        for (int k = 0; k < colors.Length; k++)
        {
            scale.Add([k / (double)colors.Length, colors[k]]);
            scale.Add([(k + 1) / (double)colors.Length, colors[k]]);
        }
        return [.. scale];
    }

    public string ToHtml()
    {
        var svg = ToSvg();
        return PlotlyEmbed.OrStatic(() => { var (d, l) = ToPlotlyJson(); return PlotlyEmbed.Html(d, l, svg, ToString()); }, svg, "nb-heatmap", ToString());
    }

    public override string ToString() =>
        $"Heatmap({rows}x{cols}{(IsRgb ? ", RGB" : Levels is not null ? ", contour" : "")}{(_title is null ? "" : ", \"" + _title + "\"")}" +
        $"{(!IsRgb ? ", " + Cmap.name + " " + Html.Html.Short(Vmin) + ".." + Html.Html.Short(Vmax) : "")}{(_points.Count > 0 ? ", " + _points.Sum(p => p.X.Length).ToString(CultureInfo.InvariantCulture) + " points" : "")})";
}
