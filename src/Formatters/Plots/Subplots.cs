using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Notebooks.Formatters.Images;
using static Notebooks.Formatters.Html.Html;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// Several charts in one output, <c>ncols</c> to a row (matplotlib's <c>plt.subplots</c>):
/// <c>var fig = viz.subplots(1, 2); fig[0].line(x, y); fig[1].scatter(x, z);</c>, or charts made elsewhere
/// (<see cref="Plot"/>, <see cref="Heatmap"/>, <see cref="ImageView"/>) put in with <see cref="set"/> or
/// <see cref="viz.subplots(IEnumerable{object}, int, string?)"/>. Interactive, it is one Plotly chart with a pair of
/// axes per panel; the static picture is one SVG holding every chart's own SVG.
/// </summary>
public sealed partial class Subplots
{
    /// <summary>Each panel's width in the static picture (charts drawn wider are scaled down to it).</summary>
    private const double PanelWidth = 460;

    private readonly object?[] _panels;
    private string? _title;

    internal Subplots(int nrows, int ncols)
    {
        if (nrows < 1 || ncols < 1) throw new ArgumentException($"Number of rows and columns must be positive integers, not {nrows} and {ncols}");
        this.nrows = nrows; this.ncols = ncols;
        _panels = new object?[nrows * ncols];
    }

    public int nrows { get; }
    public int ncols { get; }

    /// <summary>The <paramref name="index"/>-th chart, row by row, made on first use (a <see cref="Plot"/>).</summary>
    public Plot this[int index]
    {
        get
        {
            Check(index);
            _panels[index] ??= new Plot();
            return _panels[index] as Plot ?? throw new InvalidOperationException($"subplot {index} holds a {_panels[index]!.GetType().Name}, not a Plot");
        }
    }

    public Plot this[int row, int col] => this[Index(row, col)];

    /// <summary>Puts <paramref name="chart"/> (a Plot, Heatmap or ImageView) at <paramref name="index"/>.</summary>
    public Subplots set(int index, object chart)
    {
        Check(index);
        _panels[index] = chart is Plot or Heatmap or ImageView ? chart : throw new ArgumentException($"a subplot holds a Plot, Heatmap or ImageView, not {chart?.GetType().Name ?? "null"}", nameof(chart));
        return this;
    }

    /// <summary>The figure's title (matplotlib's suptitle).</summary>
    public Subplots suptitle(string text) { _title = text; return this; }

    private int Index(int row, int col)
    {
        if (row < 0 || row >= nrows || col < 0 || col >= ncols) throw new IndexOutOfRangeException($"subplot ({row}, {col}) is outside a {nrows}x{ncols} grid");
        return row * ncols + col;
    }

    private void Check(int index)
    {
        if (index < 0 || index >= _panels.Length) throw new IndexOutOfRangeException($"index {index} is out of bounds for {_panels.Length} subplots");
    }

    [GeneratedRegex("^<svg ([^>]*?)width=\"([0-9.]+)\" height=\"([0-9.]+)\"")]
    private static partial Regex SvgSize();

