using System.Globalization;
using System.Net;

namespace Notebooks.Formatters.Html;

/// <summary>Escaping and number formatting shared by the HTML and SVG writers.</summary>
internal static class Html
{
    public static string Escape(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Invariant, short, round-trippable enough for SVG coordinates (culture must never leak a comma).</summary>
    public static string Num(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Bytes(long n)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return u == 0 ? $"{n} B" : v.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[u];
    }

    /// <summary>Short general formatting for stats and axis ticks.</summary>
    public static string Short(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsPositiveInfinity(v)) return "inf";
        if (double.IsNegativeInfinity(v)) return "-inf";
        if (v == 0) return "0";
        double a = Math.Abs(v);
        if (a >= 1e5 || a < 1e-3) return v.ToString("0.###e+0", CultureInfo.InvariantCulture);
        return v.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
