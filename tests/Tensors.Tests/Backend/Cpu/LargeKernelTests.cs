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

    [Test]
    public void OuterDimSumFoldsRowsLikeTheColumnLoop()
    {
        torch.manual_seed(4);
        foreach (var (r, c) in new[] { (1000, 300), (17, 9), (3, 64), (4096, 8) })
        {
            var x = torch.randn(r, c); var xs = x.ToArray<float>();
            var s0 = x.sum(0).ToArray<float>();
            var m0 = x.mean(0).ToArray<float>();
            var mx = x.max(0).values.ToArray<float>();
            for (int j = 0; j < c; j++)
            {
                double e = 0, abs = 0, best = double.NegativeInfinity;
                for (int i = 0; i < r; i++) { e += xs[i * c + j]; abs += Math.Abs(xs[i * c + j]); best = Math.Max(best, xs[i * c + j]); }
                Assert.That(s0[j], Is.EqualTo(e).Within(1e-6 * abs + 1e-6), $"sum {r}x{c} col {j}");
                Assert.That(m0[j], Is.EqualTo(e / r).Within((1e-6 * abs + 1e-6) / r), $"mean {r}x{c} col {j}");
                Assert.That(mx[j], Is.EqualTo(best), $"max {r}x{c} col {j}");
            }
        }
        // The middle dim of a 3-d tensor, and a row with a NaN (which must propagate).
        var y = torch.randn(5, 40, 12);
        var ys = y.ToArray<float>(); var s1 = y.sum(1).ToArray<float>();
        for (int a = 0; a < 5; a++)
            for (int k = 0; k < 12; k++)
            {
                double e = 0;
                for (int j = 0; j < 40; j++) e += ys[(a * 40 + j) * 12 + k];
                Assert.That(s1[a * 12 + k], Is.EqualTo(e).Within(1e-4));
            }
        var zv = Enumerable.Repeat(1f, 50 * 16).ToArray(); zv[7 * 16 + 3] = float.NaN;
        var z = torch.tensor(zv).view(50, 16);
        var zs = z.sum(0).ToArray<float>();
        Assert.That(float.IsNaN(zs[3]) && zs[2] == 50f);
    }
}
