using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors;

/// <summary>
/// ATen's <c>calc_erfinv</c> (aten/src/ATen/native/Math.h): a rational first guess refined by two Newton steps,
/// evaluated in the tensor's own precision as the CPU kernel does.
/// </summary>
internal static class Erfinv
{
    private static readonly double[] A = [0.886226899, -1.645349621, 0.914624893, -0.140543331];
    private static readonly double[] B = [-2.118377725, 1.442710462, -0.329097515, 0.012229801];
    private static readonly double[] C = [-1.970840454, -1.624906493, 3.429567803, 1.641345311];
    private static readonly double[] D = [3.543889200, 1.637067800];

    public static float Of(float y)
    {
        float ya = MathF.Abs(y);
        if (ya > 1f) return float.NaN;
        if (ya == 1f) return MathF.CopySign(float.PositiveInfinity, y);
        float x;
        if (ya <= 0.7f)
        {
            float z = y * y;
            float num = (((float)A[3] * z + (float)A[2]) * z + (float)A[1]) * z + (float)A[0];
            float dem = (((((float)B[3] * z + (float)B[2]) * z + (float)B[1]) * z + (float)B[0]) * z) + 1f;
            x = y * num / dem;
        }
        else
        {
            float z = MathF.Sqrt(-MathF.Log((1f - ya) / 2f));
            float num = (((float)C[3] * z + (float)C[2]) * z + (float)C[1]) * z + (float)C[0];
            float dem = ((float)D[1] * z + (float)D[0]) * z + 1f;
            x = MathF.CopySign(num, y) / dem;
        }
        float k = 2f / (float)Math.Sqrt(Math.PI);
        x -= ((float)SpecialFunctions.Erf(x) - y) / (k * MathF.Exp(-x * x));
        x -= ((float)SpecialFunctions.Erf(x) - y) / (k * MathF.Exp(-x * x));
        return x;
    }

    public static double Of(double y)
    {
        double ya = Math.Abs(y);
        if (ya > 1) return double.NaN;
        if (ya == 1) return Math.CopySign(double.PositiveInfinity, y);
        double x;
        if (ya <= 0.7)
        {
            double z = y * y;
            x = y * (((A[3] * z + A[2]) * z + A[1]) * z + A[0]) / ((((B[3] * z + B[2]) * z + B[1]) * z + B[0]) * z + 1);
        }
        else
        {
            double z = Math.Sqrt(-Math.Log((1 - ya) / 2));
            x = Math.CopySign(((C[3] * z + C[2]) * z + C[1]) * z + C[0], y) / ((D[1] * z + D[0]) * z + 1);
        }
        double k = 2 / Math.Sqrt(Math.PI);
        x -= (SpecialFunctions.Erf(x) - y) / (k * Math.Exp(-x * x));
        x -= (SpecialFunctions.Erf(x) - y) / (k * Math.Exp(-x * x));
        return x;
    }

    /// <summary>In place over a floating tensor (nn.init.trunc_normal_ needs erfinv_).</summary>
    public static void Apply(Tensor t)
    {
        if (t.dtype == DType.Float64)
        {
            var v = t.contiguous().ToArray<double>();
            for (int i = 0; i < v.Length; i++) v[i] = Of(v[i]);
            t.CopyFromRaw(torch.tensor(v).reshape(t._shape));
        }
        else
        {
            var v = t.to(DType.Float32).contiguous().ToArray<float>();
            for (int i = 0; i < v.Length; i++) v[i] = Of(v[i]);
            t.CopyFromRaw(torch.tensor(v).reshape(t._shape));
        }
    }
}
