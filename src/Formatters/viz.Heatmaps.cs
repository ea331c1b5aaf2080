using Notebooks.Formatters.Plots;
using static Notebooks.Formatters.Html.Html;

namespace Notebooks.Formatters;

public static partial class viz
{
    /// <summary>
    /// Plotly's heatmap of a 2-D <paramref name="z"/> ([rows, cols]): row i at <paramref name="y"/>[i] (default i, row 0
    /// at the bottom as in Plotly), column j at <paramref name="x"/>[j]; colours from <paramref name="colorscale"/>
    /// over <paramref name="zmin"/>..<paramref name="zmax"/> (default the finite min and max), with a colour bar; with
    /// <paramref name="annotate"/> each cell shows its value.
    /// </summary>
    public static Heatmap heatmap(Tensor z, Tensor? x = null, Tensor? y = null, string colorscale = "viridis", double? zmin = null, double? zmax = null,
        bool annotate = false, string? title = null)
    {
        var (grid, xs, ys) = Grid(z, x, y, "heatmap");
        var (lo, hi) = Range(grid, zmin, zmax);
        var h = new Heatmap(grid, xs, ys, Colormap.Get(colorscale), lo, hi) { Text = annotate ? Labels(grid, Short) : null };
        return title is null ? h : h.title(title);
    }

    /// <summary>
    /// Plotly's contour of a 2-D <paramref name="z"/> (x, y as for <see cref="heatmap"/>): filled bands between about
    /// <paramref name="levels"/> evenly spaced "nice" levels, with the level lines drawn.
    /// </summary>
    public static Heatmap contour(Tensor z, Tensor? x = null, Tensor? y = null, int levels = 10, string colorscale = "viridis", string? title = null)
    {
        if (levels < 1) throw new ArgumentException($"levels must be positive, got {levels}", nameof(levels));
        var (grid, xs, ys) = Grid(z, x, y, "contour");
        var (lo, hi) = Range(grid, null, null);
        var h = new Heatmap(grid, xs, ys, Colormap.Get(colorscale), lo, hi) { Levels = NiceLevels(lo, hi, levels) };
        return title is null ? h : h.title(title);
    }

