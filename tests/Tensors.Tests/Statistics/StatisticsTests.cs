using Notebooks.Tensors.Tests.Core;
using static Notebooks.Tensors.Tests.Statistics.StatsReference;

namespace Notebooks.Tensors.Tests.Statistics;

/// <summary>
/// quantile/nanquantile, nansum/nanmean, count_nonzero, aminmax, histc, bincount, cov/corrcoef, renorm and the dim
/// overloads of all/any/norm against libtorch (torch_stats.json) and PyTorch's documented examples; error wording from
/// aten/src/ATen/native/Sorting.cpp (quantile_checks), Correlation.cpp (cov), ReduceOps.cpp (nanmean, renorm),
/// SummaryOps.cpp (bincount).
/// </summary>
public class StatisticsTests : CoreTestBase
{
    public static readonly object[] Cases =
    [
        new object[] { "quantile_linear", (Func<Tensor[], Tensor[]>)(t => [torch.quantile(t[0], t[1], dim: 1)]), (Func<Tensor[], Tensor>)(t => t[0].quantile(t[1], 1)) },
        new object[] { "nanquantile_linear", (Func<Tensor[], Tensor[]>)(t => [t[0].nanquantile(t[1], 1)]), null! },
        new object[] { "quantile_all_scalar", (Func<Tensor[], Tensor[]>)(t => [t[0].quantile(0.3)]), (Func<Tensor[], Tensor>)(t => t[0].quantile(0.3)) },
        new object[] { "nansum", (Func<Tensor[], Tensor[]>)(t => [torch.nansum(t[0])]), (Func<Tensor[], Tensor>)(t => t[0].nansum()) },
        new object[] { "count_nonzero", (Func<Tensor[], Tensor[]>)(t => [torch.count_nonzero(t[0], [0L])]), null! },
        new object[] { "aminmax_dim", (Func<Tensor[], Tensor[]>)(t => { var (mn, mx) = torch.aminmax(t[0], 2); return [mn, mx]; }), null! },
        new object[] { "histc", (Func<Tensor[], Tensor[]>)(t => [torch.histc(t[0], 7, -2, 2)]), null! },
        new object[] { "bincount", (Func<Tensor[], Tensor[]>)(t => [t[0].bincount()]), null! },
        new object[] { "bincount_weights", (Func<Tensor[], Tensor[]>)(t => [torch.bincount(t[0], t[1], 10)]), null! },
        new object[] { "cov", (Func<Tensor[], Tensor[]>)(t => [torch.cov(t[0])]), (Func<Tensor[], Tensor>)(t => t[0].cov()) },
        new object[] { "cov_weights", (Func<Tensor[], Tensor[]>)(t => [t[0].cov(0, t[1], t[2])]), (Func<Tensor[], Tensor>)(t => t[0].cov(0, t[1], t[2])) },
        new object[] { "corrcoef", (Func<Tensor[], Tensor[]>)(t => [torch.corrcoef(t[0])]), (Func<Tensor[], Tensor>)(t => t[0].corrcoef()) },
        new object[] { "renorm", (Func<Tensor[], Tensor[]>)(t => [torch.renorm(t[0], 2, 0, 1.5)]), (Func<Tensor[], Tensor>)(t => t[0].renorm(2, 0, 1.5)) },
        new object[] { "logsumexp", (Func<Tensor[], Tensor[]>)(t => [torch.logsumexp(t[0], [1L])]), (Func<Tensor[], Tensor>)(t => t[0].logsumexp(1)) },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch(string name, Func<Tensor[], Tensor[]> op, Func<Tensor[], Tensor>? gradOp)
    {
        var inputs = Inputs(name);
        var expected = Outputs(name);
        var actual = op(inputs);
        for (int i = 0; i < expected.Length; i++) AssertClose(actual[i], expected[i], $"{name} output {i}");
        if (gradOp is not null) AssertClose(GradOf(x => gradOp([x, .. inputs.Skip(1)]), inputs[0]), Grad(name), $"{name} gradient");
    }

    [Test]
    public void Quantile_interpolation_modes_as_documented()
    {
        // torch.quantile's docstring example: a = torch.arange(4.), q = 0.6.
        var a = torch.arange(4.0);
        Assert.That(a.quantile(0.6, interpolation: "linear").item<float>(), Is.EqualTo(1.8f).Within(1e-6));
        Assert.That(a.quantile(0.6, interpolation: "lower").item<float>(), Is.EqualTo(1f));
        Assert.That(a.quantile(0.6, interpolation: "higher").item<float>(), Is.EqualTo(2f));
        Assert.That(a.quantile(0.6, interpolation: "midpoint").item<float>(), Is.EqualTo(1.5f));
        Assert.That(a.quantile(0.6, interpolation: "nearest").item<float>(), Is.EqualTo(2f));
        Assert.That(a.quantile(0.4, interpolation: "nearest").item<float>(), Is.EqualTo(1f));
        // Its other example: q as a tensor puts q's dim first, keepdim keeps the reduced dim.
        var b = torch.tensor(new[] { new[] { 0.0, 1, 2 }, new[] { 3.0, 4, 5 } });
        var q = torch.tensor(new[] { 0.25f, 0.5f, 0.75f });
        Assert.That(b.quantile(q, dim: 1, keepdim: true).shape.ToArray(), Is.EqualTo(new long[] { 3, 2, 1 }));
        Assert.That(b.quantile(q, dim: 1, keepdim: true).flatten().ToArray<float>(), Is.EqualTo(new[] { 0.5f, 3.5f, 1f, 4f, 1.5f, 4.5f }));
        Assert.That(b.quantile(q).shape.ToArray(), Is.EqualTo(new long[] { 3 }));
        Assert.That(b.quantile(q, keepdim: true).shape.ToArray(), Is.EqualTo(new long[] { 3, 1, 1 }));
    }

    [Test]
    public void Nanquantile_ignores_nan_as_documented()
    {
        // torch.nanquantile's docstring examples.
        var t = torch.tensor(new[] { double.NaN, 1, 2 });
        Assert.That(double.IsNaN(t.quantile(0.5).item<double>()));
        Assert.That(t.nanquantile(0.5).item<double>(), Is.EqualTo(1.5));
        var u = torch.tensor(new[] { new[] { double.NaN, double.NaN }, new[] { 1.0, 2.0 } });
        Assert.That(u.nanquantile(0.5, dim: 0).ToArray<double>(), Is.EqualTo(new[] { 1.0, 2.0 }));
        var row = u.nanquantile(0.5, dim: 1).ToArray<double>();
        Assert.That(double.IsNaN(row[0]) && row[1] == 1.5);
    }

    [Test]
    public void Quantile_errors_use_pytorchs_wording()
    {
        var x = torch.randn(3, 4);
        Assert.That(Error(() => torch.arange(5).quantile(0.5)), Is.EqualTo("quantile() input tensor must be either float or double dtype"));
        Assert.That(Error(() => x.quantile(torch.tensor(new[] { 0.5 }, dtype: torch.float64))), Is.EqualTo("quantile() q tensor must be same dtype as the input tensor"));
        Assert.That(Error(() => x.quantile(torch.zeros(2, 2))), Is.EqualTo("quantile() q must be a scalar or 1D tensor"));
        Assert.That(Error(() => x.quantile(torch.tensor(new[] { 0.5f, 1.5f }))), Is.EqualTo("quantile() q values must be in the range [0, 1]"));
        Assert.That(Error(() => x.quantile(1.5)), Is.EqualTo("quantile() q must be in the range [0, 1] but got 1.5"));
        Assert.That(Error(() => torch.zeros(0).quantile(0.5)), Is.EqualTo("quantile() input tensor must be non-empty"));
        Assert.That(Error(() => x.quantile(0.5, interpolation: "cubic")), Is.EqualTo("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest. Got cubic"));
        Assert.That(Error(() => x.nanquantile(0.5, interpolation: "cubic")), Does.StartWith("nanquantile() interpolation must be one of"));
    }

    [Test]
    public void Nansum_and_nanmean()
    {
        var x = torch.tensor(new[] { new[] { 1.0, double.NaN, 2 }, new[] { double.NaN, double.NaN, 4 } }, requires_grad: true);
        Assert.That(x.nansum(1).ToArray<double>(), Is.EqualTo(new[] { 3.0, 4.0 }));
        Assert.That(x.nanmean(1).ToArray<double>(), Is.EqualTo(new[] { 1.5, 4.0 }));
        Assert.That(x.nanmean().item<float>(), Is.EqualTo(7f / 3));
        Assert.That(x.nansum().grad_fn!.name(), Is.EqualTo("NansumBackward0"));
        Assert.That(x.nanmean(0).grad_fn!.name(), Is.EqualTo("DivBackward0"));
        x.nanmean(1).sum().backward();
        Assert.That(x.grad!.ToArray<double>(), Is.EqualTo(new[] { 0.5, 0, 0.5, 0, 0, 1 }));
        Assert.That(torch.tensor(new long[] { 1, 2, 3 }).nansum().item<long>(), Is.EqualTo(6));
        Assert.That(Error(() => torch.tensor(new long[] { 1 }).nanmean()), Is.EqualTo("nanmean(): expected input to have floating point or complex dtype but got Long"));
    }

    [Test]
    public void Aminmax_and_count_nonzero_as_documented()
    {
        // torch.aminmax's docstring examples.
        var r = torch.aminmax(torch.tensor(new long[] { 1, -3, 5 }));
        Assert.That(r.ToString(), Is.EqualTo("torch.return_types.aminmax(\nmin=tensor(-3),\nmax=tensor(5))"));
        var (mn, mx) = torch.arange(10).view(2, 5).aminmax(dim: 0, keepdim: true);
        Assert.That(mn.ToString(), Is.EqualTo("tensor([[0, 1, 2, 3, 4]])"));
        Assert.That(mx.ToString(), Is.EqualTo("tensor([[5, 6, 7, 8, 9]])"));
        Assert.That(Error(() => torch.tensor(Array.Empty<float>()).aminmax()),
            Is.EqualTo("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity."));
        var z = torch.tensor(new[] { new[] { 0.0, 1, 0 }, new[] { 2.0, 0, 3 } });
        Assert.That(torch.count_nonzero(z).item<long>(), Is.EqualTo(3));
        Assert.That(z.count_nonzero(1).ToArray<long>(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(z.count_nonzero(1).dtype, Is.EqualTo(torch.int64));
    }

    [Test]
    public void Histc_and_bincount()
    {
        // torch.histc's docstring example.
        Assert.That(torch.histc(torch.tensor(new[] { 1.0f, 2, 1 }), bins: 4, min: 0, max: 3).ToArray<float>(), Is.EqualTo(new[] { 0f, 2f, 1f, 0f }));
        // min == max == 0 takes the data's range; a constant input widens it by 1 on each side.
        Assert.That(torch.tensor(new[] { 1.0, 2, 3, 4 }).histc(bins: 3).ToArray<double>(), Is.EqualTo(new[] { 1.0, 1, 2 }));
        Assert.That(torch.tensor(new[] { 5.0f, 5 }).histc(bins: 2).ToArray<float>(), Is.EqualTo(new[] { 0f, 2f }));
        Assert.That(torch.bincount(torch.tensor(new long[] { 0, 2, 2 })).dtype, Is.EqualTo(torch.int64));
        Assert.That(torch.bincount(torch.tensor(new long[] { 0, 2 }), torch.tensor(new[] { 0.5f, 1f })).dtype, Is.EqualTo(torch.float32));
        Assert.That(torch.bincount(torch.tensor(new long[] { 0, 2 }), torch.tensor(new long[] { 3, 4 })).ToArray<double>(), Is.EqualTo(new[] { 3.0, 0, 4 }));
        Assert.That(torch.bincount(torch.tensor(Array.Empty<long>()), minlength: 3).ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 0 }));
        Assert.That(Error(() => torch.tensor(new long[] { -1, 2 }).bincount()), Is.EqualTo("bincount only supports 1-d non-negative integral inputs."));
        Assert.That(Error(() => torch.tensor(new[] { 1.0 }).bincount()), Is.EqualTo("bincount only supports 1-d non-negative integral inputs."));
        Assert.That(Error(() => torch.tensor(new long[] { 1 }).bincount(minlength: -1)), Is.EqualTo("minlength should be >= 0"));
        Assert.That(Error(() => torch.tensor(new long[] { 1 }).bincount(torch.ones(2))), Is.EqualTo("weights should be 1-d and have the same length as input"));
    }

    [Test]
    public void Cov_and_corrcoef_checks_and_scalar_cases()
    {
        var x = torch.tensor(new[] { new[] { 0.0, 1, 2 }, new[] { 2.0, 1, 0 } });
        Assert.That(x.cov().ToArray<double>(), Is.EqualTo(new[] { 1.0, -1, -1, 1 }));
        Assert.That(x.corrcoef().ToArray<double>(), Is.EqualTo(new[] { 1.0, -1, -1, 1 }));
        Assert.That(torch.tensor(new[] { 1.0, 2, 4 }).cov(correction: 0).dim(), Is.EqualTo(0));
        Assert.That(torch.tensor(new[] { 1.0, 2, 4 }).corrcoef().item<double>(), Is.EqualTo(1.0));
        Assert.That(Error(() => torch.zeros(2, 2, 2).cov()), Is.EqualTo("cov(): expected input to have two or fewer dimensions but got an input with 3 dimensions"));
        Assert.That(Error(() => x.cov(fweights: torch.ones(3))), Is.EqualTo("cov(): expected fweights to have integral dtype but got fweights with Float dtype"));
        Assert.That(Error(() => x.cov(aweights: torch.tensor(new long[] { 1, 1, 1 }))), Is.EqualTo("cov(): expected aweights to have floating point dtype but got aweights with Long dtype"));
        Assert.That(Error(() => x.cov(fweights: torch.tensor(new long[] { 1, 1 }))), Is.EqualTo("cov(): expected fweights to have the same numel as there are observations in the input but got 2 != 3"));
        Assert.That(Error(() => x.cov(fweights: torch.tensor(new long[] { 1, -1, 1 }))), Is.EqualTo("cov(): fweights cannot be negative"));
        Assert.That(Error(() => x.cov(aweights: torch.zeros(3, dtype: torch.float64))), Is.EqualTo("cov(): weights sum to zero, can't be normalized"));
        using (warnings.catch_warnings())
        {
            warnings.simplefilter("error");
            Assert.That(Error(() => torch.tensor(new[] { 1.0 }).cov()), Is.EqualTo("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of observations."));
        }
    }

    [Test]
    public void Renorm_as_documented_with_pytorchs_errors_and_grad_fn()
    {
        // torch.renorm's docstring example: rows of ones, twos and threes, p = 1, maxnorm = 5.
        var x = torch.ones(3, 3);
        x[1].fill_(2); x[2].fill_(3);
        var r = torch.renorm(x, 1, 0, 5).ToArray<float>();
        Assert.That(r.Take(3), Is.EqualTo(new[] { 1f, 1f, 1f }));
        Assert.That(r.Skip(3), Has.All.EqualTo(5f / 3).Within(1e-6)); // 2·5/(6 + 1e-7) and 3·5/(9 + 1e-7)
        Assert.That(Error(() => x.renorm(0, 0, 1)), Is.EqualTo("renorm: non-positive-norm not supported"));
        Assert.That(Error(() => x.renorm(2, 0, -1)), Is.EqualTo("renorm: expected maxnorm to be >= 0 but got -1"));
        Assert.That(Error(() => torch.ones(3).renorm(2, 0, 1)), Is.EqualTo("renorm: input needs at least 2 dimensions, got 1 dimensions"));
        var w = torch.randn(new long[] { 3, 4 }, dtype: torch.float64, requires_grad: true);
        Assert.That(w.renorm(2, 0, 1).grad_fn!.name(), Is.EqualTo("RenormBackward0"));
        foreach (var p in new[] { 1.0, 2.0, 3.0, double.PositiveInfinity })
            Assert.That(torch.autograd.gradcheck(t => t.renorm(p, 1, 0.8), w), $"p = {p}");
    }

    [Test]
    public void Gradcheck_in_float64()
    {
        var x = torch.randn(new long[] { 3, 6 }, dtype: torch.float64, requires_grad: true);
        var q = torch.tensor(new[] { 0.1, 0.5, 0.85 }, dtype: torch.float64);
        foreach (var mode in new[] { "linear", "midpoint", "lower" })
            Assert.That(torch.autograd.gradcheck(t => t.quantile(q, 1, interpolation: mode), x), mode);
        Assert.That(torch.autograd.gradcheck(t => t.nansum(0), x));
        Assert.That(torch.autograd.gradcheck(t => t.nanmean(1), x));
        Assert.That(torch.autograd.gradcheck(t => t.cov(), x));
        Assert.That(torch.autograd.gradcheck(t => t.corrcoef(), x));
    }

    [Test]
    public void All_any_and_norm_take_pytorchs_dim_arguments()
    {
        var b = torch.tensor(new[] { new[] { true, false }, new[] { true, true } });
        Assert.That(torch.all(b, dim: 1).ToArray<bool>(), Is.EqualTo(new[] { false, true }));
        Assert.That(torch.any(b, dim: 0, keepdim: true).shape.ToArray(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(torch.all(b, dim: new long[] { 0, 1 }).item<bool>(), Is.False);
        Assert.That(b.any([0L, 1L]).item<bool>(), Is.True);
        var x = torch.tensor(new[] { new[] { 3.0, 4 }, new[] { 6.0, 8 } });
        Assert.That(torch.norm(x, 2, dim: 1).ToArray<double>(), Is.EqualTo(new[] { 5.0, 10.0 }));
        Assert.That(x.norm(1, dim: 0, keepdim: true).ToArray<double>(), Is.EqualTo(new[] { 9.0, 12.0 }));
    }
}
