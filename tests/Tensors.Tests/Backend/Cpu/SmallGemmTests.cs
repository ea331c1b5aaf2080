namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// Small products with contiguous rows in b and the output go through column vectors; every element must still be
/// the sum from zero over p ascending, one multiply and one add per step, as the scalar dot-product loop gives.
/// </summary>
public class SmallGemmTests
{
    private static float[] Reference(float[] a, float[] b, int m, int k, int n)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        return c;
    }

    private static double[] Reference(double[] a, double[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        return c;
    }

    [TestCase(300, 2, 10)]
    [TestCase(2, 300, 10)]
    [TestCase(7, 5, 8)]
    [TestCase(13, 9, 17)]
    [TestCase(33, 3, 40)]
    [TestCase(1, 64, 24)]
    public void Float32_products_round_as_the_scalar_loop(int m, int k, int n)
    {
        torch.manual_seed(m * 1000 + k * 10 + n);
        var a = torch.randn(m, k) * 3;
        var b = torch.randn(k, n) * 3;
        var c = a.matmul(b);
        var expected = Reference(a.ToArray<float>(), b.ToArray<float>(), m, k, n);
        Assert.That(c.ToArray<float>().Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)));
        // A transposed a (the weight gradient's xᵀ·g) reads a through its strides.
        var at = a.t().contiguous().t();
        Assert.That(at.matmul(b).ToArray<float>().Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)));
    }

    [TestCase(300, 2, 10)]
    [TestCase(5, 11, 9)]
    public void Float64_products_round_as_the_scalar_loop(int m, int k, int n)
    {
        torch.manual_seed(7);
        var a = torch.randn([m, k], dtype: torch.float64);
        var b = torch.randn([k, n], dtype: torch.float64);
        var expected = Reference(a.ToArray<double>(), b.ToArray<double>(), m, k, n);
        Assert.That(a.matmul(b).ToArray<double>().Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(expected.Select(BitConverter.DoubleToInt64Bits)));
    }

    [Test]
    public void Signed_zeros_and_non_finite_values_follow_the_scalar_sums()
    {
        var a = torch.tensor(new[] { new[] { -0f, -0f }, new[] { float.PositiveInfinity, 1f }, new[] { float.NaN, 0f } });
        var b = torch.tensor(new[] { Enumerable.Repeat(-0f, 9).ToArray(), Enumerable.Range(0, 9).Select(i => i - 4f).ToArray() });
        var expected = Reference(a.ToArray<float>(), b.ToArray<float>(), 3, 2, 9);
        Assert.That(a.matmul(b).ToArray<float>().Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)));
    }
}
