using System.Runtime.CompilerServices;

namespace Notebooks.Tensors;

/// <summary>A tensor element type: <c>torch.float32</c>, <c>torch.int64</c> … Prints as PyTorch does.</summary>
public sealed class DType
{
    public ScalarType Kind { get; }
    /// <summary>PyTorch's canonical name without the <c>torch.</c> prefix (<c>float32</c>).</summary>
    public string Name { get; }
    public int itemsize { get; }
    public bool is_floating_point { get; }
    public bool is_signed { get; }
    internal Type ClrType { get; }

    private DType(ScalarType kind, string name, int size, bool floating, bool signed, Type clr)
    {
        Kind = kind; Name = name; itemsize = size; is_floating_point = floating; is_signed = signed; ClrType = clr;
    }

    internal bool IsIntegral => !is_floating_point && Kind != ScalarType.Bool;
    internal bool IsBool => Kind == ScalarType.Bool;

    /// <summary>ATen's ScalarType name ("Float", "Long"), as its "not implemented for" errors print a dtype.</summary>
    internal string Title => Kind switch
    {
        ScalarType.Float32 => "Float", ScalarType.Float64 => "Double", ScalarType.Float16 => "Half", ScalarType.BFloat16 => "BFloat16",
        ScalarType.Int64 => "Long", ScalarType.Int32 => "Int", ScalarType.Int16 => "Short", ScalarType.Int8 => "Char",
        ScalarType.UInt8 => "Byte", _ => "Bool",
    };

    public override string ToString() => "torch." + Name;

    internal static readonly DType Bool = new(ScalarType.Bool, "bool", 1, false, false, typeof(bool));
    internal static readonly DType UInt8 = new(ScalarType.UInt8, "uint8", 1, false, false, typeof(byte));
    internal static readonly DType Int8 = new(ScalarType.Int8, "int8", 1, false, true, typeof(sbyte));
    internal static readonly DType Int16 = new(ScalarType.Int16, "int16", 2, false, true, typeof(short));
    internal static readonly DType Int32 = new(ScalarType.Int32, "int32", 4, false, true, typeof(int));
    internal static readonly DType Int64 = new(ScalarType.Int64, "int64", 8, false, true, typeof(long));
    internal static readonly DType Float16 = new(ScalarType.Float16, "float16", 2, true, true, typeof(Half));
    internal static readonly DType BFloat16 = new(ScalarType.BFloat16, "bfloat16", 2, true, true, typeof(BFloat16));
    internal static readonly DType Float32 = new(ScalarType.Float32, "float32", 4, true, true, typeof(float));
    internal static readonly DType Float64 = new(ScalarType.Float64, "float64", 8, true, true, typeof(double));

    private static readonly DType[] ByKind = [Bool, UInt8, Int8, Int16, Int32, Int64, Float16, BFloat16, Float32, Float64];

    internal static DType Of(ScalarType kind) => ByKind[(int)kind];

    /// <summary>The dtype whose storage holds CLR type <typeparamref name="T"/>.</summary>
    internal static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Float32;
        if (typeof(T) == typeof(double)) return Float64;
        if (typeof(T) == typeof(long)) return Int64;
        if (typeof(T) == typeof(int)) return Int32;
        if (typeof(T) == typeof(short)) return Int16;
        if (typeof(T) == typeof(sbyte)) return Int8;
        if (typeof(T) == typeof(byte)) return UInt8;
        if (typeof(T) == typeof(bool)) return Bool;
        if (typeof(T) == typeof(Half)) return Float16;
        if (typeof(T) == typeof(BFloat16)) return BFloat16;
        throw new ArgumentException($"{typeof(T).Name} is not a tensor element type");
    }

    internal static DType? FromClr(Type t)
    {
        foreach (var d in ByKind) if (d.ClrType == t) return d;
        return null;
    }

    internal static bool Is<T>(DType d) => d.ClrType == typeof(T);

    internal static int SizeOf(ScalarType k) => ByKind[(int)k].itemsize;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Equals(ScalarType k) => Kind == k;
}