    /// <summary>
    /// A classifier's decision regions: <paramref name="predict"/> is called once (under no_grad) on a
    /// <paramref name="resolution"/>² grid of points [N, 2] spanning <paramref name="X"/> ([N, 2]) with a 10 % margin;
    /// its output [N, C] (C ≥ 2) is read by argmax, [N] or [N, 1] as one score thresholded at 0.5 when every score lies
    /// in 0..1 (a probability) and at 0 otherwise (a logit). Each class's region is a light tint of its colour, the
    /// boundaries are drawn as lines, and the points of <paramref name="X"/> are drawn on top coloured by their class
    /// <paramref name="y"/>. <paramref name="labels"/> names the classes in the legend.
    /// </summary>
    public static Heatmap decision_boundary(Func<Tensor, Tensor> predict, Tensor X, Tensor y, int resolution = 100, IEnumerable<string>? labels = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(predict);
        if (X.dim() != 2 || X.size(1) != 2) throw new ArgumentException($"decision_boundary expects X of shape [N, 2], got [{string.Join(", ", X.shape)}]", nameof(X));
        if (y.numel() != X.size(0)) throw new ArgumentException($"X and y must have the same number of samples, but have {X.size(0)} and {y.numel()}", nameof(y));
        if (resolution < 2) throw new ArgumentException($"resolution must be at least 2, got {resolution}", nameof(resolution));
        var px = Values.Of(X.select(1, 0)); var py = Values.Of(X.select(1, 1)); var cls = Values.Of(y);
        var (ax, bx) = Padded(px); var (ay, by) = Padded(py);
        var xs = Enumerable.Range(0, resolution).Select(i => ax + (bx - ax) * i / (resolution - 1)).ToArray();
        var ys = Enumerable.Range(0, resolution).Select(j => ay + (by - ay) * j / (resolution - 1)).ToArray();
        var points = new double[resolution * resolution * 2];
        for (int j = 0; j < resolution; j++)
        for (int i = 0; i < resolution; i++) { points[(j * resolution + i) * 2] = xs[i]; points[(j * resolution + i) * 2 + 1] = ys[j]; }
        var input = torch.tensor(points, dtype: X.dtype.is_floating_point ? X.dtype : torch.float32, device: X.device).reshape(resolution * resolution, 2);
        var output = torch.no_grad(() => predict(input)).detach();
        if (output.size(0) != resolution * resolution)
            throw new ArgumentException($"predict must return one row per input point: got shape [{string.Join(", ", output.shape)}] for {resolution * resolution} points");
        double[] predicted;
        int classes;
        if (output.dim() == 2 && output.size(1) >= 2)
        {
            predicted = Values.Of(output.argmax(1));
            classes = (int)output.size(1);
        }
        else
        {
            var scores = Values.Of(output.reshape(-1));
            double threshold = scores.All(s => s is >= 0 and <= 1) ? 0.5 : 0;
            predicted = [.. scores.Select(s => s > threshold ? 1.0 : 0.0)];
            classes = 2;
        }
        classes = Math.Max(classes, (int)cls.Where(double.IsFinite).DefaultIfEmpty(0).Max() + 1);
        var names = labels?.ToArray();
        if (names is not null && names.Length < classes) throw new ArgumentException($"labels names {names.Length} classes, but there are {classes}", nameof(labels));
        var grid = new double[resolution, resolution];
        for (int j = 0; j < resolution; j++) for (int i = 0; i < resolution; i++) grid[j, i] = predicted[j * resolution + i];
        var colors = Enumerable.Range(0, classes).Select(Palette.At).ToArray();
        var h = new Heatmap(grid, xs, ys, Colormap.Get("viridis"), -0.5, classes - 0.5)
        {
            ClassColors = colors, ShowColorbar = false,
            Levels = [.. Enumerable.Range(0, classes - 1).Select(k => k + 0.5)],
        };
        for (int k = 0; k < classes; k++)
        {
            var idx = Enumerable.Range(0, cls.Length).Where(i => cls[i] == k).ToArray();
            if (idx.Length == 0) continue;
            h.scatter(idx.Select(i => px[i]), idx.Select(i => py[i]), names?[k] ?? "class " + k, colors[k]);
        }
        return title is null ? h : h.title(title);

        static (double, double) Padded(double[] v)
        {
            double lo = v.Where(double.IsFinite).DefaultIfEmpty(0).Min(), hi = v.Where(double.IsFinite).DefaultIfEmpty(1).Max();
            double pad = hi > lo ? (hi - lo) * 0.1 : 0.5;
            return (lo - pad, hi + pad);
        }
    }

