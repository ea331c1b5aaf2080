using System.Globalization;
using System.Text;

namespace Notebooks.Tensors.Printing;

/// <summary>
/// Python's format specification mini-language (<c>format(x, spec)</c>, as in <c>f"{x:+.2f}"</c>) for floats and
/// ints: <c>[[fill]align][sign][z][#][0][width][grouping][.precision][type]</c> with align <c>&lt; &gt; ^ =</c>, sign
/// <c>+ - space</c>, grouping <c>, _</c> and the types <c>e E f F g G n %</c> (floats), <c>d b o x X c n</c> and the float
/// types (ints). The digits come from <see cref="PyFloatFormat"/>, so they are CPython's, rounding included.
/// </summary>
internal static class PyFormatSpec
{
    private readonly record struct Spec(char Fill, char Align, char Sign, bool NoNegZero, bool Alternate, int Width,
        char Grouping, int Precision, char Type);

    /// <summary>Whether <paramref name="spec"/> parses as Python's mini-language (else it is left to .NET's formats).</summary>
    /// <remarks>
    /// .NET's own formats stay .NET's: a standard format with digits after its letter ("F5", "N2", "E3") does not parse
    /// here, and a custom pattern with placeholder digits after the point ("0.00", "#.000") is taken as .NET's, though
    /// Python would read "0.00" as precision 0.
    /// </remarks>
    public static bool IsPython(string spec)
    {
        int dot = spec.IndexOf('.');
        if (dot >= 0)
        {
            var tail = spec.AsSpan(dot + 1);
            if (tail.Length > 0 && tail.IndexOfAnyExcept('0', '#') < 0 && (tail.Length > 1 || tail.Contains('#'))) return false;
        }
        return TryParse(spec, out _);
    }

    public static string Format(double value, string spec)
    {
        if (!TryParse(spec, out var s)) throw new FormatException($"Invalid format specifier '{spec}' for object of type 'float'");
        if (s.Type is 'd' or 'b' or 'o' or 'x' or 'X' or 'c')
            throw new FormatException($"Unknown format code '{s.Type}' for object of type 'float'");
        bool negative = double.IsNegative(value) && !double.IsNaN(value);
        double a = Math.Abs(value);
        string body;
        int p = s.Precision;
        switch (s.Type)
        {
            case 'f' or 'F':
                body = PyFloatFormat.Fixed(a, p < 0 ? 6 : p);
                if (s.Alternate && !body.Contains('.') && double.IsFinite(a)) body += ".";
                break;
            case 'e' or 'E':
                body = PyFloatFormat.Scientific(a, p < 0 ? 6 : p);
                break;
            case '%':
                body = PyFloatFormat.Fixed(a * 100, p < 0 ? 6 : p) + "%";
                break;
            case 'g' or 'G' or 'n':
                body = General(a, p < 0 ? 6 : Math.Max(p, 1), s.Alternate, noTypeRules: false);
                break;
            default:   // no type: repr without a precision, else 'g' that keeps at least one digit after the point
                body = p < 0 ? PyFloatFormat.Repr(a) : General(a, Math.Max(p, 1), s.Alternate, noTypeRules: true);
                break;
        }
        if (s.Type is 'F' or 'E' or 'G') body = body.ToUpperInvariant();
        if (negative && s.NoNegZero && IsZero(body)) negative = false;
        return Pad(s, negative, Group(body, s.Grouping));
    }

    public static string Format(long value, string spec)
    {
        if (!TryParse(spec, out var s)) throw new FormatException($"Invalid format specifier '{spec}' for object of type 'int'");
        if (s.Type is 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or '%') return Format((double)value, spec);
        if (s.Precision >= 0) throw new FormatException("Precision not allowed in integer format specifier");
        bool negative = value < 0;
        var magnitude = (System.Numerics.BigInteger)value;
        if (negative) magnitude = -magnitude;
        string body = s.Type switch
        {
            'b' => (s.Alternate ? "0b" : "") + ToBase(magnitude, 2),
            'o' => (s.Alternate ? "0o" : "") + ToBase(magnitude, 8),
            'x' => (s.Alternate ? "0x" : "") + ToBase(magnitude, 16),
            'X' => (s.Alternate ? "0X" : "") + ToBase(magnitude, 16).ToUpperInvariant(),
            'c' => char.ConvertFromUtf32((int)value),
            _ => magnitude.ToString(CultureInfo.InvariantCulture),
        };
        return Pad(s, negative, Group(body, s.Grouping));
    }

