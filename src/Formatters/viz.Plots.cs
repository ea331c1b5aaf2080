using Notebooks.Formatters.Plots;

namespace Notebooks.Formatters;

public static partial class viz
{
    /// <summary>A new chart: <c>viz.plot().scatter(x, y, label: "data").line(x, yhat, color: "red", label: "fit").title("…")</c>.</summary>
    public static Plot plot() => new();
}

public static partial class viz
{
    /// <summary>A grid of <paramref name="nrows"/> × <paramref name="ncols"/> charts (matplotlib's <c>plt.subplots</c>): <c>fig[0].line(…)</c>, <c>fig[0, 1].scatter(…)</c>.</summary>
    public static Subplots subplots(int nrows = 1, int ncols = 1) => new(nrows, ncols);

    /// <summary>Charts made elsewhere (Plot, Heatmap, ImageView) side by side, <paramref name="ncols"/> to a row.</summary>
    public static Subplots subplots(IEnumerable<object> charts, int ncols = 2, string? title = null)
    {
        var list = charts.ToList();
        if (list.Count == 0) throw new ArgumentException("subplots needs at least one chart", nameof(charts));
        ncols = Math.Min(ncols, list.Count);
        var fig = new Subplots((list.Count + ncols - 1) / ncols, ncols);
        for (int i = 0; i < list.Count; i++) fig.set(i, list[i]);
        return title is null ? fig : fig.suptitle(title);
    }
}
