using System.Globalization;
using System.Text;
using static Notebooks.Formatters.Html.Html;

namespace Notebooks.Formatters.TensorCards;

/// <summary>
/// The text/html display of a tensor: a header of badges (shape, dtype, device, autograd, memory), the values
/// (a table, or labelled 2-D slices for 3-D+, summarised like PyTorch's repr), a stats line with a histogram,
/// and the gradient when there is one. Its cost depends on what is shown, not on the tensor's size.
/// </summary>
internal static class TensorCard
{
    /// <summary>
    /// Colours come from the front end where it says them (JupyterLab/Notebook 7's --jp-*, VS Code's --vscode-*) and
    /// otherwise are translucent greys over the inherited text colour, so the card reads in light and dark themes alike.
    /// The values sit in a box of bounded height that scrolls (a [400, 2] tensor is a 400-row table, as its repr is 400
    /// lines; 280 px is about 14 rows); a value and its grad, and the slices of a 3-D+ tensor, wrap side by side instead of stacking.
    /// </summary>
    private const string Style =
        "<style>.nb-tensor{font-family:system-ui,sans-serif;font-size:12px;border:1px solid var(--jp-border-color1,rgba(127,127,127,.4));border-radius:6px;padding:6px 8px;display:inline-block;max-width:100%;box-sizing:border-box;overflow:auto;color:inherit}" +
        ".nb-badge{display:inline-block;border-radius:10px;padding:1px 7px;margin:0 4px 4px 0;background:rgba(127,127,127,.16);color:inherit}" +
        ".nb-badge.nb-grad{background:rgba(59,130,246,.22)}.nb-badge.nb-fn{background:rgba(127,127,127,.28)}" +
        ".nb-tensor-body{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:flex-start}" +
        ".nb-values-box{max-height:280px;max-width:100%;overflow:auto}" +
        ".nb-slices{display:flex;flex-wrap:wrap;gap:2px 14px;align-items:flex-start}" +
        ".nb-tensor table{border-collapse:collapse;font-family:ui-monospace,monospace;color:inherit;background:transparent}.nb-tensor td{padding:1px 6px;text-align:right;white-space:pre}" +
        ".nb-tensor th{padding:1px 6px;opacity:.6;font-weight:normal;text-align:right}" +
        ".nb-tensor tr{background:transparent!important}" +
        ".nb-slice-label{font-family:ui-monospace,monospace;opacity:.6;margin-top:4px}" +
        ".nb-stats{opacity:.85;margin-top:4px;display:flex;flex-wrap:wrap;align-items:center;gap:2px 8px;line-height:20px}" +
        ".nb-stats svg{display:block;flex:none}.nb-note{color:var(--jp-warn-color1,#c08000)}</style>";


    public static string Render(Tensor t, TensorHtmlOptions o) => Render(t, o, "tensor", o.ShowGrad);

    private static string Render(Tensor t, TensorHtmlOptions o, string title, bool withGrad)
    {
        var x = t.detach();
        var sb = new StringBuilder();
        sb.Append("<div class=\"nb-tensor\">").Append(Style);
        Header(sb, t, title);

        var (sample, sampled) = TensorReader.Sample(x, o.StatsSampleLimit);
        var stats = TensorStats.Of(sample, o.HistogramBins, sampled);

        bool summarize = t.numel() > o.Threshold;
        sb.Append("<div class=\"nb-tensor-body\"><div class=\"nb-tensor-main\">");
        if (t.numel() == 0) sb.Append("<div class=\"nb-empty\">(no elements)</div>");
        else
        {
            sb.Append("<div class=\"nb-values-box\">");
            if (t.dim() <= 2) Table(sb, x, summarize, o, stats, null);
            else Slices(sb, x, summarize, o, stats);
            sb.Append("</div>");
        }

        Stats(sb, stats, o);
        sb.Append("</div>");
        if (withGrad && (t.is_leaf || t.retains_grad) && t.grad is { } g)
        {
            sb.Append("<div class=\"nb-grad-section\">");
            sb.Append(Render(g, o, "grad", false));
            sb.Append("</div>");
        }
        sb.Append("</div></div>");
        return sb.ToString();
    }

