namespace Notebooks.Formatters.Plots;

internal enum SeriesKind { Scatter, Line }

/// <summary>One drawn data set of a chart.</summary>
internal sealed record Series(SeriesKind Kind, double[] X, double[] Y, string? Label, string Color);

/// <summary>Matplotlib's default colour cycle ("tab10"), so unstyled series look as they do in the Python lessons.</summary>
internal static class Palette
{
    private static readonly string[] Tab10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    public static string At(int i) => Tab10[i % Tab10.Length];

    /// <summary>Matplotlib's one-letter colours map to its tab10 shades; other CSS colours pass through.</summary>
    public static string Resolve(string? color, int index) => color switch
    {
        null or "" => At(index),
        "r" or "red" => "#d62728",
        "b" or "blue" => "#1f77b4",
        "g" or "green" => "#2ca02c",
        "k" or "black" => "#000000",
        "o" or "orange" => "#ff7f0e",
        _ => color,
    };
}

/// <summary>Tensors and sequences to plain doubles.</summary>
internal static class Values
{
    public static double[] Of(Tensor t) => t.detach().reshape(-1).ToArray<double>();
}
