using Notebooks.Tensors.Printing;

namespace Notebooks.Tensors.Tests.Printing;

/// <summary>An array-backed <see cref="IPrintSource"/> test double (row-major data over the given shape).</summary>
internal sealed class ArraySource : IPrintSource
{
    private readonly double[] _doubles;
    private readonly long[] _longs;
    private readonly bool[] _bools;

    private ArraySource(long[] shape, ElementKind kind, string dtype, double[]? d = null, long[]? l = null, bool[]? b = null)
    {
        Shape = shape;
        Kind = kind;
        DTypeName = dtype;
        _doubles = d ?? [];
        _longs = l ?? [];
        _bools = b ?? [];
        long numel = shape.Aggregate(1L, (a, s) => a * s);
        long count = kind switch { ElementKind.Floating => _doubles.Length, ElementKind.Integer => _longs.Length, _ => _bools.Length };
        if (numel != count) throw new ArgumentException($"shape holds {numel} elements, data {count}");
    }

    public long[] Shape { get; }
    public ElementKind Kind { get; }
    public string DTypeName { get; }
    public double GetDouble(long flatIndex) => _doubles[flatIndex];
    public long GetInt64(long flatIndex) => _longs[flatIndex];
    public bool GetBool(long flatIndex) => _bools[flatIndex];

    /// <summary>float32 data: each value is rounded to float as torch.tensor(..., dtype=torch.float32) would.</summary>
    public static ArraySource F32(long[] shape, params double[] values) =>
        new(shape, ElementKind.Floating, "float32", values.Select(v => (double)(float)v).ToArray());

    public static ArraySource F32(params double[] values) => F32([values.Length], values);

    public static ArraySource F64(long[] shape, params double[] values) =>
        new(shape, ElementKind.Floating, "float64", values.ToArray());

    public static ArraySource F16(long[] shape, params double[] values) =>
        new(shape, ElementKind.Floating, "float16", values.Select(v => (double)(Half)v).ToArray());

    /// <summary>bfloat16: float32 rounded to its top 16 bits (round half to even), as torch does.</summary>
    public static ArraySource BF16(long[] shape, params double[] values) =>
        new(shape, ElementKind.Floating, "bfloat16", values.Select(v => (double)ToBFloat16((float)v)).ToArray());

    public static ArraySource Int(string dtype, long[] shape, params long[] values) =>
        new(shape, ElementKind.Integer, dtype, l: values.ToArray());

    public static ArraySource I64(long[] shape, params long[] values) => Int("int64", shape, values);

    public static ArraySource I64(params long[] values) => Int("int64", [values.Length], values);

    public static ArraySource Bool(long[] shape, params bool[] values) =>
        new(shape, ElementKind.Bool, "bool", b: values.ToArray());

    /// <summary>torch.arange(n, dtype=float32).</summary>
    public static ArraySource ArangeF32(long n) => F32([n], Enumerable.Range(0, (int)n).Select(i => (double)i).ToArray());

    /// <summary>torch.arange(n).reshape(shape) (int64).</summary>
    public static ArraySource ArangeI64(params long[] shape)
    {
        long n = shape.Aggregate(1L, (a, s) => a * s);
        return I64(shape, Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray());
    }

    private static float ToBFloat16(float f)
    {
        uint bits = BitConverter.SingleToUInt32Bits(f);
        uint rounded = bits + 0x7FFF + ((bits >> 16) & 1);
        return BitConverter.UInt32BitsToSingle(rounded & 0xFFFF0000);
    }
}
