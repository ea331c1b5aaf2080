namespace Notebooks.Tensors;

public sealed partial class Generator
{
    // uniform_ on CPU (aten/src/ATen/native/cpu/DistributionTemplates.h, uniform_kernel) casts from/to to the
    // tensor's dtype, then draws each element with at::uniform_real_distribution
    // (aten/src/ATen/core/DistributionsHelper.h) and transformation::uniform_real
    // (aten/src/ATen/core/TransformationHelper.h):
    //     x = (bits & (2^digits - 1)) * 2^-digits;  return x * (to - from) + from;
    // in dist_acctype<T> (float for float/half/bfloat16, double for double). digits is
    // numeric_limits<T>::digits: 24 for float, 53 for double, 11 for Half, 8 for BFloat16.
    // Only double draws 64 bits (random64); every other dtype draws one 32-bit output.

    internal void FillUniform(Span<float> dst, double from, double to)
    {
        CheckUniformRange(from, to);
        float lo = (float)from, span = (float)to - lo;
        lock (_sync)
        {
            foreach (ref float x in dst)
                x = FloatMath.MultiplyAdd(UnitFloat24(Random32()), span, lo);
        }
    }

    internal void FillUniform(Span<double> dst, double from, double to)
    {
        CheckUniformRange(from, to);
        double span = to - from;
        lock (_sync)
        {
            foreach (ref double x in dst)
                x = FloatMath.MultiplyAdd(UnitDouble53(Random64()), span, from);
        }
    }

    internal void FillUniform(Span<Half> dst, double from, double to)
    {
        CheckUniformRange(from, to);
        // c10::Half is built from float, so a double bound is rounded to float first, then to half.
        // Half - Half is computed in float and rounded back to Half (c10/util/Half-inl.h); the rest is float.
        float lo = (float)(Half)(float)from;
        float span = (float)(Half)((float)(Half)(float)to - lo);
        lock (_sync)
        {
            foreach (ref Half x in dst)
                x = (Half)FloatMath.MultiplyAdd((Random32() & 0x7FF) * (1f / 2048), span, lo);
        }
    }

    /// <summary>uniform_ for bfloat16 tensors, written as raw bfloat16 bits (the upper half of a float).</summary>
    internal void FillUniformBFloat16(Span<ushort> dst, double from, double to)
    {
        CheckUniformRange(from, to);
        float lo = BFloat16Bits.ToSingle(BFloat16Bits.FromSingle((float)from));
        float hi = BFloat16Bits.ToSingle(BFloat16Bits.FromSingle((float)to));
        float span = BFloat16Bits.ToSingle(BFloat16Bits.FromSingle(hi - lo));
        lock (_sync)
        {
            foreach (ref ushort x in dst)
                x = BFloat16Bits.FromSingle(FloatMath.MultiplyAdd((Random32() & 0xFF) * (1f / 256), span, lo));
        }
    }

    /// <summary>24 random bits scaled into [0, 1): uniform_real_distribution&lt;float&gt;(0, 1).</summary>
    private static float UnitFloat24(uint bits) => (bits & 0xFFFFFF) * (1f / (1 << 24));

    /// <summary>53 random bits scaled into [0, 1): uniform_real_distribution&lt;double&gt;(0, 1).</summary>
    private static double UnitDouble53(ulong bits) => (bits & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));

    private static void CheckUniformRange(double from, double to)
    {
        // aten/src/ATen/native/DistributionTemplates.h (uniform_impl_) rejects these before any draw.
        if (!double.IsFinite(from) || !double.IsFinite(to))
            throw new ArgumentException($"uniform_ expects finite from and to, got from={from} to={to}");
        if (from > to)
            throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={from} > to={to}");
    }
}
