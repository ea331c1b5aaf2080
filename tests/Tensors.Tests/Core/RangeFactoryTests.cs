namespace Notebooks.Tensors.Tests.Core;

/// <summary>
/// arange and linspace element by element. ATen's arange_kernel (aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp)
/// runs cpu_serial_kernel_vec: while two whole vectors remain (AVX2: 8 floats or 4 doubles each) it writes
/// <c>Vectorized::arange(start + step * idx, step)</c>, whose base is rounded to the element type before base + j·step
/// is taken in the double accumulate type; the tail uses the scalar <c>start + step * idx</c>. linspace_kernel is
/// scalar only: <c>start + step * idx</c> below steps/2, <c>end - step * (steps - idx - 1)</c> from there, in the
/// element type. GCC contracts each product-plus-sum into an FMA. The expected values below are that arithmetic spelled
/// out; each case also differs from the naive <c>(float)(start + i·step)</c> somewhere, so the test can tell.
/// </summary>
public class RangeFactoryTests : CoreTestBase
{
    private static float[] ArangeFloat(double start, double step, long n)
    {
        var r = new float[n];
        long i = 0;
        for (; i + 16 <= n; i += 16)
            for (long v = i; v < i + 16; v += 8)
            {
                float b = (float)Math.FusedMultiplyAdd(step, v, start);
                for (int j = 0; j < 8; j++) r[v + j] = (float)Math.FusedMultiplyAdd(j, step, (double)b);
            }
        for (; i < n; i++) r[i] = (float)Math.FusedMultiplyAdd(step, i, start);
        return r;
    }

    private static float[] Naive(double start, double step, long n) =>
        Enumerable.Range(0, (int)n).Select(i => (float)(start + i * step)).ToArray();

    [TestCase(0.1, 10.0, 0.1, 99)]
    [TestCase(-3.0, 3.0, 0.07, 86)]
    [TestCase(0.0, 5.0, 0.01, 500)]
    [TestCase(1.0, 50.0, 0.7, 70)]
    public void Float32_arange_rounds_as_the_vectorised_kernel(double start, double end, double step, int n)
    {
        var t = torch.arange(start, end, step);
        Assert.That(t.shape, Is.EqualTo(torch.Size(n)));
        var expected = ArangeFloat(start, step, n);
        Assert.That(t.ToArray<float>(), Is.EqualTo(expected));
        Assert.That(expected, Is.Not.EqualTo(Naive(start, step, n)));
    }

    [Test]
    public void Float64_arange_uses_four_lane_vectors()
    {
        var t = torch.arange(0.1, 10.0, 0.1, dtype: torch.float64);
        var r = new double[99];
        long i = 0;
        for (; i + 8 <= 99; i += 8)
            for (long v = i; v < i + 8; v += 4)
            {
                double b = Math.FusedMultiplyAdd(0.1, v, 0.1);
                for (int j = 0; j < 4; j++) r[v + j] = Math.FusedMultiplyAdd(j, 0.1, b);
            }
        for (; i < 99; i++) r[i] = Math.FusedMultiplyAdd(0.1, i, 0.1);
        Assert.That(t.ToArray<double>(), Is.EqualTo(r));
        Assert.That(r, Is.Not.EqualTo(Enumerable.Range(0, 99).Select(k => 0.1 + k * 0.1).ToArray()));
    }

    [Test]
    public void Arange_prints_as_pytorch()
    {
        Assert.That(Repr(torch.arange(0, 1, 0.1)), Is.EqualTo("tensor([0.0000, 0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000,\n        0.9000])"));
        Assert.That(Repr(torch.arange(0.1, 2.5, 0.3)), Is.EqualTo("tensor([0.1000, 0.4000, 0.7000, 1.0000, 1.3000, 1.6000, 1.9000, 2.2000])"));
        Assert.That(Repr(torch.arange(1, 2.5, 0.5)), Is.EqualTo("tensor([1.0000, 1.5000, 2.0000])"));
        Assert.That(Repr(torch.arange(5)), Is.EqualTo("tensor([0, 1, 2, 3, 4])"));
        // int64 sizes come from integer arithmetic on truncated bounds: (5 - 0 + 1 - 1) / 1 elements, not ceil(5.5).
        Assert.That(Repr(torch.arange(0, 5.5, dtype: torch.int64)), Is.EqualTo("tensor([0, 1, 2, 3, 4])"));
        Assert.That(Repr(torch.arange(10, 0, -3)), Is.EqualTo("tensor([10,  7,  4,  1])"));
        Assert.That(Error(() => torch.arange(0, 1, 0)), Is.EqualTo("step must be nonzero"));
        Assert.That(Error(() => torch.arange(0, double.PositiveInfinity)), Is.EqualTo("unsupported range: 0 -> inf"));
        Assert.That(Error(() => torch.arange(1, 0, 1)), Is.EqualTo("upper bound and larger bound inconsistent with step sign"));
    }

    [TestCase(0.0, 1.0, 100)]
    [TestCase(-2.5, 7.3, 57)]
    [TestCase(0.3, 2.2, 23)]
    public void Float32_linspace_fills_each_half_with_one_fma(double start, double end, int steps)
    {
        float s = (float)start, e = (float)end, step = (e - s) / (steps - 1);
        var expected = new float[steps];
        for (int i = 0; i < steps; i++)
            expected[i] = i < steps / 2 ? MathF.FusedMultiplyAdd(step, i, s) : MathF.FusedMultiplyAdd(-step, steps - i - 1, e);
        var unfused = Enumerable.Range(0, steps).Select(i => i < steps / 2 ? s + step * i : e - step * (steps - i - 1)).ToArray();
        Assert.That(torch.linspace(start, end, steps).ToArray<float>(), Is.EqualTo(expected));
        Assert.That(expected, Is.Not.EqualTo(unfused));
        Assert.That(torch.linspace(start, end, steps)[-1].item<float>(), Is.EqualTo(e));
    }

    [Test]
    public void Linspace_edge_counts()
    {
        Assert.That(Repr(torch.linspace(3, 10, 1)), Is.EqualTo("tensor([3.])"));
        Assert.That(Repr(torch.linspace(3, 10, 0)), Is.EqualTo("tensor([])"));
        Assert.That(Repr(torch.linspace(-10, 10, 5)), Is.EqualTo("tensor([-10.,  -5.,   0.,   5.,  10.])"));
    }
}
