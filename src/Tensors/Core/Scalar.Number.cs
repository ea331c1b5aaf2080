using System.Globalization;
using Notebooks.Tensors.Printing;

namespace Notebooks.Tensors;

/// <summary>
/// A Scalar is also what <see cref="Tensor.item()"/> returns, Python's number out of a tensor: it converts
/// implicitly to <c>double</c>, so <c>loss.item() &lt; 1e-3</c>, <c>total += loss.item()</c> and
/// <c>Math.Sqrt(x.item())</c> work as in Python; explicitly to <c>long</c>, <c>int</c>, <c>float</c> and
/// <c>bool</c> (Python's <c>int(x)</c>, <c>float(x)</c>, <c>bool(x)</c>); it prints as Python prints the number and
/// formats with Python's mini-language (<c>$"{loss.item():.4f}"</c>, <c>$"{acc:&gt;0.1%}"</c>).
/// </summary>
public readonly partial struct Scalar : IFormattable, IEquatable<Scalar>
{
    public static implicit operator double(Scalar s) => s.ToDouble();
    public static explicit operator float(Scalar s) => (float)s.ToDouble();
    /// <summary>Python's <c>int(x)</c>: truncates toward zero; NaN and infinities refused as Python refuses them.</summary>
    public static explicit operator long(Scalar s)
    {
        if (!s.IsFloating) return s.Long;
        if (double.IsNaN(s.Double)) throw new OverflowException("cannot convert float NaN to integer");
        if (double.IsInfinity(s.Double)) throw new OverflowException("cannot convert float infinity to integer");
        return (long)s.Double;
    }
    public static explicit operator int(Scalar s) => checked((int)(long)s);
    public static explicit operator bool(Scalar s) => s.IsFloating ? s.Double != 0 : s.Long != 0;

    /// <summary>Python's <c>format(x, spec)</c>; a .NET format ("F5", "0.00") is applied to the number as .NET does.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        if (string.IsNullOrEmpty(format)) return ToString();
        if (IsBool) return PyFormatSpec.IsPython(format) ? PyFormatSpec.Format(Long, format) : ToString();
        if (PyFormatSpec.IsPython(format))
            return IsFloating ? PyFormatSpec.Format(Double, format) : PyFormatSpec.Format(Long, format);
        var provider = formatProvider ?? CultureInfo.InvariantCulture;
        return IsFloating ? Double.ToString(format, provider) : Long.ToString(format, provider);
    }

    /// <summary>Numeric equality, as Python's <c>1 == 1.0 == True</c>.</summary>
    public bool Equals(Scalar other) => IsFloating || other.IsFloating ? ToDouble() == other.ToDouble() : Long == other.Long;

    public override bool Equals(object? obj) => obj switch
    {
        Scalar s => Equals(s),
        double d => Equals((Scalar)d),
        float f => Equals((Scalar)f),
        long l => Equals((Scalar)l),
        int i => Equals((Scalar)i),
        bool b => Equals((Scalar)b),
        _ => false,
    };

    public override int GetHashCode() => IsFloating && Double != Math.Floor(Double) ? Double.GetHashCode() : ToDouble().GetHashCode();
}
