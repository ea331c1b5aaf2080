namespace Notebooks.Tensors;

/// <summary>bfloat16 conversions as c10 does them (c10/util/BFloat16.h), on raw 16-bit patterns.</summary>
internal static class BFloat16Bits
{
    /// <summary>c10::detail::round_to_nearest_even: float to bfloat16, ties to even, any NaN to 0x7FC0.</summary>
    internal static ushort FromSingle(float value)
    {
        if (float.IsNaN(value)) return 0x7FC0;
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint roundingBias = ((bits >> 16) & 1) + 0x7FFF;
        return (ushort)((bits + roundingBias) >> 16);
    }

    internal static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>The largest bfloat16 below a finite one (sign-magnitude: step the magnitude toward -inf).</summary>
    internal static ushort NextDown(ushort bits)
    {
        if ((bits & 0x7FFF) == 0) return 0x8001;
        return (bits & 0x8000) == 0 ? (ushort)(bits - 1) : (ushort)(bits + 1);
    }
}
