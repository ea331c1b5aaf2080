using System.Globalization;

namespace Notebooks.Tensors;

/// <summary>Python's <c>repr</c> of the values modules print in their <c>extra_repr</c>.</summary>
internal static class PyRepr
{
    public static string Float(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        if (v == Math.Floor(v) && Math.Abs(v) < 1e16) return v.ToString("F1", CultureInfo.InvariantCulture);
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        int e = s.IndexOf('E');
        if (e < 0) return s;
        // C# writes 1E-05; Python writes 1e-05 (at least two exponent digits).
        var mant = s[..e];
        var exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        return $"{mant}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
    }

    public static string Bool(bool b) => b ? "True" : "False";

    public static string Tuple(IReadOnlyList<long> xs) => xs.Count == 1 ? $"({xs[0]},)" : "(" + string.Join(", ", xs) + ")";
}
