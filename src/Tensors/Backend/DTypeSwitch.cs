using System.Numerics;

namespace Notebooks.Tensors.Backend;

/// <summary>
/// What a backend does with a dtype's element type, by category. Users are structs passed by reference, so the
/// JIT specialises each call and nothing is allocated per op; they may be ref structs holding their operands by
/// reference (a buffer is 32 bytes: copying it into the user and out again costs on 1-element ops).
/// </summary>
internal interface IDTypeUser
{
    /// <summary>float32 (float), float64 (double).</summary>
    void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>;
    /// <summary>int64, int32, int16, int8, uint8.</summary>
    void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>;
    /// <summary>float16 (Half), bfloat16 (BFloat16): stored narrow, computed through float32 (PyTorch's opmath).</summary>
    void Reduced<T>() where T : unmanaged;
    void Bool();
}

/// <summary>For work that is the same for every element type (copies, fills, moves): bool comes as <c>bool</c>.</summary>
internal interface IAnyTypeUser
{
    void Use<T>() where T : unmanaged;
}

/// <summary>The one dtype → element type switch, used by both backends (the GPU maps host types to device types).</summary>
internal static class DTypeSwitch
{
    public static void Visit<U>(DType dtype, ref U u) where U : struct, IDTypeUser, allows ref struct
    {
        switch (dtype.Kind)
        {
            case ScalarType.Float32: u.Floating<float>(); break;
            case ScalarType.Float64: u.Floating<double>(); break;
            case ScalarType.Int64: u.Integer<long>(); break;
            case ScalarType.Int32: u.Integer<int>(); break;
            case ScalarType.Int16: u.Integer<short>(); break;
            case ScalarType.Int8: u.Integer<sbyte>(); break;
            case ScalarType.UInt8: u.Integer<byte>(); break;
            case ScalarType.Float16: u.Reduced<Half>(); break;
            case ScalarType.BFloat16: u.Reduced<BFloat16>(); break;
            case ScalarType.Bool: u.Bool(); break;
            default: throw new NotSupportedException(dtype.ToString());
        }
    }

    public static void Any<U>(DType dtype, ref U u) where U : struct, IAnyTypeUser, allows ref struct
    {
        var a = new AnyType<U> { User = u };
        Visit(dtype, ref a);
        u = a.User;
    }

    /// <summary>The category visit handing every element type to one method (a ref struct, so the user may be one).</summary>
    private ref struct AnyType<U> : IDTypeUser where U : struct, IAnyTypeUser, allows ref struct
    {
        public U User;
        public void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> => User.Use<T>();
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => User.Use<T>();
        public void Reduced<T>() where T : unmanaged => User.Use<T>();
        public void Bool() => User.Use<bool>();
    }
}