    private static void Header(StringBuilder sb, Tensor t, string title)
    {
        sb.Append("<div class=\"nb-tensor-head\">");
        sb.Append("<b>").Append(title).Append("</b> ");
        Badge(sb, "shape", "[" + string.Join(", ", t.shape) + "]");
        Badge(sb, "dtype", t.dtype.ToString());
        Badge(sb, "device", t.device.ToString());
        if (t.grad_fn is { } fn) Badge(sb, "grad_fn", "grad_fn=" + fn.name(), "nb-fn");
        else if (t.requires_grad) Badge(sb, "requires_grad", "requires_grad", "nb-grad");
        Badge(sb, "nbytes", Bytes(t.nbytes));
        sb.Append("</div>");
    }

    private static void Badge(StringBuilder sb, string key, string text, string? cls = null) =>
        sb.Append("<span class=\"nb-badge").Append(cls is null ? "" : " " + cls).Append("\" data-k=\"").Append(key).Append("\">")
          .Append(Escape(text)).Append("</span>");

    /// <summary>A 0-, 1- or 2-D tensor as a table (a 1-D tensor is one row, like its repr).</summary>
    private static void Table(StringBuilder sb, Tensor m, bool summarize, TensorHtmlOptions o, TensorStats stats, string? label)
    {
        var m2 = m.dim() switch { 0 => m.reshape(1, 1), 1 => m.unsqueeze(0), _ => m };
        var rows = EdgeIndices.For(m2.size(0), summarize, o.EdgeItems);
        var cols = EdgeIndices.For(m2.size(1), summarize, o.EdgeItems);
        var grid = TensorReader.Grid(m2, rows, cols);
        var shown = new List<double>();
        for (int i = 0; i < rows.Length; i++)
        for (int j = 0; j < cols.Length; j++)
            if (rows[i] != EdgeIndices.Gap && cols[j] != EdgeIndices.Gap) shown.Add(grid[i, j]);
        var fmt = ValueFormat.For(m.dtype, shown);

        if (label is not null) sb.Append("<div class=\"nb-slice\"><div class=\"nb-slice-label\">").Append(Escape(label)).Append("</div>");
        sb.Append("<table class=\"nb-values\"").Append(m.dim() == 2 ? " data-indexed=\"true\"" : "").Append(">");
        bool indexed = m.dim() == 2;
        if (indexed)
        {
            sb.Append("<tr><th></th>");
            foreach (var c in cols) sb.Append("<th>").Append(c == EdgeIndices.Gap ? "…" : c.ToString(CultureInfo.InvariantCulture)).Append("</th>");
            sb.Append("</tr>");
        }
        for (int i = 0; i < rows.Length; i++)
        {
            sb.Append("<tr>");
            if (indexed) sb.Append("<th>").Append(rows[i] == EdgeIndices.Gap ? "⋮" : rows[i].ToString(CultureInfo.InvariantCulture)).Append("</th>");
            for (int j = 0; j < cols.Length; j++)
            {
                if (rows[i] == EdgeIndices.Gap || cols[j] == EdgeIndices.Gap)
                {
                    sb.Append("<td class=\"nb-gap\">").Append(rows[i] == EdgeIndices.Gap && cols[j] == EdgeIndices.Gap ? "⋱" : rows[i] == EdgeIndices.Gap ? "⋮" : "…").Append("</td>");
                    continue;
                }
                double v = grid[i, j];
                sb.Append("<td");
                if (o.ColorScale) sb.Append(" style=\"background:").Append(Tint(v, stats)).Append('"');
                sb.Append('>').Append(fmt.Format(v)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</table>");
        if (label is not null) sb.Append("</div>");
    }

    /// <summary>3-D+: one labelled table per index of the leading dims, summarised and capped.</summary>
    private static void Slices(StringBuilder sb, Tensor x, bool summarize, TensorHtmlOptions o, TensorStats stats)
    {
        int lead = x.dim() - 2;
        var idx = new long[lead];
        int drawn = 0, skipped = 0;
        sb.Append("<div class=\"nb-slices\">");
        Walk(0, x);
        sb.Append("</div>");
        if (skipped > 0) sb.Append("<div class=\"nb-note\">… ").Append(skipped).Append(" more slices not drawn</div>");

        void Walk(int d, Tensor view)
        {
            if (d == lead)
            {
                if (drawn >= o.MaxSlices) { skipped++; return; }
                drawn++;
                Table(sb, view, summarize, o, stats, "[" + string.Join(", ", idx.Select(i => i.ToString(CultureInfo.InvariantCulture))) + ", :, :]");
                return;
            }
            foreach (var i in EdgeIndices.For(x.size(d), summarize, o.EdgeItems))
            {
                if (i == EdgeIndices.Gap) { sb.Append("<div class=\"nb-slice-gap\">⋮</div>"); continue; }
                idx[d] = i;
                Walk(d + 1, view.select(0, i));
            }
        }
    }

    /// <summary>A cell's tint over the finite range (an infinity would flatten every other value to one end).</summary>
    private static string Tint(double v, TensorStats s)
    {
        double lo = s.FiniteMin, hi = s.FiniteMax;
        if (!double.IsFinite(v) || !(hi > lo)) return "transparent";
        // Diverging around zero when the values straddle it, sequential otherwise.
        if (lo < 0 && hi > 0)
        {
            double a = v < 0 ? Math.Clamp(v / lo, 0, 1) : Math.Clamp(v / hi, 0, 1);
            return v < 0 ? $"rgba(59,130,246,{Num(a * 0.6)})" : $"rgba(239,68,68,{Num(a * 0.6)})";
        }
        double f = Math.Clamp((v - lo) / (hi - lo), 0, 1);
        return $"rgba(59,130,246,{Num(f * 0.6)})";
    }

    private static void Stats(StringBuilder sb, TensorStats s, TensorHtmlOptions o)
    {
        sb.Append("<div class=\"nb-stats\" data-min=\"").Append(Num6(s.Min)).Append("\" data-max=\"").Append(Num6(s.Max))
          .Append("\" data-mean=\"").Append(Num6(s.Mean)).Append("\" data-std=\"").Append(Num6(s.Std))
          .Append("\" data-nan=\"").Append(s.NaNs).Append("\" data-inf=\"").Append(s.Infs)
          .Append("\" data-sampled=\"").Append(s.Sampled ? "true" : "false").Append("\">");
        sb.Append("min ").Append(Short(s.Min)).Append(" · max ").Append(Short(s.Max))
          .Append(" · mean ").Append(Short(s.Mean)).Append(" · std ").Append(Short(s.Std));
        if (s.NaNs > 0) sb.Append(" · <span class=\"nb-note\">NaN ").Append(s.NaNs).Append("</span>");
        if (s.Infs > 0) sb.Append(" · <span class=\"nb-note\">Inf ").Append(s.Infs).Append("</span>");
        if (s.Finite > 0) Histogram(sb, s.Histogram);
        if (s.Sampled) sb.Append(" <span class=\"nb-note\">(stats on a strided sample of ").Append(s.Count + s.NaNs).Append(" values)</span>");
        sb.Append("</div>");
    }

    private static string Num6(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);

    private static void Histogram(StringBuilder sb, int[] bins)
    {
        const double w = 96, h = 20;
        int peak = Math.Max(1, bins.Max());
        double bw = w / bins.Length;
        sb.Append("<svg class=\"nb-hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(w).Append("\" height=\"").Append(h).Append("\">");
        for (int i = 0; i < bins.Length; i++)
        {
            double bh = bins[i] == 0 ? 0 : Math.Max(1, bins[i] * h / peak);
            sb.Append("<rect x=\"").Append(Num(i * bw)).Append("\" y=\"").Append(Num(h - bh)).Append("\" width=\"").Append(Num(bw - 0.5))
              .Append("\" height=\"").Append(Num(bh)).Append("\" fill=\"#8b949e\" data-count=\"").Append(bins[i]).Append("\"/>");
        }
        sb.Append("</svg>");
    }
}
