using Notebooks.Tensors.Tests.Core;
namespace Notebooks.Tensors.Tests.Ops;

/// <summary>
/// var/std/var_mean/std_mean as ATen computes them on the CPU (aten/src/ATen/native/ReduceOps.cpp): a single-output
/// var/std goes through <c>std_var_all_cpu</c> (the mean from <c>self.mean()</c>, then Σ(x - mean)² in double); every
/// other case through <c>std_var_kernel_impl</c> (ReduceOpsKernel.cpp), i.e. <c>WelfordOps&lt;scalar_t, double&gt;</c>
/// (SharedReduceOps.h) run sequentially per output by <c>binary_kernel_reduce</c>. Expected values are computed here
/// from those formulas, written out in scalar C#; each test also shows that the other plausible algorithm would
/// give different bits on the same data, so it can tell them apart. GCC contracts <c>m2 + delta * new_delta</c> and
/// <c>local_sum += dx * dx</c> into FMAs, as FloatMath explains.
/// </summary>
public class VarianceTests : CoreTestBase
{
    private static double[] Welford(double[] xs, double correction)
    {
        double mean = 0, m2 = 0;
        long n = 0;
        foreach (var x in xs)
        {
            n++;
            double delta = x - mean;
            mean += delta / n;
            m2 = Math.FusedMultiplyAdd(delta, x - mean, m2);
        }
        return [m2 / (n > correction ? n - correction : 0), mean];
    }

    private static double TwoPass(double[] xs, double mean, double correction)
    {
        double ss = 0;
        foreach (var x in xs) ss = Math.FusedMultiplyAdd(x - mean, x - mean, ss);
        return ss / Math.Max(0, xs.Length - correction);
    }

    [Test]
    public void Float32_var_of_all_elements_sums_squares_in_double_around_the_float_mean()
    {
        var g = new Generator().manual_seed(3);
        var x = torch.randn(new long[] { 5000 }, generator: g) * 0.01 + 1000;
        var xs = x.ToArray<float>().Select(v => (double)v).ToArray();
        double mean = x.mean().item<float>();
        float expected = (float)TwoPass(xs, mean, 1);
        Assert.That(x.var().item<float>(), Is.EqualTo(expected));
        Assert.That(x.std().item<float>(), Is.EqualTo((float)Math.Sqrt(TwoPass(xs, mean, 1))));
        Assert.That(x.var(correction: 0).item<float>(), Is.EqualTo((float)TwoPass(xs, mean, 0)));

        float inFloat;
        using (torch.no_grad()) { var d = x - x.mean(); inFloat = ((d * d).sum() / 4999).item<float>(); }
        Assert.That(inFloat, Is.Not.EqualTo(expected), "float32 accumulation would round differently here");
    }

    [Test]
    public void Dim_reductions_run_welford_in_double_per_output_in_memory_order()
    {
        var g = new Generator().manual_seed(5);
        var x = torch.randn(new long[] { 4, 3000 }, dtype: torch.float64, generator: g) * 3 + 1e4;
        var v = x.var(1).ToArray<double>();
        var s = x.std([1L], correction: 0).ToArray<double>();
        bool differsFromTwoPass = false;
        for (int r = 0; r < 4; r++)
        {
            var row = x[r].ToArray<double>();
            var w = Welford(row, 1);
            Assert.That(v[r], Is.EqualTo(w[0]), $"row {r}");
            Assert.That(s[r], Is.EqualTo(Math.Sqrt(Welford(row, 0)[0])), $"row {r}");
            differsFromTwoPass |= TwoPass(row, row.Sum() / row.Length, 1) != w[0];
        }
        Assert.That(differsFromTwoPass, "two passes would give other bits on this data");

        // A transposed view is walked in memory order too, so the same numbers come out.
        Assert.That(x.t().contiguous().t().var(1).ToArray<double>(), Is.EqualTo(v));
        var xt = x.t();
        Assert.That(xt.var(0).ToArray<double>(), Is.EqualTo(v));
    }

    [Test]
    public void Var_mean_of_all_elements_is_welford_while_var_is_two_pass()
    {
        var g = new Generator().manual_seed(11);
        var x = torch.randn(new long[] { 2000 }, dtype: torch.float64, generator: g) + 1e6;
        var xs = x.ToArray<double>();
        var w = Welford(xs, 1);
        var (v, m) = torch.var_mean(x);
        Assert.That(v.item<double>(), Is.EqualTo(w[0]));
        Assert.That(m.item<double>(), Is.EqualTo(w[1]));
        var (sd, m2) = x.std_mean(correction: 0);
        Assert.That(sd.item<double>(), Is.EqualTo(Math.Sqrt(Welford(xs, 0)[0])));
        Assert.That(m2.item<double>(), Is.EqualTo(w[1]));

        var twoPass = TwoPass(xs, x.mean().item<double>(), 1);
        Assert.That(x.var().item<double>(), Is.EqualTo(twoPass));
        Assert.That(twoPass, Is.Not.EqualTo(w[0]), "the two ATen paths round differently on this data");
    }

