namespace Notebooks.Tensors;

/// <summary>
/// Scalar, lane-exact re-implementation of the single-precision <c>log256_ps</c> and <c>sincos256_ps</c> that
/// PyTorch's AVX2 normal kernel uses (aten/src/ATen/native/cpu/avx_mathfun.h, Cephes polynomials by way of
/// Julien Pommier's sse_mathfun). They are not correctly rounded, so <see cref="MathF.Log(float)"/> and
/// friends would differ from PyTorch in the last bits; every operation below mirrors one vector instruction.
/// When <see cref="FloatMath.Contracted"/> is set, multiplies that GCC fuses into a following add are fused
/// here too (GCC fuses a product into its single add/sub use, walking the statements in order).
/// </summary>
internal static class AvxMathFun
{
    private const float SqrtHalf = 0.707106781186547524f;
    private const float LogP0 = 7.0376836292E-2f, LogP1 = -1.1514610310E-1f, LogP2 = 1.1676998740E-1f;
    private const float LogP3 = -1.2420140846E-1f, LogP4 = 1.4249322787E-1f, LogP5 = -1.6668057665E-1f;
    private const float LogP6 = 2.0000714765E-1f, LogP7 = -2.4999993993E-1f, LogP8 = 3.3333331174E-1f;
    private const float LogQ1 = -2.12194440e-4f, LogQ2 = 0.693359375f;

    private const float MinusDP1 = -0.78515625f, MinusDP2 = -2.4187564849853515625e-4f, MinusDP3 = -3.77489497744594108e-8f;
    private const float SinP0 = -1.9515295891E-4f, SinP1 = 8.3321608736E-3f, SinP2 = -1.6666654611E-1f;
    private const float CosP0 = 2.443315711809948E-005f, CosP1 = -1.388731625493765E-003f, CosP2 = 4.166664568298827E-002f;
    private const float FourOverPi = 1.27323954473516f;

    private static float Mad(float a, float b, float c) => FloatMath.Contracted ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>log256_ps for one lane: natural log, NaN for x &lt;= 0, denormals flushed to the smallest normal.</summary>
    internal static float Log(float x)
    {
        bool invalid = x <= 0f;
        x = MathF.Max(x, BitConverter.UInt32BitsToSingle(0x00800000)); // _mm256_max_ps(x, min_norm_pos)
        uint bits = BitConverter.SingleToUInt32Bits(x);
        int exponent = (int)(bits >> 23) - 0x7f;
        x = BitConverter.UInt32BitsToSingle((bits & ~0x7f800000u) | BitConverter.SingleToUInt32Bits(0.5f));
        float e = exponent;
        e += 1f;

        // if (x < SQRTHF) { e -= 1; x = x + x - 1; } else { x = x - 1; }
        bool below = x < SqrtHalf;
        float tmp = below ? x : 0f;
        x -= 1f;
        e -= below ? 1f : 0f;
        x += tmp;

        float z = x * x;
        float y = LogP0;
        y = Mad(y, x, LogP1);
        y = Mad(y, x, LogP2);
        y = Mad(y, x, LogP3);
        y = Mad(y, x, LogP4);
        y = Mad(y, x, LogP5);
        y = Mad(y, x, LogP6);
        y = Mad(y, x, LogP7);
        y = Mad(y, x, LogP8);
        y *= x;
        // y = y*z; y += e*q1: the first product (y*z) is the one that gets fused.
        y = FloatMath.Contracted ? MathF.FusedMultiplyAdd(y, z, e * LogQ1) : y * z + e * LogQ1;
        y = FloatMath.Contracted ? MathF.FusedMultiplyAdd(-z, 0.5f, y) : y - z * 0.5f;
        x += y;
        x = Mad(e, LogQ2, x);
        return invalid ? float.NaN : x;
    }

    /// <summary>sincos256_ps for one lane.</summary>
    internal static void SinCos(float x, out float sin, out float cos)
    {
        uint signSin = BitConverter.SingleToUInt32Bits(x) & 0x80000000;
        x = MathF.Abs(x);

        // Octant j = (int(x * 4/pi) + 1) & ~1, with y = (float)j.
        int j = (int)(x * FourOverPi);  // _mm256_cvttps_epi32 truncates
        j = (j + 1) & ~1;
        float y = j;

        uint swapSignSin = (uint)(j & 4) << 29;
        bool useSinPoly = (j & 2) == 0;

        // Extended-precision argument reduction: x = ((x - y*DP1) - y*DP2) - y*DP3.
        x = Mad(y, MinusDP1, x);
        x = Mad(y, MinusDP2, x);
        x = Mad(y, MinusDP3, x);

        uint signCos = (uint)(~(j - 2) & 4) << 29;
        signSin ^= swapSignSin;

        float z = x * x;

        // Cosine polynomial on [0, pi/4].
        float yc = CosP0;
        yc = Mad(yc, z, CosP1);
        yc = Mad(yc, z, CosP2);
        yc *= z;
        yc = FloatMath.Contracted ? MathF.FusedMultiplyAdd(yc, z, -(z * 0.5f)) : yc * z - z * 0.5f;
        yc += 1f;

        // Sine polynomial on [0, pi/4].
        float ys = SinP0;
        ys = Mad(ys, z, SinP1);
        ys = Mad(ys, z, SinP2);
        ys *= z;
        ys = Mad(ys, x, x);

        // The vector code selects with masks and subtracts the selected lane; adding 0f keeps its -0/+0 behaviour.
        float sinSelected = useSinPoly ? ys : 0f;
        float cosSelected = useSinPoly ? 0f : yc;
        float ys2 = ys - sinSelected;
        float yc2 = yc - cosSelected;
        float sinMag = cosSelected + sinSelected;
        float cosMag = yc2 + ys2;

        sin = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(sinMag) ^ signSin);
        cos = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(cosMag) ^ signCos);
    }
}