    public string ToSvg()
    {
        var cells = _panels.Select(p => p switch
        {
            Plot plot => plot.ToSvg(),
            Heatmap h => h.ToSvg(),
            ImageView i => i.ToSvg(),
            _ => null,
        }).ToArray();
        // Each panel scaled to PanelWidth (never enlarged), placed in a grid whose rows are as tall as their tallest panel.
        var sizes = cells.Select(svg =>
        {
            if (svg is null) return (w: 0.0, h: 0.0);
            var m = SvgSize().Match(svg);
            double w = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), h = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            double k = Math.Min(1, PanelWidth / w);
            return (w: w * k, h: h * k);
        }).ToArray();
        double top = _title is null ? 0 : 30;
        var colW = Enumerable.Range(0, ncols).Select(c => Enumerable.Range(0, nrows).Max(r => sizes[r * ncols + c].w)).Select(w => w == 0 ? PanelWidth : w).ToArray();
        var rowH = Enumerable.Range(0, nrows).Select(r => Enumerable.Range(0, ncols).Max(c => sizes[r * ncols + c].h)).Select(h => h == 0 ? 40 : h).ToArray();
        double width = colW.Sum(), height = top + rowH.Sum();
        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nb-subplots\" width=\"").Append(Num(width)).Append("\" height=\"").Append(Num(height))
          .Append("\" viewBox=\"0 0 ").Append(Num(width)).Append(' ').Append(Num(height)).Append("\" font-family=\"sans-serif\" fill=\"currentColor\"").Append(Html.Theme.SvgRootStyle).Append('>');
        if (_title is not null) sb.Append("<text class=\"suptitle\" x=\"").Append(Num(width / 2)).Append("\" y=\"21\" text-anchor=\"middle\" font-size=\"15\">").Append(Escape(_title)).Append("</text>");
        double y = top;
        for (int r = 0; r < nrows; r++)
        {
            double x = 0;
            for (int c = 0; c < ncols; c++)
            {
                var svg = cells[r * ncols + c];
                if (svg is not null)
                {
                    var (w, h) = sizes[r * ncols + c];
                    // The panel's own viewBox stays, so its drawing scales to the new width and height.
                    sb.Append(SvgSize().Replace(svg, m => "<svg x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" " + m.Groups[1].Value + "width=\"" + Num(w) + "\" height=\"" + Num(h) + "\"", 1));
                }
                x += colW[c];
            }
            y += rowH[r];
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// The figure as one Plotly chart: each panel's traces on axes of their own (x2/y2 …) whose domains tile the grid,
    /// each panel's title as an annotation above it, and each colour bar beside its panel.
    /// </summary>
    public (string data, string layout) ToPlotlyJson()
    {
        const double gapX = 0.07, gapY = 0.1;
        var traces = new List<Dictionary<string, object?>>();
        var annotations = new List<Dictionary<string, object?>>();
        var layout = PlotlyLayout.Base(_title, (int)(ncols * PanelWidth), nrows * 360 + (_title is null ? 30 : 60));
        int k = 0;
        for (int i = 0; i < _panels.Length; i++)
        {
            if (_panels[i] is not { } panel) continue;
            k++;
            string suffix = k == 1 ? "" : k.ToString(CultureInfo.InvariantCulture);
            int r = i / ncols, c = i % ncols;
            double[] dx = [c / (double)ncols + gapX / 2, (c + 1) / (double)ncols - gapX / 2];
            double[] dy = [1 - (r + 1) / (double)nrows + gapY / 2, 1 - r / (double)nrows - gapY / 2];
            Dictionary<string, object?> xaxis, yaxis;
            List<Dictionary<string, object?>> panelTraces;
            string? title;
            switch (panel)
            {
                case Plot plot:
                    (xaxis, yaxis) = (PlotlyLayout.Axis(plot.XLabelText), PlotlyLayout.Axis(plot.YLabelText));
                    if (plot.LogY) yaxis["type"] = "log";
                    panelTraces = PlotlyLayout.Traces(plot.series);
                    title = plot.TitleText;
                    break;
                case Heatmap h:
                    (xaxis, yaxis) = h.PlotlyAxes();
                    panelTraces = h.PlotlyTraces();
                    title = h.TitleText;
                    break;
                case ImageView img:
                    var f = img.Figure();
                    (xaxis, yaxis) = f.PlotlyAxes();
                    panelTraces = f.PlotlyTraces();
                    title = img.title;
                    break;
                default: continue;
            }
            foreach (var t in panelTraces)
            {
                t["xaxis"] = "x" + suffix; t["yaxis"] = "y" + suffix;
                if (t.TryGetValue("showscale", out var shown) && shown is true)
                {
                    var bar = t.TryGetValue("colorbar", out var cb) && cb is Dictionary<string, object?> d ? d : [];
                    bar["x"] = dx[1] + 0.005; bar["y"] = (dy[0] + dy[1]) / 2; bar["len"] = dy[1] - dy[0]; bar["thickness"] = 12;
                    t["colorbar"] = bar;
                }
                traces.Add(t);
            }
            xaxis["domain"] = dx; xaxis["anchor"] = "y" + suffix;
            yaxis["domain"] = dy; yaxis["anchor"] = "x" + suffix;
            if (yaxis.ContainsKey("scaleanchor")) yaxis["scaleanchor"] = "x" + suffix;
            layout["xaxis" + suffix] = xaxis;
            layout["yaxis" + suffix] = yaxis;
            if (title is not null)
                annotations.Add(new() { ["text"] = title, ["x"] = (dx[0] + dx[1]) / 2, ["y"] = dy[1], ["xref"] = "paper", ["yref"] = "paper", ["xanchor"] = "center", ["yanchor"] = "bottom", ["showarrow"] = false });
        }
        layout["annotations"] = annotations;
        return (System.Text.Json.JsonSerializer.Serialize(traces), System.Text.Json.JsonSerializer.Serialize(layout));
    }

    public string ToHtml()
    {
        var svg = ToSvg();
        return PlotlyEmbed.OrStatic(() => { var (d, l) = ToPlotlyJson(); return PlotlyEmbed.Html(d, l, svg, ToString()); }, svg, "nb-subplots", ToString());
    }

    public override string ToString() =>
        $"Subplots({nrows}x{ncols}{(_title is null ? "" : ", \"" + _title + "\"")}: {string.Join(", ", _panels.Select(p => p?.ToString() ?? "empty"))})";
}
