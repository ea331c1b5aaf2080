namespace Notebooks.Formatters.Plots;

/// <summary>The parts of a Plotly layout our JSON figures share (heatmaps, subplots, plots drawn inside subplots).</summary>
internal static class PlotlyLayout
{
    /// <summary>
    /// A figure's layout: transparent paper and plot area with mid-grey text, so it reads on light and dark notebook
    /// themes alike (<see cref="Html.Theme"/>).
    /// </summary>
    public static Dictionary<string, object?> Base(string? title, int width, int height) => new()
    {
        ["title"] = new Dictionary<string, object?> { ["text"] = title },
        ["width"] = width, ["height"] = height,
        ["margin"] = new Dictionary<string, object?> { ["t"] = title is null ? 24 : 48, ["r"] = 24 },
        ["paper_bgcolor"] = "rgba(0,0,0,0)", ["plot_bgcolor"] = "rgba(0,0,0,0)",
        ["font"] = new Dictionary<string, object?> { ["color"] = "#808080" },
    };

    public static Dictionary<string, object?> Axis(string? title) => new()
    {
        ["title"] = new Dictionary<string, object?> { ["text"] = title },
        ["zeroline"] = false,
        ["gridcolor"] = "rgba(128,128,128,0.25)",
        ["linecolor"] = "#808080", ["showline"] = true, ["mirror"] = true,
    };

    /// <summary>A <see cref="Plot"/>'s series as Plotly traces.</summary>
    public static List<Dictionary<string, object?>> Traces(IReadOnlyList<Series> series) =>
        [.. series.Select(s => new Dictionary<string, object?>
        {
            ["type"] = "scatter", ["mode"] = s.Kind == SeriesKind.Line ? "lines" : "markers",
            ["x"] = Heatmap.Finite(s.X), ["y"] = Heatmap.Finite(s.Y), ["name"] = s.Label ?? "", ["showlegend"] = s.Label is not null,
            [s.Kind == SeriesKind.Line ? "line" : "marker"] = new Dictionary<string, object?> { ["color"] = s.Color },
        })];
}
