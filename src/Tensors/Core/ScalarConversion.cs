namespace Notebooks.Tensors;

/// <summary>
/// c10's <c>checked_convert</c> (c10/util/TypeCast.h, with <c>overflows</c> from c10/util/TypeSafeSignMath.h and
/// c10/core/Scalar.h's accessors): a C# number written into a tensor of another type (<c>full</c>, <c>fill_</c>,
/// <c>masked_fill</c>) must be representable there, or it is refused instead of silently wrapping: NaN has no integer
/// value, 1e30 no int64 and 1e300 no float32. Infinity goes to any floating type; a negative integer may wrap into
/// uint8 as far as -255 (C++'s non-strict unsigned rule); bool takes any value (nonzero is true).
/// </summary>
internal static class ScalarConversion
{
    public static void Check(Scalar value, DType target)
    {
        if (value.IsBool || target.IsBool) return;
        var (lowest, max, name) = Limits(target);
        bool overflow;
        if (value.IsFloating)
        {
            double f = value.Double;
            if (double.IsInfinity(f)) overflow = !target.is_floating_point;
            else if (double.IsNaN(f)) overflow = !target.is_floating_point;
            else overflow = f < lowest || f > max;
        }
        else
        {
            long l = value.Long;
            overflow = target.Kind == ScalarType.UInt8
                ? l > 255 || l < -255
                : l < lowest || l > max;
        }
        if (overflow) throw new ArgumentException($"value cannot be converted to type {name} without overflow");
    }

    private static (double Lowest, double Max, string Name) Limits(DType t) => t.Kind switch
    {
        ScalarType.Int64 => (long.MinValue, long.MaxValue, "int64_t"),
        ScalarType.Int32 => (int.MinValue, int.MaxValue, "int32_t"),
        ScalarType.Int16 => (short.MinValue, short.MaxValue, "int16_t"),
        ScalarType.Int8 => (sbyte.MinValue, sbyte.MaxValue, "int8_t"),
        ScalarType.UInt8 => (byte.MinValue, byte.MaxValue, "uint8_t"),
        ScalarType.Float32 => (float.MinValue, float.MaxValue, "float"),
        ScalarType.Float16 => (-65504.0, 65504.0, "c10::Half"),
        ScalarType.BFloat16 => (-3.3895313892515355e38, 3.3895313892515355e38, "c10::BFloat16"),
        _ => (double.NegativeInfinity, double.PositiveInfinity, "double"),
    };
}
