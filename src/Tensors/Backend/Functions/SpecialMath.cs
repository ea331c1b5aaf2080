namespace Notebooks.Tensors.Backend.Functions;

/// <summary>
/// torch.special's functions in double precision (float inputs compute here and round once). Kernel-compilable as
/// <see cref="SpecialFunctions"/>: static, no arrays (ILGPU has no static array loads: coefficients are inline), no
/// exceptions, only Math functions ILGPU maps. Algorithms: ATen's (aten/src/ATen/native/Math.h, from Cephes) where
/// short — digamma, Hurwitz zeta —, Lanczos (g = 7) for lgamma, power series and Hankel's asymptotic expansion for the
/// modified Bessel functions.
/// </summary>
internal static class SpecialMath
{
    private const double LnSqrt2Pi = 0.91893853320467274178, LnPi = 1.1447298858494002;
    private const double MachEp = 1.11022302462515654042E-16;

    public static double Lgamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x)) return double.PositiveInfinity;
        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1-x) = π / sin(πx); the poles (0, -1, -2, ...) are +inf as in PyTorch.
            // sin(πx) from x's distance to the nearest integer, which keeps tiny |x| exact.
            double f = x - Math.Round(x);
            if (f == 0) return double.PositiveInfinity;
            double s = Math.Sin(Math.PI * f);
            return LnPi - Math.Log(Math.Abs(s)) - LanczosLgamma(1 - x);
        }
        return LanczosLgamma(x);
    }

    // x >= 0.5. Near 1 and 2, where lgamma is 0, the series is evaluated around the zero to keep relative accuracy.
    private static double LanczosLgamma(double x)
    {
        if (x == 1 || x == 2) return 0;
        if (x > 1e17) return x * (Math.Log(x) - 1);
        double z = x - 1;
        double a = 0.99999999999980993 + 676.5203681218851 / (z + 1) - 1259.1392167224028 / (z + 2) + 771.32342877765313 / (z + 3)
            - 176.61502916214059 / (z + 4) + 12.507343278686905 / (z + 5) - 0.13857109526572012 / (z + 6)
            + 9.9843695780195716e-6 / (z + 7) + 1.5056327351493116e-7 / (z + 8);
        double t = z + 7.5;
        return LnSqrt2Pi + (z + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>ATen's calc_digamma (double).</summary>
    public static double Digamma(double x)
    {
        const double Psi10 = 2.25175258906672110764;
        if (x == 0) return x < 0 || 1 / x < 0 ? double.PositiveInfinity : double.NegativeInfinity;
        if (double.IsNaN(x) || x == double.NegativeInfinity) return double.NaN;
        double result = 0;
        if (x < 0)
        {
            if (x == Math.Truncate(x)) return double.NaN;
            // Reflection: ψ(1 - x) - ψ(x) = π / tan(πx); the fraction keeps tan's argument small.
            double r = x - Math.Truncate(x);
            result = -Math.PI / Math.Tan(Math.PI * r);
            x = 1 - x;
        }
        while (x < 10) { result -= 1 / x; x += 1; }
        if (x == 10) return result + Psi10;
        double y = 0;
        if (x < 1.0e17)
        {
            double z = 1 / (x * x);
            y = z * (((((( 8.33333333333333333333E-2 * z - 2.10927960927960927961E-2) * z + 7.57575757575757575758E-3) * z
                - 4.16666666666666666667E-3) * z + 3.96825396825396825397E-3) * z - 8.33333333333333333333E-3) * z + 8.33333333333333333333E-2);
        }
        return result + Math.Log(x) - 0.5 / x - y;
    }

    /// <summary>The Hurwitz zeta function ζ(x, q), ATen's zeta (Cephes): Euler–Maclaurin summation.</summary>
    public static double Zeta(double x, double q)
    {
        if (double.IsNaN(x) || double.IsNaN(q)) return double.NaN;
        if (x == 1) return double.PositiveInfinity;
        if (x < 1) return double.NaN;
        if (q <= 0)
        {
            if (q == Math.Floor(q)) return double.PositiveInfinity;
            if (x != Math.Floor(x)) return double.NaN;
        }
        double s = Math.Pow(q, -x), a = q, b = 0;
        int i = 0;
        while (i < 9 || a <= 9.0)
        {
            i += 1; a += 1.0;
            b = Math.Pow(a, -x);
            s += b;
            if (-MachEp * s < b && b < MachEp * s) return s;
        }
        double w = a, k = 0;
        s += b * w / (x - 1);
        s -= 0.5 * b;
        a = 1.0;
        for (int j = 0; j < 12; j++)
        {
            a *= x + k;
            b /= w;
            double t = a * b / ZetaA(j);
            s += t;
            if (Math.Abs(t / s) < MachEp) return s;
            k += 1.0;
            a *= x + k;
            b /= w;
            k += 1.0;
        }
        return s;
    }

    // Cephes' A[]: (2k)! / B_2k.
    private static double ZetaA(int j) => j switch
    {
        0 => 12.0, 1 => -720.0, 2 => 30240.0, 3 => -1209600.0, 4 => 47900160.0, 5 => -1.8924375803183791606e9,
        6 => 7.47242496e10, 7 => -2.950130727918164224e12, 8 => 1.1646782814350067249e14, 9 => -4.5979787224074726105e15,
        10 => 1.8152105401943546773e17, _ => -7.1661652561756670113e18,
    };

    /// <summary>ATen's calc_trigamma: reflection below 1/2, six recurrence steps, then a short asymptotic series.</summary>
    public static double Trigamma(double x)
    {
        double sign = 1, result = 0;
        if (x < 0.5)
        {
            sign = -1;
            double sinPiX = Math.Sin(Math.PI * x);
            result -= Math.PI * Math.PI / (sinPiX * sinPiX);
            x = 1 - x;
        }
        for (int i = 0; i < 6; i++) { result += 1 / (x * x); x += 1; }
        double ixx = 1 / (x * x);
        result += (1 + 1 / (2 * x) + ixx * (1.0 / 6 - ixx * (1.0 / 30 - ixx * (1.0 / 42)))) / x;
        return sign * result;
    }

    /// <summary>ψ⁽ⁿ⁾(x) as ATen's calc_polygamma: digamma, trigamma, else (-1)ⁿ⁺¹ n! ζ(n + 1, x).</summary>
    public static double Polygamma(int n, double x)
    {
        if (n == 0) return Digamma(x);
        if (n == 1) return Trigamma(x);
        double factorial = Math.Exp(Lgamma(n + 1.0));
        return ((n & 1) == 0 ? -1.0 : 1.0) * factorial * Zeta(n + 1.0, x);
    }

    /// <summary>
    /// e^-|x| I_ν(x) for ν = 0 or 1 (I₁ is odd): the power series below |x| = 30 (all terms positive, so no
    /// cancellation), Hankel's asymptotic expansion above (15 terms reach double precision there).
    /// </summary>
    public static double BesselIScaled(int nu, double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x), r;
        if (ax == double.PositiveInfinity) r = 0;
        else if (ax < 30)
        {
            double q = ax * ax / 4, term = nu == 0 ? 1 : ax / 2, sum = term;
            for (int k = 1; k < 500; k++)
            {
                term *= q / (k * (double)(k + nu));
                sum += term;
                if (term < sum * 1e-17) break;
            }
            r = sum * Math.Exp(-ax);
        }
        else
        {
            double mu = 4.0 * nu * nu, term = 1, sum = 1;
            for (int k = 1; k < 30; k++)
            {
                term *= -(mu - (2 * k - 1) * (2 * k - 1)) / (8.0 * k * ax);
                sum += term;
                if (Math.Abs(term) < 1e-17 * Math.Abs(sum)) break;
            }
            r = sum / Math.Sqrt(2 * Math.PI * ax);
        }
        return nu == 1 && x < 0 ? -r : r;
    }

    /// <summary>I_ν(x) = e^|x| · the scaled value (overflows to inf past ~713, as PyTorch's).</summary>
    public static double BesselI(int nu, double x)
    {
        // libtorch 2.10 gives NaN for i0(±inf) and i1(±inf) (its Chebyshev form multiplies inf by 0).
        if (double.IsInfinity(x)) return double.NaN;
        double ax = Math.Abs(x);
        if (ax < 30) return BesselSeries(nu, x);
        return BesselIScaled(nu, x) * Math.Exp(ax);
    }

    private static double BesselSeries(int nu, double x)
    {
        double ax = Math.Abs(x), q = ax * ax / 4, term = nu == 0 ? 1 : ax / 2, sum = term;
        for (int k = 1; k < 500; k++)
        {
            term *= q / (k * (double)(k + nu));
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return nu == 1 && x < 0 ? -sum : sum;
    }

    /// <summary>erfcx(x) = e^{x²} erfc(x): directly below 10, the asymptotic series 1/(x√π) Σ (-1)^k (2k-1)!!/(2x²)^k above.</summary>
    public static double Erfcx(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 10)
        {
            if (x < -26.7) return double.PositiveInfinity;
            return Math.Exp(x * x) * SpecialFunctions.Erfc(x);
        }
        if (x == double.PositiveInfinity) return 0;
        double z = 1 / (2 * x * x), term = 1, sum = 1;
        for (int k = 1; k < 40; k++)
        {
            term *= -(2 * k - 1) * z;
            sum += term;
            if (Math.Abs(term) < 1e-17) break;
        }
        return sum / (x * 1.7724538509055160273);
    }

    /// <summary>log Φ(x), Φ the standard normal CDF: log1p(-Φ(-x)) above -1, log(erfcx(-x/√2)/2) - x²/2 below (as ATen).</summary>
    public static double LogNdtr(double x)
    {
        if (double.IsNaN(x)) return x;
        const double InvSqrt2 = 0.70710678118654752440;
        if (x < -1)
        {
            if (x == double.NegativeInfinity) return x;
            return Math.Log(Erfcx(-x * InvSqrt2) / 2) - x * x / 2;
        }
        return Log1p(-SpecialFunctions.Erfc(x * InvSqrt2) / 2);
    }

    /// <summary>Φ(x) = erfc(-x/√2)/2.</summary>
    public static double Ndtr(double x) => SpecialFunctions.Erfc(-x * 0.70710678118654752440) / 2;

    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == double.PositiveInfinity) return u;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
