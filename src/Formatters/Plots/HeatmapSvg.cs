using System.Globalization;
using System.Text;
using Notebooks.Formatters.Html;
using static Notebooks.Formatters.Html.Html;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// The static drawing of a <see cref="Heatmap"/>: the colour grid as one embedded PNG (a pixel per cell, stretched;
/// 14 400 cells cost a few KB instead of 14 400 SVG rectangles), contour lines, cell labels, scatter points, axes with
/// ticks (one per category, or "nice" numbers), title, axis labels and a colour bar. Lines and text use currentColor
/// on a transparent background (<see cref="Theme"/>).
/// </summary>
internal static class HeatmapSvg
{
    private const double CharWidth = 6.5;

    private sealed record Frame(double Left, double Top, double Pw, double Ph, double Width, double Height, bool RotateX);

    private static Frame Layout(Heatmap h)
    {
        int ny = h.rows, nx = h.cols;
        double pw = h.Size, ph;
        if (h.EqualAspect || (h.XLabels is not null && h.YLabels is not null))
        {
            ph = pw * ny / nx;
            // A tall grid keeps its aspect within a height of 1.25 × the width.
            if (ph > 1.25 * h.Size) { ph = 1.25 * h.Size; pw = ph * nx / ny; }
        }
        else ph = Math.Round(pw * 0.75);
        bool rotateX = h.XLabels is not null && h.XLabels.Max(l => l.Length) * CharWidth > pw / nx - 4;
        double yTickW = h.YLabels is not null ? h.YLabels.Max(l => l.Length) * CharWidth : 7 * CharWidth;
        double xTickH = rotateX ? h.XLabels!.Max(l => l.Length) * CharWidth * 0.71 + 12 : 18;
        double left = 12 + yTickW + (h.YLabelText is null ? 0 : 20);
        double top = h.TitleText is null ? 12 : 36;
        double bottom = 8 + xTickH + (h.XLabelText is null ? 0 : 20);
        double right = h.ShowColorbar && !h.IsRgb && h.ClassColors is null ? 90 : 16;
        return new Frame(Math.Round(left), top, pw, ph, Math.Round(left + pw + right), Math.Round(top + ph + bottom), rotateX);
    }

    public static (int width, int height) Measure(Heatmap h)
    {
        var f = Layout(h);
        return ((int)f.Width, (int)f.Height);
    }

    /// <summary>The data extent of cells centred at <paramref name="c"/>: half a step beyond the first and last centre.</summary>
    private static (double lo, double hi) Extent(double[] c)
    {
        if (c.Length == 1) return (c[0] - 0.5, c[0] + 0.5);
        double step = (c[^1] - c[0]) / (c.Length - 1);
        return (c[0] - step / 2, c[^1] + step / 2);
    }

    public static string Render(Heatmap h)
    {
        var f = Layout(h);
        int ny = h.rows, nx = h.cols;
        var (x0, x1) = Extent(h.X);
        var (y0, y1) = Extent(h.Y);
        double Px(double x) => f.Left + (x - x0) / (x1 - x0) * f.Pw;
        double Py(double y) => h.YDown ? f.Top + (y - y0) / (y1 - y0) * f.Ph : f.Top + (1 - (y - y0) / (y1 - y0)) * f.Ph;

        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nb-heatmap-svg\" width=\"").Append(Num(f.Width)).Append("\" height=\"").Append(Num(f.Height))
          .Append("\" viewBox=\"0 0 ").Append(Num(f.Width)).Append(' ').Append(Num(f.Height)).Append("\" font-family=\"sans-serif\" font-size=\"11\" fill=\"currentColor\"").Append(Theme.SvgRootStyle).Append('>');

        // The grid: one PNG, top row first.
        var png = h.Png ?? GridPng(h);
        sb.Append("<image class=\"cells\" x=\"").Append(Num(f.Left)).Append("\" y=\"").Append(Num(f.Top)).Append("\" width=\"").Append(Num(f.Pw)).Append("\" height=\"").Append(Num(f.Ph))
          .Append("\" preserveAspectRatio=\"none\" style=\"image-rendering:").Append(h.Levels is null ? "pixelated" : "auto").Append("\" href=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\"/>");

        if (h.Levels is { } levels)
        {
            double sx = nx > 1 ? (h.X[^1] - h.X[0]) / (nx - 1) : 1, sy = ny > 1 ? (h.Y[^1] - h.Y[0]) / (ny - 1) : 1;
            sb.Append("<g class=\"contours\" fill=\"none\" stroke=\"#000\" stroke-opacity=\"0.55\" stroke-width=\"1\">");
            foreach (var level in levels)
            {
                var segs = Contours.Segments(h.Z, level);
                if (segs.Count == 0) continue;
                sb.Append("<path data-level=\"").Append(Short(level)).Append("\" d=\"");
                foreach (var (a, b, c, d) in segs)
                    sb.Append('M').Append(Num(Px(h.X[0] + a * sx))).Append(',').Append(Num(Py(h.Y[0] + b * sy)))
                      .Append('L').Append(Num(Px(h.X[0] + c * sx))).Append(',').Append(Num(Py(h.Y[0] + d * sy)));
                sb.Append("\"/>");
            }
            sb.Append("</g>");
        }

