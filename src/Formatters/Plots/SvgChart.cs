using Notebooks.Formatters.Html;
using System.Text;
using static Notebooks.Formatters.Html.Html;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// A static SVG rendering of scatter/line series with axes, ticks, title, labels and a legend: the fallback a
/// notebook keeps for viewers without JavaScript (nbconvert HTML, GitHub), and the live loss curve's drawing.
/// </summary>
internal static class SvgChart
{
    public const int Width = 640, Height = 400;
    private const double Left = 64, Right = 16, Top = 36, Bottom = 48;

    public static string Render(IReadOnlyList<Series> series, string? title, string? xlabel, string? ylabel, bool logY = false)
    {
        double x0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y0 = double.PositiveInfinity, y1 = double.NegativeInfinity;
        foreach (var s in series)
            for (int i = 0; i < s.X.Length; i++)
            {
                double x = s.X[i], y = logY ? Math.Log10(s.Y[i]) : s.Y[i];
                if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
            }
        if (!double.IsFinite(x0)) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
        if (x1 == x0) { x0 -= 0.5; x1 += 0.5; }
        if (y1 == y0) { y0 -= 0.5; y1 += 0.5; }
        // 5% margins like matplotlib's default.
        double dx = (x1 - x0) * 0.05, dy = (y1 - y0) * 0.05;
        x0 -= dx; x1 += dx; y0 -= dy; y1 += dy;
        double pw = Width - Left - Right, ph = Height - Top - Bottom;
        double Px(double x) => Left + (x - x0) / (x1 - x0) * pw;
        double Py(double y) => Top + (1 - (y - y0) / (y1 - y0)) * ph;

        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nb-chart\" width=\"").Append(Width).Append("\" height=\"").Append(Height)
          .Append("\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(Height).Append("\" font-family=\"sans-serif\" font-size=\"11\" fill=\"currentColor\"").Append(Theme.SvgRootStyle).Append('>');
        // Transparent background and currentColor lines and text: legible in light and dark themes (Theme).
        sb.Append("<g class=\"axes\" stroke=\"currentColor\"><rect x=\"").Append(Left).Append("\" y=\"").Append(Top).Append("\" width=\"").Append(Num(pw)).Append("\" height=\"").Append(Num(ph)).Append("\" fill=\"none\"/></g>");

        sb.Append("<g class=\"xticks\">");
        foreach (var t in Ticks(x0, x1))
            sb.Append("<line x1=\"").Append(Num(Px(t))).Append("\" x2=\"").Append(Num(Px(t))).Append("\" y1=\"").Append(Num(Top + ph)).Append("\" y2=\"").Append(Num(Top + ph + 4)).Append("\" stroke=\"currentColor\"/>")
              .Append("<text x=\"").Append(Num(Px(t))).Append("\" y=\"").Append(Num(Top + ph + 16)).Append("\" text-anchor=\"middle\">").Append(Short(t)).Append("</text>");
        sb.Append("</g><g class=\"yticks\">");
        foreach (var t in logY ? LogTicks(y0, y1) : Ticks(y0, y1))
            sb.Append("<line x1=\"").Append(Num(Left - 4)).Append("\" x2=\"").Append(Left).Append("\" y1=\"").Append(Num(Py(t))).Append("\" y2=\"").Append(Num(Py(t))).Append("\" stroke=\"currentColor\"/>")
              .Append("<text x=\"").Append(Num(Left - 6)).Append("\" y=\"").Append(Num(Py(t) + 4)).Append("\" text-anchor=\"end\">").Append(logY ? Short(Math.Pow(10, t)) : Short(t)).Append("</text>");
        sb.Append("</g>");

