using Notebooks.Formatters.Plots;

namespace Notebooks.Formatters;

public static partial class viz
{
    /// <summary>A new chart: <c>viz.plot().scatter(x, y, label: "data").line(x, yhat, color: "red", label: "fit").title("…")</c>.</summary>
    public static Plot plot() => new();
}
