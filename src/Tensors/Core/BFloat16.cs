using System.Runtime.CompilerServices;

namespace Notebooks.Tensors;

/// <summary>
/// Brain float: the top 16 bits of an IEEE float32. Arithmetic goes through float32, as PyTorch's CPU kernels do
/// (its "opmath" type for bfloat16 is float); rounding float → bfloat16 is round-to-nearest-even, NaN kept quiet.
/// </summary>
public readonly struct BFloat16 : IEquatable<BFloat16>, IComparable<BFloat16>
{
    public readonly ushort Bits;

    private BFloat16(ushort bits, bool _) { Bits = bits; }

    public static BFloat16 FromBits(ushort bits) => new(bits, true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator BFloat16(float f)
    {
        uint u = BitConverter.SingleToUInt32Bits(f);
        if (float.IsNaN(f)) return new((ushort)((u >> 16) | 0x40), true);
        // Round to nearest even on the 16 dropped bits (c10/util/BFloat16.h round_to_nearest_even).
        uint rounding = 0x7FFF + ((u >> 16) & 1);
        return new((ushort)((u + rounding) >> 16), true);
    }

    public static explicit operator BFloat16(double d) => (BFloat16)(float)d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator float(BFloat16 b) => BitConverter.UInt32BitsToSingle((uint)b.Bits << 16);

    public static explicit operator double(BFloat16 b) => (float)b;

    public bool Equals(BFloat16 other) => (float)this == (float)other;
    public override bool Equals(object? obj) => obj is BFloat16 b && Equals(b);
    public override int GetHashCode() => ((float)this).GetHashCode();
    public int CompareTo(BFloat16 other) => ((float)this).CompareTo((float)other);
    public override string ToString() => ((float)this).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