        sb.Append("<g class=\"series\">");
        for (int k = 0; k < series.Count; k++)
        {
            var s = series[k];
            sb.Append("<g data-label=\"").Append(Escape(s.Label ?? "")).Append("\" data-kind=\"").Append(s.Kind == SeriesKind.Line ? "line" : "scatter").Append("\">");
            if (s.Kind == SeriesKind.Line)
            {
                // NaN/Inf break the line, as in matplotlib.
                var run = new List<string>();
                for (int i = 0; i <= s.X.Length; i++)
                {
                    bool ok = i < s.X.Length && double.IsFinite(s.X[i]) && double.IsFinite(logY ? Math.Log10(s.Y[i]) : s.Y[i]);
                    if (ok) { run.Add(Num(Px(s.X[i])) + "," + Num(Py(logY ? Math.Log10(s.Y[i]) : s.Y[i]))); continue; }
                    if (run.Count > 0)
                        sb.Append("<polyline fill=\"none\" stroke=\"").Append(Escape(s.Color)).Append("\" stroke-width=\"1.5\" points=\"").AppendJoin(' ', run).Append("\"/>");
                    run.Clear();
                }
            }
            else
            {
                for (int i = 0; i < s.X.Length; i++)
                {
                    double y = logY ? Math.Log10(s.Y[i]) : s.Y[i];
                    if (!double.IsFinite(s.X[i]) || !double.IsFinite(y)) continue;
                    sb.Append("<circle cx=\"").Append(Num(Px(s.X[i]))).Append("\" cy=\"").Append(Num(Py(y))).Append("\" r=\"3\" fill=\"").Append(Escape(s.Color)).Append("\"/>");
                }
            }
            sb.Append("</g>");
        }
        sb.Append("</g>");

        if (title is not null) sb.Append("<text class=\"title\" x=\"").Append(Num(Left + pw / 2)).Append("\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">").Append(Escape(title)).Append("</text>");
        if (xlabel is not null) sb.Append("<text class=\"xlabel\" x=\"").Append(Num(Left + pw / 2)).Append("\" y=\"").Append(Height - 10).Append("\" text-anchor=\"middle\">").Append(Escape(xlabel)).Append("</text>");
        if (ylabel is not null) sb.Append("<text class=\"ylabel\" transform=\"translate(16,").Append(Num(Top + ph / 2)).Append(") rotate(-90)\" text-anchor=\"middle\">").Append(Escape(ylabel)).Append("</text>");

        var labelled = series.Where(s => s.Label is not null).ToList();
        if (labelled.Count > 0)
        {
            double lw = 28 + labelled.Max(s => s.Label!.Length) * 6.5, lx = Left + pw - lw - 8, ly = Top + 8;
            sb.Append("<g class=\"legend\"><rect x=\"").Append(Num(lx)).Append("\" y=\"").Append(Num(ly)).Append("\" width=\"").Append(Num(lw)).Append("\" height=\"").Append(labelled.Count * 16 + 6)
              .Append("\" fill=\"currentColor\" fill-opacity=\"0.06\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>");
            for (int i = 0; i < labelled.Count; i++)
            {
                var s = labelled[i];
                double cy = ly + 11 + i * 16;
                if (s.Kind == SeriesKind.Line)
                    sb.Append("<line x1=\"").Append(Num(lx + 4)).Append("\" x2=\"").Append(Num(lx + 20)).Append("\" y1=\"").Append(Num(cy)).Append("\" y2=\"").Append(Num(cy)).Append("\" stroke=\"").Append(Escape(s.Color)).Append("\" stroke-width=\"1.5\"/>");
                else
                    sb.Append("<circle cx=\"").Append(Num(lx + 12)).Append("\" cy=\"").Append(Num(cy)).Append("\" r=\"3\" fill=\"").Append(Escape(s.Color)).Append("\"/>");
                sb.Append("<text x=\"").Append(Num(lx + 24)).Append("\" y=\"").Append(Num(cy + 4)).Append("\">").Append(Escape(s.Label!)).Append("</text>");
            }
            sb.Append("</g>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// Ticks of a log axis, as exponents: whole decades (every k-th when there are many) once the range spans one;
    /// within less than a decade, ordinary ticks of the exponent.
    /// </summary>
    internal static List<double> LogTicks(double lo, double hi)
    {
        long first = (long)Math.Ceiling(lo - 1e-9), last = (long)Math.Floor(hi + 1e-9);
        if (last - first < 1) return Ticks(lo, hi);
        long step = Math.Max(1, (long)Math.Ceiling((last - first + 1) / 7.0));
        var ticks = new List<double>();
        for (long k = first; k <= last; k += step) ticks.Add(k);
        return ticks;
    }

    /// <summary>"Nice" tick positions (steps of 1, 2 or 5 × 10^k), about five across the range.</summary>
    internal static List<double> Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 5, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        var ticks = new List<double>();
        // Integer multiples of the step, with a tolerance so -0.3/0.1 = -2.9999… still yields -3.
        for (long k = (long)Math.Ceiling(lo / step - 1e-9), end = (long)Math.Floor(hi / step + 1e-9); k <= end; k++)
            ticks.Add(k * step);
        return ticks;
    }
}
