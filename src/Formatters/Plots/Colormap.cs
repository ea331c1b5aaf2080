using System.Globalization;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// A named colour map, matplotlib's names (<c>viridis</c>, <c>gray</c>, <c>Blues</c>, <c>RdBu</c>, <c>magma</c>,
/// <c>coolwarm</c>; <c>_r</c> reverses; Plotly's capitalised spellings and <c>Greys</c> are accepted), as evenly spaced
/// stops taken from matplotlib's tables and interpolated linearly. The same stops go to Plotly as its colorscale, so the
/// interactive chart and its static picture agree.
/// </summary>
public sealed class Colormap
{
    private static readonly Dictionary<string, string[]> Stops = new(StringComparer.OrdinalIgnoreCase)
    {
        ["viridis"] = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"],
        ["magma"] = ["#000004", "#180f3d", "#440f76", "#721f81", "#9e2f7f", "#cd4071", "#f1605d", "#fd9668", "#feca8d", "#fcfdbf"],
        ["gray"] = ["#000000", "#ffffff"],
        ["Blues"] = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
        ["RdBu"] = ["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061"],
        ["coolwarm"] = ["#3b4cc0", "#6788ee", "#9abbff", "#c9d7f0", "#edd1c2", "#f7a889", "#e26952", "#b40426"],
    };

    private readonly (byte r, byte g, byte b)[] _stops;

    private Colormap(string name, (byte, byte, byte)[] stops) { this.name = name; _stops = stops; }

    public string name { get; }

    /// <summary>The colour map called <paramref name="name"/>; an unknown name is refused with the list of known ones.</summary>
    public static Colormap Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool reversed = name.EndsWith("_r", StringComparison.Ordinal);
        var baseName = reversed ? name[..^2] : name;
        if (baseName.Equals("greys", StringComparison.OrdinalIgnoreCase) || baseName.Equals("grey", StringComparison.OrdinalIgnoreCase))
        {
            // matplotlib's Greys runs white to black: gray reversed.
            baseName = "gray"; reversed = !reversed;
        }
        if (!Stops.TryGetValue(baseName, out var hex))
            throw new ArgumentException($"'{name}' is not a known colormap name; supported values are: {string.Join(", ", Stops.Keys.Order(StringComparer.Ordinal))} (and Greys, each with _r)", nameof(name));
        var stops = hex.Select(Parse).ToArray();
        if (reversed) Array.Reverse(stops);
        return new Colormap(name, stops);
    }

    /// <summary>The colour at <paramref name="f"/> in 0..1 (clamped); NaN maps to transparent black's stand-in (the lowest colour).</summary>
    public (byte r, byte g, byte b) At(double f)
    {
        if (double.IsNaN(f)) f = 0;
        f = Math.Clamp(f, 0, 1) * (_stops.Length - 1);
        int i = Math.Min((int)f, _stops.Length - 2);
        double t = f - i;
        var (a, b) = (_stops[i], _stops[i + 1]);
        return (Lerp(a.r, b.r, t), Lerp(a.g, b.g, t), Lerp(a.b, b.b, t));
    }

    public string Hex(double f)
    {
        var (r, g, b) = At(f);
        return "#" + r.ToString("x2", CultureInfo.InvariantCulture) + g.ToString("x2", CultureInfo.InvariantCulture) + b.ToString("x2", CultureInfo.InvariantCulture);
    }

    /// <summary>Plotly's colorscale: [[0, "#…"], …, [1, "#…"]].</summary>
    internal object[][] PlotlyScale(int n = 11) =>
        Enumerable.Range(0, n).Select(i => new object[] { i / (double)(n - 1), Hex(i / (double)(n - 1)) }).ToArray();

    /// <summary>Whether text over this colour should be dark (WCAG relative luminance above the midpoint).</summary>
    internal static bool IsLight((byte r, byte g, byte b) c) => 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b > 140;

    private static byte Lerp(byte a, byte b, double t) => (byte)Math.Round(a + (b - a) * t);

    private static (byte, byte, byte) Parse(string hex) =>
        (byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    public override string ToString() => $"Colormap('{name}')";
}
