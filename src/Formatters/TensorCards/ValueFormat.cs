using System.Globalization;

namespace Notebooks.Formatters.TensorCards;

/// <summary>
/// One number style for all shown values, chosen as PyTorch's <c>_Formatter</c> chooses it: integers print as
/// "3." , wide ranges in scientific notation with 4 digits, the rest fixed with 4 decimals.
/// </summary>
internal sealed class ValueFormat
{
    private enum Mode { Bool, Integer, IntFloat, Fixed, Sci }

    private readonly Mode _mode;

    private ValueFormat(Mode mode) { _mode = mode; }

    public static ValueFormat For(DType dtype, IEnumerable<double> shown)
    {
        if (dtype.Name == "bool") return new ValueFormat(Mode.Bool);
        if (!dtype.is_floating_point) return new ValueFormat(Mode.Integer);
        double minAbs = double.PositiveInfinity, maxAbs = 0;
        bool allInt = true, any = false;
        foreach (var v in shown)
        {
            if (!double.IsFinite(v) || v == 0) continue;
            any = true;
            double a = Math.Abs(v);
            minAbs = Math.Min(minAbs, a);
            maxAbs = Math.Max(maxAbs, a);
            if (v != Math.Ceiling(v)) allInt = false;
        }
        if (!any) return new ValueFormat(Mode.IntFloat);
        if (allInt) return new ValueFormat(maxAbs / minAbs > 1000 || maxAbs > 1e8 ? Mode.Sci : Mode.IntFloat);
        return new ValueFormat(maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4 ? Mode.Sci : Mode.Fixed);
    }

    public string Format(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsPositiveInfinity(v)) return "inf";
        if (double.IsNegativeInfinity(v)) return "-inf";
        return _mode switch
        {
            Mode.Bool => v != 0 ? "True" : "False",
            Mode.Integer => ((long)v).ToString(CultureInfo.InvariantCulture),
            Mode.IntFloat => v.ToString("0", CultureInfo.InvariantCulture) + ".",
            Mode.Fixed => v.ToString("0.0000", CultureInfo.InvariantCulture),
            _ => v.ToString("0.0000e+00", CultureInfo.InvariantCulture),
        };
    }
}
