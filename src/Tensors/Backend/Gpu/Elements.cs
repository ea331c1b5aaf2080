using ILGPU;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// How a storage element type converts to the three compute types (float, double, long). Kernels take one of these
/// structs as a type argument; ILGPU specialises each instantiation, so the calls vanish.
/// </summary>
internal interface IElem<T> where T : unmanaged
{
    bool IsFloat { get; }
    float ToF(T v);
    double ToD(T v);
    long ToL(T v);
    T FromF(float v);
    T FromD(double v);
    T FromL(long v);
}

internal struct EF32 : IElem<float>
{
    public readonly bool IsFloat => true;
    public readonly float ToF(float v) => v;
    public readonly double ToD(float v) => v;
    public readonly long ToL(float v) => (long)v;
    public readonly float FromF(float v) => v;
    public readonly float FromD(double v) => (float)v;
    public readonly float FromL(long v) => v;
}

internal struct EF64 : IElem<double>
{
    public readonly bool IsFloat => true;
    public readonly float ToF(double v) => (float)v;
    public readonly double ToD(double v) => v;
    public readonly long ToL(double v) => (long)v;
    public readonly double FromF(float v) => v;
    public readonly double FromD(double v) => v;
    public readonly double FromL(long v) => v;
}

internal struct EI64 : IElem<long>
{
    public readonly bool IsFloat => false;
    public readonly float ToF(long v) => v;
    public readonly double ToD(long v) => v;
    public readonly long ToL(long v) => v;
    public readonly long FromF(float v) => (long)v;
    public readonly long FromD(double v) => (long)v;
    public readonly long FromL(long v) => v;
}

internal struct EI32 : IElem<int>
{
    public readonly bool IsFloat => false;
    public readonly float ToF(int v) => v;
    public readonly double ToD(int v) => v;
    public readonly long ToL(int v) => v;
    public readonly int FromF(float v) => (int)(long)v;
    public readonly int FromD(double v) => (int)(long)v;
    public readonly int FromL(long v) => (int)v;
}

internal struct EI16 : IElem<short>
{
    public readonly bool IsFloat => false;
    public readonly float ToF(short v) => v;
    public readonly double ToD(short v) => v;
    public readonly long ToL(short v) => v;
    public readonly short FromF(float v) => (short)(long)v;
    public readonly short FromD(double v) => (short)(long)v;
    public readonly short FromL(long v) => (short)v;
}

internal struct EI8 : IElem<sbyte>
{
    public readonly bool IsFloat => false;
    public readonly float ToF(sbyte v) => v;
    public readonly double ToD(sbyte v) => v;
    public readonly long ToL(sbyte v) => v;
    public readonly sbyte FromF(float v) => (sbyte)(long)v;
    public readonly sbyte FromD(double v) => (sbyte)(long)v;
    public readonly sbyte FromL(long v) => (sbyte)v;
}

internal struct EU8 : IElem<byte>
{
    public readonly bool IsFloat => false;
    public readonly float ToF(byte v) => v;
    public readonly double ToD(byte v) => v;
    public readonly long ToL(byte v) => v;
    public readonly byte FromF(float v) => (byte)(long)v;
    public readonly byte FromD(double v) => (byte)(long)v;
    public readonly byte FromL(long v) => (byte)v;
}

/// <summary>bool stored as one byte, 0 or 1; any non-zero value converts to true.</summary>
internal struct EBool : IElem<byte>
{
    public readonly bool IsFloat => false;
    public readonly float ToF(byte v) => v != 0 ? 1f : 0f;
    public readonly double ToD(byte v) => v != 0 ? 1.0 : 0.0;
    public readonly long ToL(byte v) => v != 0 ? 1 : 0;
    public readonly byte FromF(float v) => v != 0 ? (byte)1 : (byte)0;
    public readonly byte FromD(double v) => v != 0 ? (byte)1 : (byte)0;
    public readonly byte FromL(long v) => v != 0 ? (byte)1 : (byte)0;
}

/// <summary>IEEE half as raw bits; computes through float like PyTorch's opmath.</summary>
internal struct EF16 : IElem<ushort>
{
    public readonly bool IsFloat => true;
    public readonly float ToF(ushort v) => HalfBits.ToFloat(v);
    public readonly double ToD(ushort v) => HalfBits.ToFloat(v);
    public readonly long ToL(ushort v) => (long)HalfBits.ToFloat(v);
    public readonly ushort FromF(float v) => HalfBits.FromFloat(v);
    public readonly ushort FromD(double v) => HalfBits.FromFloat((float)v);
    public readonly ushort FromL(long v) => HalfBits.FromFloat(v);
}

/// <summary>bfloat16 as raw bits: the top half of a float32.</summary>
internal struct EBF16 : IElem<ushort>
{
    public readonly bool IsFloat => true;
    public readonly float ToF(ushort v) => Interop.IntAsFloat((uint)v << 16);
    public readonly double ToD(ushort v) => Interop.IntAsFloat((uint)v << 16);
    public readonly long ToL(ushort v) => (long)Interop.IntAsFloat((uint)v << 16);
    public readonly ushort FromF(float v) => HalfBits.BFloatFromFloat(v);
    public readonly ushort FromD(double v) => HalfBits.BFloatFromFloat((float)v);
    public readonly ushort FromL(long v) => HalfBits.BFloatFromFloat(v);
}

/// <summary>Bit-level float ↔ half/bfloat16 conversions with round-to-nearest-even, usable inside kernels.</summary>
internal static class HalfBits
{
    public static float ToFloat(ushort h)
    {
        uint sign = (uint)(h & 0x8000) << 16;
        uint exp = (uint)(h >> 10) & 0x1F;
        uint mant = (uint)h & 0x3FF;
        if (exp == 0x1F) return Interop.IntAsFloat(sign | 0x7F800000u | (mant << 13));
        if (exp == 0)
        {
            // Zero or subnormal: mant · 2⁻²⁴ is exact in float.
            float v = mant * 5.9604644775390625e-8f;
            return sign != 0 ? -v : v;
        }
        return Interop.IntAsFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    public static ushort FromFloat(float f)
    {
        uint x = Interop.FloatAsInt(f);
        uint sign = (x >> 16) & 0x8000;
        uint ax = x & 0x7FFFFFFF;
        if (ax >= 0x7F800000) return (ushort)(sign | (ax > 0x7F800000 ? 0x7E00u : 0x7C00u));
        // 65520 and above round to infinity.
        if (ax >= 0x477FF000) return (ushort)(sign | 0x7C00);
        if (ax < 0x38800000)
        {
            // Below half's smallest normal: adding 0.5 makes float's rounding (to even) happen at 2⁻²⁴, half's quantum.
            uint r = Interop.FloatAsInt(Interop.IntAsFloat(ax) + 0.5f) - 0x3F000000u;
            return (ushort)(sign | r);
        }
        uint odd = (ax >> 13) & 1;
        ax += 0xC8000FFFu + odd;
        return (ushort)(sign | (ax >> 13));
    }

    public static ushort BFloatFromFloat(float f)
    {
        uint u = Interop.FloatAsInt(f);
        if ((u & 0x7FFFFFFF) > 0x7F800000) return (ushort)((u >> 16) | 0x40);
        u += 0x7FFF + ((u >> 16) & 1);
        return (ushort)(u >> 16);
    }
}
