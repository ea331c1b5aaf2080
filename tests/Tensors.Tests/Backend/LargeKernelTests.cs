namespace Notebooks.Tensors.Tests.Backend;

/// <summary>Runs long enough to take the multi-core split paths of the element-wise kernels and the cascade sum.</summary>
public class LargeKernelTests
{
    private const int N = 1 << 20;

    [Test]
    public void ElementwiseSplitAcrossCoresMatchesScalarLoop()
    {
        torch.manual_seed(3);
        var a = torch.randn(N + 37); var b = torch.randn(N + 37);
        var xa = a.ToArray<float>(); var xb = b.ToArray<float>();
        var sum = (a + b).ToArray<float>();
        var scaled = (a * 2.5).ToArray<float>();
        var ex = a.exp().ToArray<float>();
        // A broadcast row and a strided (transposed) source go through the split with stride 0 and non-unit strides.
        var row = torch.randn(1024); var xr = row.ToArray<float>();
        var bc = (a.narrow(0, 0, 1024 * 1024).view(1024, 1024) + row).ToArray<float>();
        var tr = a.narrow(0, 0, 1024 * 1024).view(1024, 1024).t().contiguous().ToArray<float>();
        for (int i = 0; i < N + 37; i++)
        {
            if (sum[i] != xa[i] + xb[i]) Assert.Fail($"add [{i}]");
            if (scaled[i] != (float)(xa[i] * 2.5)) Assert.Fail($"mul [{i}]");
            if (Math.Abs(ex[i] - MathF.Exp(xa[i])) > 4e-7 * MathF.Exp(xa[i])) Assert.Fail($"exp [{i}]");
        }
        for (int i = 0; i < 1024; i++)
            for (int j = 0; j < 1024; j++)
            {
                if (bc[i * 1024 + j] != xa[i * 1024 + j] + xr[j]) Assert.Fail($"broadcast add [{i},{j}]");
                if (tr[j * 1024 + i] != xa[i * 1024 + j]) Assert.Fail($"transpose copy [{i},{j}]");
            }
    }

    [Test]
    public void Float32SumIsCascadedNotLinear()
    {
        // 4M copies of 0.1f: a running float sum stalls near 2^21 · 0.1 once 0.1 drops below half an ulp; a cascade stays within ~1e-5 even for this worst case of identical roundings.
        var x = torch.full([4L << 20], 0.1, dtype: torch.float32);
        double expected = (4L << 20) * (double)0.1f;
        Assert.That(x.sum().item<float>(), Is.EqualTo(expected).Within(expected * 1e-5));
        Assert.That(x.mean().item<float>(), Is.EqualTo(0.1f).Within(1e-6));
        var odd = torch.ones(3 * N + 5).sum().item<float>();
        Assert.That(odd, Is.EqualTo(3 * N + 5));
    }
}
