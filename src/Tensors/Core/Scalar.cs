using System.Globalization;

namespace Notebooks.Tensors;

/// <summary>A C# number given where PyTorch takes a Python scalar: keeps whether it was integral, for type promotion.</summary>
public readonly partial struct Scalar
{
    public readonly double Double;
    public readonly long Long;
    public readonly ScalarType Kind;   // Bool, Int64 or Float64

    private Scalar(double d, long l, ScalarType k) { Double = d; Long = l; Kind = k; }

    public static implicit operator Scalar(double d) => new(d, (long)d, ScalarType.Float64);
    public static implicit operator Scalar(float f) => new(f, (long)f, ScalarType.Float64);
    public static implicit operator Scalar(long l) => new(l, l, ScalarType.Int64);
    public static implicit operator Scalar(int i) => new(i, i, ScalarType.Int64);
    public static implicit operator Scalar(bool b) => new(b ? 1 : 0, b ? 1 : 0, ScalarType.Bool);

    public bool IsFloating => Kind == ScalarType.Float64;
    public bool IsIntegral => Kind == ScalarType.Int64;
    public bool IsBool => Kind == ScalarType.Bool;

    /// <summary>The value converted to <typeparamref name="T"/> the way C++'s static_cast would.</summary>
    public T As<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(double)) return (T)(object)(IsFloating ? Double : (double)Long);
        if (typeof(T) == typeof(float)) return (T)(object)(float)(IsFloating ? Double : Long);
        if (typeof(T) == typeof(long)) return (T)(object)(IsFloating ? (long)Double : Long);
        if (typeof(T) == typeof(int)) return (T)(object)(int)(IsFloating ? (long)Double : Long);
        if (typeof(T) == typeof(short)) return (T)(object)(short)(IsFloating ? (long)Double : Long);
        if (typeof(T) == typeof(sbyte)) return (T)(object)(sbyte)(IsFloating ? (long)Double : Long);
        if (typeof(T) == typeof(byte)) return (T)(object)(byte)(IsFloating ? (long)Double : Long);
        if (typeof(T) == typeof(bool)) return (T)(object)(IsFloating ? Double != 0 : Long != 0);
        if (typeof(T) == typeof(Half)) return (T)(object)(Half)(IsFloating ? Double : Long);
        if (typeof(T) == typeof(BFloat16)) return (T)(object)(BFloat16)(IsFloating ? Double : Long);
        throw new NotSupportedException(typeof(T).Name);
    }

    public double ToDouble() => IsFloating ? Double : Long;

    /// <summary>Python's <c>str</c> of the number: <c>True</c>, <c>3</c>, <c>2.0</c>, <c>1e-05</c>, <c>nan</c>.</summary>
    public override string ToString() => Kind switch
    {
        ScalarType.Bool => Long != 0 ? "True" : "False",
        ScalarType.Int64 => Long.ToString(CultureInfo.InvariantCulture),
        _ => Printing.PyFloatFormat.Repr(Double),
    };
}