    /// <summary>
    /// scikit-learn's confusion matrix drawn as its ConfusionMatrixDisplay draws it: true labels down the rows,
    /// predicted labels across the columns, each cell showing its count. The colours are normalised like
    /// <c>confusion_matrix(normalize=…)</c>: "true" (default) divides each row by its total, "pred" each column, "all" by
    /// the grand total, null leaves the counts. <paramref name="labels"/> names the classes 0 … C−1 (default their numbers).
    /// </summary>
    public static Heatmap confusion_matrix(Tensor y_true, Tensor y_pred, IEnumerable<string>? labels = null, string? normalize = "true", string colorscale = "Blues", string? title = null)
    {
        if (normalize is not (null or "true" or "pred" or "all"))
            throw new ArgumentException("normalize must be one of {'true', 'pred', 'all', None}", nameof(normalize));
        var t = Values.Of(y_true); var p = Values.Of(y_pred);
        if (t.Length != p.Length) throw new ArgumentException($"Found input variables with inconsistent numbers of samples: [{t.Length}, {p.Length}]");
        var names = labels?.ToArray();
        int n = names?.Length ?? (int)Math.Max(t.DefaultIfEmpty(0).Max(), p.DefaultIfEmpty(0).Max()) + 1;
        if (n < 1) throw new ArgumentException("confusion_matrix needs at least one class");
        var counts = new long[n, n];
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i] != Math.Floor(t[i]) || p[i] != Math.Floor(p[i]) || t[i] < 0 || p[i] < 0 || t[i] >= n || p[i] >= n)
                throw new ArgumentException($"labels must be class indices in [0, {n}), got y_true {Short(t[i])} and y_pred {Short(p[i])} at {i}");
            counts[(int)t[i], (int)p[i]]++;
        }
        var z = new double[n, n];
        long total = t.Length;
        for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++)
        {
            double denom = normalize switch
            {
                "true" => Enumerable.Range(0, n).Sum(k => counts[r, k]),
                "pred" => Enumerable.Range(0, n).Sum(k => counts[k, c]),
                "all" => total,
                _ => 1,
            };
            // An empty row or column normalises to 0, as scikit-learn's nan_to_num does.
            z[r, c] = denom == 0 ? 0 : counts[r, c] / denom;
        }
        double vmax = normalize is null ? Math.Max(1, z.Cast<double>().Max()) : 1;
        var text = new string[n, n];
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) text[r, c] = counts[r, c].ToString(System.Globalization.CultureInfo.InvariantCulture);
        names ??= [.. Enumerable.Range(0, n).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var centres = Enumerable.Range(0, n).Select(k => (double)k).ToArray();
        var h = new Heatmap(z, centres, centres, Colormap.Get(colorscale), 0, vmax)
        {
            XLabels = names, YLabels = names, YDown = true, Text = text, Size = Math.Clamp(n * 48, 300, 560),
            ColorbarLabel = normalize switch { "true" => "fraction of true label", "pred" => "fraction of predicted label", "all" => "fraction of all", _ => "count" },
        };
        h.xlabel("Predicted label").ylabel("True label");
        return title is null ? h : h.title(title);
    }

    private static (double[,] grid, double[] x, double[] y) Grid(Tensor z, Tensor? x, Tensor? y, string what)
    {
        if (z.dim() != 2) throw new ArgumentException($"{what} expects a 2-D z, got a tensor of shape [{string.Join(", ", z.shape)}]", nameof(z));
        int rows = (int)z.size(0), cols = (int)z.size(1);
        if (rows == 0 || cols == 0) throw new ArgumentException($"{what} got an empty z", nameof(z));
        var v = Values.Of(z);
        var grid = new double[rows, cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) grid[r, c] = v[r * cols + c];
        var xs = x is null ? [.. Enumerable.Range(0, cols).Select(i => (double)i)] : Values.Of(x);
        var ys = y is null ? [.. Enumerable.Range(0, rows).Select(i => (double)i)] : Values.Of(y);
        if (xs.Length != cols) throw new ArgumentException($"x has {xs.Length} values but z has {cols} columns", nameof(x));
        if (ys.Length != rows) throw new ArgumentException($"y has {ys.Length} values but z has {rows} rows", nameof(y));
        return (grid, xs, ys);
    }

    private static (double lo, double hi) Range(double[,] grid, double? zmin, double? zmax)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in grid) if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (!double.IsFinite(lo)) (lo, hi) = (0, 1);
        lo = zmin ?? lo; hi = zmax ?? hi;
        if (!(hi > lo)) { lo -= 0.5; hi = lo + 1; }
        return (lo, hi);
    }

    private static string[,] Labels(double[,] grid, Func<double, string> format)
    {
        var t = new string[grid.GetLength(0), grid.GetLength(1)];
        for (int r = 0; r < grid.GetLength(0); r++) for (int c = 0; c < grid.GetLength(1); c++) t[r, c] = format(grid[r, c]);
        return t;
    }

    /// <summary>Evenly spaced levels strictly inside lo..hi, a "nice" step (1, 2, 2.5 or 5 × 10^k) giving about <paramref name="count"/> bands.</summary>
    internal static double[] NiceLevels(double lo, double hi, int count)
    {
        double raw = (hi - lo) / count, mag = Math.Pow(10, Math.Floor(Math.Log10(raw))), r = raw / mag;
        double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10) * mag;
        var levels = new List<double>();
        for (long k = (long)Math.Floor(lo / step) + 1; k * step < hi - 1e-9 * step; k++) levels.Add(k * step);
        return [.. levels];
    }
}
