using System.Globalization;
using System.Numerics;

namespace Notebooks.Tensors.Printing;

/// <summary>
/// Python's <c>format(x, '.Nf')</c> and <c>format(x, '.Ne')</c> for a double, character for character:
/// the exact binary value is expanded to its exact decimal digits and rounded half-to-even
/// (CPython's dtoa in modes 3 and 2). "nan" has no sign, infinities print "inf"/"-inf", negative zero keeps its "-",
/// and the exponent has a sign and at least two digits.
/// </summary>
internal static class PyFloatFormat
{
    /// <summary><c>'{:.{precision}f}'.format(value)</c>.</summary>
    public static string Fixed(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        if (NonFinite(value) is { } s) return s;

        bool negative = double.IsNegative(value);
        Decompose(Math.Abs(value), out var n, out int k); // |value| = n / 10^k
        BigInteger q = k <= precision
            ? n * BigInteger.Pow(10, precision - k)
            : RoundHalfEven(n, BigInteger.Pow(10, k - precision));

        string digits = q.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        string body = precision == 0
            ? digits
            : string.Concat(digits.AsSpan(0, digits.Length - precision), ".", digits.AsSpan(digits.Length - precision));
        return negative ? "-" + body : body;
    }

    /// <summary><c>'{:.{precision}e}'.format(value)</c>.</summary>
    public static string Scientific(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        if (NonFinite(value) is { } s) return s;

        bool negative = double.IsNegative(value);
        string mantissa;
        int exponent;
        if (value == 0)
        {
            mantissa = new string('0', precision + 1);
            exponent = 0;
        }
        else
        {
            Decompose(Math.Abs(value), out var n, out int k);
            int length = n.ToString(CultureInfo.InvariantCulture).Length;
            exponent = length - 1 - k;
            int keep = precision + 1;
            BigInteger q;
            if (length > keep)
            {
                q = RoundHalfEven(n, BigInteger.Pow(10, length - keep));
                if (q == BigInteger.Pow(10, keep))
                {
                    q /= 10;
                    exponent++;
                }
            }
            else
            {
                q = n * BigInteger.Pow(10, keep - length);
            }

            mantissa = q.ToString(CultureInfo.InvariantCulture);
        }

        var sb = new System.Text.StringBuilder(precision + 8);
        if (negative) sb.Append('-');
        sb.Append(mantissa[0]);
        if (precision > 0) sb.Append('.').Append(mantissa, 1, precision);
        sb.Append('e').Append(exponent < 0 ? '-' : '+');
        sb.Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>
    /// Python's <c>repr(float)</c>: the shortest digits that round-trip, fixed notation for decimal exponents
    /// -4..15 (always with a ".0" when integral), otherwise <c>1e-05</c> style.
    /// </summary>
    public static string Repr(double value)
    {
        if (NonFinite(value) is { } s) return s;
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // "E16" gives the shortest round-trip digits in a fixed scientific layout we can take apart.
        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        string digits; int exp10;
        int e = r.IndexOf('E');
        string mant = e < 0 ? r : r[..e];
        int shift = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        int dot = mant.IndexOf('.');
        string intPart = dot < 0 ? mant : mant[..dot], frac = dot < 0 ? "" : mant[(dot + 1)..];
        digits = (intPart + frac).TrimStart('0');
        int lead = (intPart + frac).Length - (intPart + frac).TrimStart('0').Length;
        exp10 = intPart.Length - 1 - lead + shift;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        string body;
        if (exp10 >= -4 && exp10 < 16)
        {
            if (exp10 >= 0)
            {
                var ip = digits.Length > exp10 + 1 ? digits[..(exp10 + 1)] : digits.PadRight(exp10 + 1, '0');
                var fp = digits.Length > exp10 + 1 ? digits[(exp10 + 1)..] : "0";
                body = ip + "." + fp;
            }
            else body = "0." + new string('0', -exp10 - 1) + digits;
        }
        else
        {
            var m = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            body = m + "e" + (exp10 < 0 ? "-" : "+") + Math.Abs(exp10).ToString("00", CultureInfo.InvariantCulture);
        }
        return double.IsNegative(value) ? "-" + body : body;
    }

    private static string? NonFinite(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : null;

    /// <summary>Writes a finite, non-negative double exactly as n / 10^k with integer n and k &gt;= 0.</summary>
    private static void Decompose(double value, out BigInteger n, out int k)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biasedExponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        int exponent;
        if (biasedExponent == 0)
        {
            exponent = -1074; // subnormal (or zero)
        }
        else
        {
            mantissa |= 1L << 52;
            exponent = biasedExponent - 1075;
        }

        if (mantissa == 0)
        {
            n = BigInteger.Zero;
            k = 0;
            return;
        }

        int trailing = BitOperations.TrailingZeroCount(mantissa);
        mantissa >>= trailing;
        exponent += trailing;
        if (exponent >= 0)
        {
            n = new BigInteger(mantissa) << exponent;
            k = 0;
        }
        else
        {
            // m * 2^-j == m * 5^j / 10^j
            k = -exponent;
            n = new BigInteger(mantissa) * BigInteger.Pow(5, k);
        }
    }

    private static BigInteger RoundHalfEven(BigInteger n, BigInteger divisor)
    {
        var q = BigInteger.DivRem(n, divisor, out var r);
        int cmp = (r * 2).CompareTo(divisor);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
        return q;
    }
}