        if (h.Text is { } text)
        {
            double cw = f.Pw / nx, ch = f.Ph / ny;
            int longest = 1;
            foreach (var t in text) longest = Math.Max(longest, t?.Length ?? 0);
            double size = Math.Clamp(Math.Min(cw / (longest * 0.62), ch * 0.55), 6, 13);
            sb.Append("<g class=\"cell-text\" text-anchor=\"middle\" font-size=\"").Append(Num(size)).Append("\">");
            for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++)
            {
                if (string.IsNullOrEmpty(text[j, i])) continue;
                var colour = CellColour(h, h.Z[j, i]);
                sb.Append("<text x=\"").Append(Num(Px(h.X[i]))).Append("\" y=\"").Append(Num(Py(h.Y[j]) + size * 0.35)).Append("\" fill=\"")
                  .Append(Colormap.IsLight(colour) ? "#000" : "#fff").Append("\" data-row=\"").Append(j).Append("\" data-col=\"").Append(i).Append("\">").Append(Escape(text[j, i])).Append("</text>");
            }
            sb.Append("</g>");
        }

        if (h.Points.Count > 0)
        {
            sb.Append("<g class=\"points\">");
            foreach (var s in h.Points)
            {
                sb.Append("<g data-label=\"").Append(Escape(s.Label ?? "")).Append("\">");
                for (int i = 0; i < s.X.Length; i++)
                {
                    if (!double.IsFinite(s.X[i]) || !double.IsFinite(s.Y[i])) continue;
                    sb.Append("<circle cx=\"").Append(Num(Px(s.X[i]))).Append("\" cy=\"").Append(Num(Py(s.Y[i]))).Append("\" r=\"3.5\" fill=\"").Append(Escape(s.Color)).Append("\" stroke=\"#fff\" stroke-width=\"0.8\"/>");
                }
                sb.Append("</g>");
            }
            sb.Append("</g>");
        }

        // Axes frame and ticks.
        sb.Append("<rect class=\"frame\" x=\"").Append(Num(f.Left)).Append("\" y=\"").Append(Num(f.Top)).Append("\" width=\"").Append(Num(f.Pw)).Append("\" height=\"").Append(Num(f.Ph)).Append("\" fill=\"none\" stroke=\"currentColor\"/>");
        sb.Append("<g class=\"xticks\">");
        foreach (var (pos, label) in TickMarks(h.X, h.XLabels, x0, x1))
        {
            double px = Px(pos), py = f.Top + f.Ph;
            sb.Append("<line x1=\"").Append(Num(px)).Append("\" x2=\"").Append(Num(px)).Append("\" y1=\"").Append(Num(py)).Append("\" y2=\"").Append(Num(py + 4)).Append("\" stroke=\"currentColor\"/>");
            if (f.RotateX)
                sb.Append("<text transform=\"translate(").Append(Num(px + 3)).Append(',').Append(Num(py + 10)).Append(") rotate(-45)\" text-anchor=\"end\">").Append(Escape(label)).Append("</text>");
            else
                sb.Append("<text x=\"").Append(Num(px)).Append("\" y=\"").Append(Num(py + 16)).Append("\" text-anchor=\"middle\">").Append(Escape(label)).Append("</text>");
        }
        sb.Append("</g><g class=\"yticks\">");
        foreach (var (pos, label) in TickMarks(h.Y, h.YLabels, y0, y1))
        {
            double py = Py(pos);
            sb.Append("<line x1=\"").Append(Num(f.Left - 4)).Append("\" x2=\"").Append(Num(f.Left)).Append("\" y1=\"").Append(Num(py)).Append("\" y2=\"").Append(Num(py)).Append("\" stroke=\"currentColor\"/>")
              .Append("<text x=\"").Append(Num(f.Left - 6)).Append("\" y=\"").Append(Num(py + 4)).Append("\" text-anchor=\"end\">").Append(Escape(label)).Append("</text>");
        }
        sb.Append("</g>");

        if (h.ShowColorbar && !h.IsRgb && h.ClassColors is null) Colorbar(sb, h, f);

        if (h.TitleText is { } title) sb.Append("<text class=\"title\" x=\"").Append(Num(f.Left + f.Pw / 2)).Append("\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">").Append(Escape(title)).Append("</text>");
        if (h.XLabelText is { } xl) sb.Append("<text class=\"xlabel\" x=\"").Append(Num(f.Left + f.Pw / 2)).Append("\" y=\"").Append(Num(f.Height - 8)).Append("\" text-anchor=\"middle\">").Append(Escape(xl)).Append("</text>");
        if (h.YLabelText is { } yl) sb.Append("<text class=\"ylabel\" transform=\"translate(14,").Append(Num(f.Top + f.Ph / 2)).Append(") rotate(-90)\" text-anchor=\"middle\">").Append(Escape(yl)).Append("</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>One tick per category (every k-th beyond 40), or nice numbers across the extent.</summary>
    private static IEnumerable<(double pos, string label)> TickMarks(double[] centres, string[]? labels, double lo, double hi)
    {
        if (labels is not null)
        {
            int step = Math.Max(1, (int)Math.Ceiling(labels.Length / 40.0));
            for (int k = 0; k < labels.Length; k += step) yield return (centres[k], labels[k]);
            yield break;
        }
        foreach (var t in SvgChart.Ticks(lo, hi))
            if (t >= lo - 1e-9 * Math.Abs(hi - lo) && t <= hi + 1e-9 * Math.Abs(hi - lo)) yield return (t, Short(t));
    }

    private static void Colorbar(StringBuilder sb, Heatmap h, Frame f)
    {
        double x = f.Left + f.Pw + 16, w = 14;
        var id = "nb-cb-" + string.Concat(h.Cmap.name.Where(char.IsLetterOrDigit)) + (h.Levels is null ? "" : "-bands" + h.Levels.Length.ToString(CultureInfo.InvariantCulture));
        sb.Append("<g class=\"colorbar\"><defs><linearGradient id=\"").Append(id).Append("\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
        for (int i = 0; i <= 20; i++)
            sb.Append("<stop offset=\"").Append(Num(i / 20.0)).Append("\" stop-color=\"").Append(h.Cmap.Hex(i / 20.0)).Append("\"/>");
        sb.Append("</linearGradient></defs><rect x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(f.Top)).Append("\" width=\"").Append(w).Append("\" height=\"").Append(Num(f.Ph))
          .Append("\" fill=\"url(#").Append(id).Append(")\" stroke=\"currentColor\" stroke-opacity=\"0.4\"/>");
        double lo = h.Vmin, hi = h.Vmax;
        if (hi > lo)
            foreach (var t in SvgChart.Ticks(lo, hi))
            {
                if (t < lo - 1e-9 * (hi - lo) || t > hi + 1e-9 * (hi - lo)) continue;
                double py = f.Top + (1 - (t - lo) / (hi - lo)) * f.Ph;
                sb.Append("<line x1=\"").Append(Num(x + w)).Append("\" x2=\"").Append(Num(x + w + 4)).Append("\" y1=\"").Append(Num(py)).Append("\" y2=\"").Append(Num(py)).Append("\" stroke=\"currentColor\"/>")
                  .Append("<text x=\"").Append(Num(x + w + 6)).Append("\" y=\"").Append(Num(py + 4)).Append("\">").Append(Short(t)).Append("</text>");
            }
        if (h.ColorbarLabel is { } label)
            sb.Append("<text transform=\"translate(").Append(Num(f.Width - 6)).Append(',').Append(Num(f.Top + f.Ph / 2)).Append(") rotate(-90)\" text-anchor=\"middle\">").Append(Escape(label)).Append("</text>");
        sb.Append("</g>");
    }

    /// <summary>A cell's colour: its class colour (lightened), its contour band's, or the colour map's at its value.</summary>
    internal static (byte r, byte g, byte b) CellColour(Heatmap h, double v)
    {
        if (h.ClassColors is { } classes)
        {
            if (!double.IsFinite(v)) return (255, 255, 255);
            var c = Parse(classes[Math.Clamp((int)Math.Round(v), 0, classes.Length - 1)]);
            // Regions are a lighter tint of the class colour, so the points of that class stand out on them.
            return (Tint(c.r), Tint(c.g), Tint(c.b));
        }
        double span = h.Vmax - h.Vmin;
        if (h.Levels is { Length: > 0 } levels && double.IsFinite(v))
        {
            // Filled contours: the band's middle value.
            int band = levels.Count(l => v > l);
            double lo = band == 0 ? h.Vmin : levels[band - 1], hi = band == levels.Length ? h.Vmax : levels[band];
            v = (lo + hi) / 2;
        }
        return h.Cmap.At(span > 0 ? (v - h.Vmin) / span : 0.5);

        static byte Tint(byte c) => (byte)Math.Round(c * 0.45 + 255 * 0.55);
    }

    private static (byte r, byte g, byte b) Parse(string hex) =>
        (byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>The grid as RGB pixels, one per cell, the top row first (row 0 on top only when <see cref="Heatmap.YDown"/>).</summary>
    internal static byte[] GridPng(Heatmap h)
    {
        int ny = h.rows, nx = h.cols;
        var px = new byte[nx * ny * 3];
        for (int r = 0; r < ny; r++)
        {
            int j = h.YDown ? r : ny - 1 - r;
            for (int i = 0; i < nx; i++)
            {
                var (cr, cg, cb) = CellColour(h, h.Z[j, i]);
                int o = (r * nx + i) * 3;
                px[o] = cr; px[o + 1] = cg; px[o + 2] = cb;
            }
        }
        return Images.Png.Encode(nx, ny, 3, px);
    }
}
