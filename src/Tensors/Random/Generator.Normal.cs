namespace Notebooks.Tensors;

public sealed partial class Generator
{
    // normal_ on CPU (aten/src/ATen/native/cpu/DistributionTemplates.h, normal_kernel) takes one of two routes:
    //  * a contiguous tensor of >= 16 elements is filled with uniforms first and then transformed in blocks of 16
    //    by Box–Muller (normal_fill / normal_fill_16; for float the AVX2 variant normal_fill_16_AVX2 on x86-64);
    //    element j of a block pairs with element j + 8. When the length is not a multiple of 16, the last 16
    //    elements are redrawn and transformed again, overwriting the tail of the previous block.
    //  * anything smaller draws element by element from at::normal_distribution<double>, which produces a
    //    Box–Muller pair, returns the cosine half and caches the sine half in the generator for the next draw.

    internal void FillNormal(Span<float> dst, double mean, double std)
    {
        CheckStd(std);
        lock (_sync)
        {
            if (dst.Length >= 16) FillNormalBlocks(dst, (float)mean, (float)std);
            else foreach (ref float x in dst) x = (float)NextScalarNormal(mean, std);
        }
    }

    internal void FillNormal(Span<double> dst, double mean, double std)
    {
        CheckStd(std);
        lock (_sync)
        {
            if (dst.Length >= 16) FillNormalBlocks(dst, mean, std);
            else foreach (ref double x in dst) x = NextScalarNormal(mean, std);
        }
    }

    private void FillNormalBlocks(Span<float> data, float mean, float std)
    {
        foreach (ref float x in data) x = UnitFloat24(Random32());
        for (int i = 0; i + 16 <= data.Length; i += 16) NormalBlockAvx2(data.Slice(i, 16), mean, std);
        if (data.Length % 16 != 0)
        {
            Span<float> tail = data[^16..];
            foreach (ref float x in tail) x = UnitFloat24(Random32());
            NormalBlockAvx2(tail, mean, std);
        }
    }

    private void FillNormalBlocks(Span<double> data, double mean, double std)
    {
        foreach (ref double x in data) x = UnitDouble53(Random64());
        for (int i = 0; i + 16 <= data.Length; i += 16) NormalBlock(data.Slice(i, 16), mean, std);
        if (data.Length % 16 != 0)
        {
            Span<double> tail = data[^16..];
            foreach (ref double x in tail) x = UnitDouble53(Random64());
            NormalBlock(tail, mean, std);
        }
    }

    /// <summary>normal_fill_16_AVX2: float arithmetic, avx_mathfun's log/sincos, and an explicit FMA for * std + mean.</summary>
    private static void NormalBlockAvx2(Span<float> block, float mean, float std)
    {
        const float TwoPi = (float)(2.0 * Math.PI); // _mm256_set1_ps(2.0f * c10::pi<double>)
        for (int j = 0; j < 8; j++)
        {
            float u1 = 1f - block[j];   // [0, 1) -> (0, 1] for the log
            float u2 = block[j + 8];
            float radius = MathF.Sqrt(-2f * AvxMathFun.Log(u1));
            AvxMathFun.SinCos(TwoPi * u2, out float sin, out float cos);
            block[j] = MathF.FusedMultiplyAdd(radius * cos, std, mean);
            block[j + 8] = MathF.FusedMultiplyAdd(radius * sin, std, mean);
        }
    }

    /// <summary>normal_fill_16 for double: the C library's log/cos/sin in double precision.</summary>
    private static void NormalBlock(Span<double> block, double mean, double std)
    {
        for (int j = 0; j < 8; j++)
        {
            double u1 = 1 - block[j];
            double u2 = block[j + 8];
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            double theta = 2.0 * Math.PI * u2;
            block[j] = FloatMath.MultiplyAdd(radius * Math.Cos(theta), std, mean);
            block[j + 8] = FloatMath.MultiplyAdd(radius * Math.Sin(theta), std, mean);
        }
    }

    /// <summary>One draw of at::normal_distribution&lt;double&gt;(mean, std) (aten/src/ATen/core/DistributionsHelper.h).</summary>
    private double NextScalarNormal(double mean, double std)
    {
        if (_nextDoubleNormal is double cached)
        {
            _nextDoubleNormal = null;
            return FloatMath.MultiplyAdd(cached, std, mean);
        }
        double u1 = UnitDouble53(Random64());
        double u2 = UnitDouble53(Random64());
        double r = Math.Sqrt(-2.0 * Log1P.Compute(-u2));
        double theta = 2.0 * Math.PI * u1;
        _nextDoubleNormal = r * Math.Sin(theta);
        return FloatMath.MultiplyAdd(r * Math.Cos(theta), std, mean);  // transformation::normal
    }

    private static void CheckStd(double std)
    {
        if (!(std >= 0.0)) throw new ArgumentException($"normal expects std >= 0.0, but found std {std}");
    }
}
