namespace Notebooks.Tensors.Backend.Functions;

/// <summary>
/// Functions the BCL lacks (erf, erfc), to double precision. Both backends call these very methods (through the element
/// functions of this folder), so
/// they stay kernel-compilable: static, no allocations or exceptions, only Math functions ILGPU maps to device code
/// (PtxCompileTests compiles them to PTX).
/// </summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        var ax = Math.Abs(x);
        if (ax < 2.5) return Series(x);
        var r = 1.0 - ErfcLarge(ax);
        return x < 0 ? -r : r;
    }

    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 0.5) return 1.0 - Erf(x);
        if (x < 2.5) return 1.0 - Series(x);
        return ErfcLarge(x);
    }

    // Maclaurin series; for |x| < 2.5 the largest term stays below 1e2, so ~1e-14 accuracy remains.
    private static double Series(double x)
    {
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 200; n++)
        {
            term *= -x2 / n;
            var add = term / (2 * n + 1);
            sum += add;
            if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
        }
        return TwoOverSqrtPi * sum;
    }

    // Continued fraction erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) by Lentz's method.
    private static double ErfcLarge(double x)
    {
        if (x > 27) return 0.0;
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++)
        {
            double a = n * 0.5;
            d = x + a * d; if (Math.Abs(d) < tiny) d = tiny; d = 1 / d;
            c = x + a / c; if (Math.Abs(c) < tiny) c = tiny;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / f * 0.5641895835477563;
    }
}