    [Test]
    public void Float32_var_mean_rounds_the_double_mean_once()
    {
        var x = torch.tensor(new[] { 0.1f, 0.2f, 0.7f, 1e-3f, 3.3f });
        var w = Welford(x.ToArray<float>().Select(v => (double)v).ToArray(), 1);
        var (v, m) = x.var_mean();
        Assert.That(v.item<float>(), Is.EqualTo((float)w[0]));
        Assert.That(m.item<float>(), Is.EqualTo((float)w[1]));
        Assert.That(m.dtype, Is.EqualTo(torch.float32));
        // Half inputs take the Welford path too, rounded to half once at the end: 5/3 → 1.669921875.
        Assert.That(Repr(torch.tensor(new[] { 1f, 2f, 3f, 4f }).to(torch.float16).var()), Is.EqualTo("tensor(1.6670, dtype=torch.float16)"));
    }

    [Test]
    public void Too_few_degrees_of_freedom_give_inf_or_nan_as_pytorch_does()
    {
        // N - correction <= 0: ATen divides by max(0, N - correction) (Welford: by 0 unless nf > correction).
        Assert.That(Repr(torch.tensor([1.0f, 2.0f]).var(correction: 2)), Is.EqualTo("tensor(inf)"));
        Assert.That(Repr(torch.tensor([1.0f, 1.0f]).var(correction: 2)), Is.EqualTo("tensor(nan)"));
        Assert.That(Repr(torch.tensor([1.0f, 2.0f]).std(correction: 3)), Is.EqualTo("tensor(inf)"));
        Assert.That(Repr(torch.tensor([1.0f]).var()), Is.EqualTo("tensor(nan)"));
        Assert.That(Repr(torch.tensor(new[,] { { 1.0f, 2.0f }, { 3.0f, 3.0f } }).var(1)), Is.EqualTo("tensor([0.5000, 0.0000])"));
        Assert.That(Repr(torch.tensor(new[,] { { 1.0f, 2.0f }, { 3.0f, 3.0f } }).var([1L], correction: 2)), Is.EqualTo("tensor([inf, nan])"));
        Assert.That(torch.var_mean(torch.tensor(new float[0])).ToString(), Is.EqualTo("(tensor(nan), tensor(nan))"));
        Assert.That(Repr(torch.zeros(3, 0).var(1)), Is.EqualTo("tensor([nan, nan, nan])"));
    }

    [Test]
    public void Grad_fns_are_named_as_pytorch_prints_them()
    {
        var x = torch.tensor([1.0f, 2.0f, 3.0f, 4.0f], requires_grad: true);
        Assert.That(Repr(x.var()), Is.EqualTo("tensor(1.6667, grad_fn=<VarBackward0>)"));
        Assert.That(Repr(x.std()), Is.EqualTo("tensor(1.2910, grad_fn=<StdBackward0>)"));
        Assert.That(Repr(torch.var(x, 0)), Is.EqualTo("tensor(1.6667, grad_fn=<VarBackward0>)"));
        Assert.That(torch.var_mean(x).ToString(), Is.EqualTo("(tensor(1.6667, grad_fn=<VarMeanBackward0>), tensor(2.5000, grad_fn=<VarMeanBackward0>))"));
        Assert.That(torch.std_mean(x, 0, unbiased: false).ToString(), Is.EqualTo("(tensor(1.1180, grad_fn=<StdMeanBackward0>), tensor(2.5000, grad_fn=<StdMeanBackward0>))"));
    }

    [Test]
    public void Backward_follows_var_backward_and_std_backward()
    {
        var x = torch.tensor([1.0f, 2.0f, 3.0f, 4.0f], requires_grad: true);
        x.var().backward();
        Assert.That(Repr(x.grad!), Is.EqualTo("tensor([-1.0000, -0.3333,  0.3333,  1.0000])"));

        // N - correction <= 0 with all dims: grad · where(self == mean, nan, inf).
        var y = torch.tensor([1.0f, 2.0f], requires_grad: true);
        y.var(correction: 2).backward();
        Assert.That(Repr(y.grad!), Is.EqualTo("tensor([inf, inf])"));
        var z = torch.tensor([1.0f, 1.0f], requires_grad: true);
        z.var(correction: 2).backward();
        Assert.That(Repr(z.grad!), Is.EqualTo("tensor([nan, nan])"));

        // std_backward masks result == 0, so a constant input gets zeros rather than 0/0.
        var c = torch.tensor([3.0f, 3.0f, 3.0f], requires_grad: true);
        c.std().backward();
        Assert.That(Repr(c.grad!), Is.EqualTo("tensor([0., 0., 0.])"));

        // Only the mean output used: mean's gradient alone.
        var u = torch.tensor([1.0f, 2.0f, 3.0f, 4.0f], requires_grad: true);
        var (_, m) = u.std_mean();
        m.backward();
        Assert.That(Repr(u.grad!), Is.EqualTo("tensor([0.2500, 0.2500, 0.2500, 0.2500])"));

        // Both outputs: var_backward + mean_backward.
        var b = torch.tensor([1.0f, 2.0f, 3.0f, 4.0f], requires_grad: true);
        var (v2, m2) = b.var_mean(correction: 0);
        (v2 + m2).backward();
        Assert.That(Repr(b.grad!), Is.EqualTo("tensor([-0.5000,  0.0000,  0.5000,  1.0000])"));
    }
}