    private static string ToBase(System.Numerics.BigInteger v, int b)
    {
        if (v.IsZero) return "0";
        var sb = new StringBuilder();
        while (v > 0) { sb.Insert(0, "0123456789abcdef"[(int)(v % b)]); v /= b; }
        return sb.ToString();
    }

    private static bool IsZero(string body) => body.All(c => c is '0' or '.' or 'e' or 'E' or '+' or '-' or '%');

    /// <summary>
    /// The 'g' rule: with exponent x of the value rounded to p significant digits, fixed notation if -4 ≤ x &lt; p,
    /// else scientific; trailing zeros dropped unless '#' (which also keeps the point). Without a type, fixed notation
    /// keeps one digit after the point, as CPython's format does for floats with a precision and no type.
    /// </summary>
    private static string General(double a, int p, bool alternate, bool noTypeRules)
    {
        if (!double.IsFinite(a)) return PyFloatFormat.Fixed(a, 0);
        var sci = PyFloatFormat.Scientific(a, p - 1);
        int x = a == 0 ? 0 : int.Parse(sci[(sci.IndexOf('e') + 1)..], CultureInfo.InvariantCulture);
        string r;
        if (x >= -4 && x < p)
        {
            r = PyFloatFormat.Fixed(a, p - 1 - x);
            if (!alternate && r.Contains('.')) r = r.TrimEnd('0').TrimEnd('.');
            if (noTypeRules && !r.Contains('.')) r += ".0";
            else if (alternate && !r.Contains('.')) r += ".";
        }
        else
        {
            r = sci;
            if (!alternate)
            {
                int e = r.IndexOf('e');
                var mant = r[..e];
                if (mant.Contains('.')) mant = mant.TrimEnd('0').TrimEnd('.');
                r = mant + r[e..];
            }
        }
        return r;
    }

    private static string Group(string body, char grouping)
    {
        if (grouping == '\0') return body;
        int end = 0;
        while (end < body.Length && char.IsAsciiDigit(body[end])) end++;
        var intPart = body[..end];
        var sb = new StringBuilder();
        for (int i = 0; i < intPart.Length; i++)
        {
            if (i > 0 && (intPart.Length - i) % 3 == 0) sb.Append(grouping);
            sb.Append(intPart[i]);
        }
        return sb + body[end..];
    }

    private static string Pad(Spec s, bool negative, string body)
    {
        string sign = negative ? "-" : s.Sign switch { '+' => "+", ' ' => " ", _ => "" };
        int len = sign.Length + body.Length;
        if (len >= s.Width) return sign + body;
        int pad = s.Width - len;
        return s.Align switch
        {
            '<' => sign + body + new string(s.Fill, pad),
            '^' => new string(s.Fill, pad / 2) + sign + body + new string(s.Fill, pad - pad / 2),
            '=' => sign + new string(s.Fill, pad) + body,
            _ => new string(s.Fill, pad) + sign + body,
        };
    }

    private static bool TryParse(string spec, out Spec result)
    {
        result = default;
        char fill = ' ', align = '\0', sign = '-', grouping = '\0', type = '\0';
        bool z = false, alt = false;
        int width = 0, precision = -1, i = 0;
        static bool IsAlign(char c) => c is '<' or '>' or '^' or '=';
        if (spec.Length >= 2 && IsAlign(spec[1])) { fill = spec[0]; align = spec[1]; i = 2; }
        else if (spec.Length >= 1 && IsAlign(spec[0])) { align = spec[0]; i = 1; }
        if (i < spec.Length && spec[i] is '+' or '-' or ' ') sign = spec[i++];
        if (i < spec.Length && spec[i] == 'z') { z = true; i++; }
        if (i < spec.Length && spec[i] == '#') { alt = true; i++; }
        if (i < spec.Length && spec[i] == '0')
        {
            if (align == '\0') { fill = '0'; align = '='; }
            i++;
        }
        int start = i;
        while (i < spec.Length && char.IsAsciiDigit(spec[i])) i++;
        if (i > start && !int.TryParse(spec.AsSpan(start, i - start), out width)) return false;
        if (i < spec.Length && spec[i] is ',' or '_') grouping = spec[i++];
        if (i < spec.Length && spec[i] == '.')
        {
            start = ++i;
            while (i < spec.Length && char.IsAsciiDigit(spec[i])) i++;
            if (i == start || !int.TryParse(spec.AsSpan(start, i - start), out precision)) return false;
        }
        if (i < spec.Length && "bcdeEfFgGnoxX%".Contains(spec[i])) type = spec[i++];
        if (i != spec.Length) return false;
        result = new Spec(fill, align == '\0' ? '>' : align, sign, z, alt, width, grouping, precision, type);
        return true;
    }
}
