using Notebooks.Tensors.Tests.Core;
using static Notebooks.Tensors.Tests.Statistics.StatsReference;

namespace Notebooks.Tensors.Tests.Statistics;

/// <summary>
/// cummax/cummin, logcumsumexp, diff and cumprod's gradient through zeros against libtorch (torch_stats.json) and
/// PyTorch's documented examples; diff's checks are ReduceOps.cpp's diff_check.
/// </summary>
public class CumulativeTests : CoreTestBase
{
    private static Tensor[] Pair(ValuesIndices r) => [r.values, r.indices];

    public static readonly object[] Cases =
    [
        new object[] { "cummax", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].cummax(1))), (Func<Tensor[], Tensor>)(t => t[0].cummax(1).values), true },
        new object[] { "cummin_dim0", (Func<Tensor[], Tensor[]>)(t => Pair(torch.cummin(t[0], 0))), (Func<Tensor[], Tensor>)(t => t[0].cummin(0).values), true },
        new object[] { "cummax_nan", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].cummax(1))), null!, true },
        new object[] { "logcumsumexp", (Func<Tensor[], Tensor[]>)(t => [torch.logcumsumexp(t[0], 2)]), (Func<Tensor[], Tensor>)(t => t[0].logcumsumexp(2)), false },
        new object[] { "diff_twice", (Func<Tensor[], Tensor[]>)(t => [torch.diff(t[0], 2, 1)]), (Func<Tensor[], Tensor>)(t => t[0].diff(2, 1)), true },
        new object[] { "diff_prepend_append", (Func<Tensor[], Tensor[]>)(t => [t[0].diff(prepend: t[1], append: t[2])]), (Func<Tensor[], Tensor>)(t => t[0].diff(1, -1, t[1], t[2])), true },
        new object[] { "cumprod_zeros", (Func<Tensor[], Tensor[]>)(t => [t[0].cumprod(1)]), (Func<Tensor[], Tensor>)(t => t[0].cumprod(1)), false },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch(string name, Func<Tensor[], Tensor[]> op, Func<Tensor[], Tensor>? gradOp, bool exact)
    {
        var inputs = Inputs(name);
        var expected = Outputs(name);
        var actual = op(inputs);
        for (int i = 0; i < expected.Length; i++)
            if (exact) AssertSame(actual[i], expected[i], $"{name} output {i}");
            else AssertClose(actual[i], expected[i], $"{name} output {i}", 1e-15);
        if (gradOp is not null) AssertClose(GradOf(x => gradOp([x, .. inputs.Skip(1)]), inputs[0]), Grad(name), $"{name} gradient");
    }

    [Test]
    public void Cummax_takes_the_later_index_on_ties_and_prints_its_type()
    {
        var x = torch.tensor(new long[] { 1, 3, 3, 2, 3 });
        Assert.That(x.cummax(0).indices.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 2, 4 }));
        Assert.That(x.cummin(0).indices.ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 0, 0, 0 }));
        Assert.That(x.cummax(0).values.dtype, Is.EqualTo(torch.int64));
        Assert.That(torch.tensor(new[] { 2.0f, 1f }).cummin(0).ToString(),
            Is.EqualTo("torch.return_types.cummin(\nvalues=tensor([2., 1.]),\nindices=tensor([0, 1]))"));
    }

    [Test]
    public void Logcumsumexp_keeps_infinities_and_large_values()
    {
        var x = torch.tensor(new[] { double.NegativeInfinity, 1000, 1000, double.PositiveInfinity, 0 }, dtype: torch.float64);
        var r = x.logcumsumexp(0).ToArray<double>();
        Assert.That(r[0], Is.EqualTo(double.NegativeInfinity));
        Assert.That(r[1], Is.EqualTo(1000.0));
        Assert.That(r[2], Is.EqualTo(1000 + Math.Log(2)).Within(1e-12));
        Assert.That(r[3], Is.EqualTo(double.PositiveInfinity));
        Assert.That(r[4], Is.EqualTo(double.PositiveInfinity));
        Assert.That(Error(() => torch.tensor(new long[] { 1 }).logcumsumexp(0)), Is.EqualTo("\"logcumsumexp_out_cpu\" not implemented for 'Long'"));
    }

    [Test]
    public void Diff_as_documented_and_its_errors()
    {
        // torch.diff's docstring examples.
        var a = torch.tensor(new long[] { 1, 3, 2 });
        Assert.That(torch.diff(a).ToArray<long>(), Is.EqualTo(new long[] { 2, -1 }));
        Assert.That(torch.diff(a, append: torch.tensor(new long[] { 4, 5 })).ToArray<long>(), Is.EqualTo(new long[] { 2, -1, 2, 1 }));
        var c = torch.tensor(new[] { new long[] { 1, 2, 3 }, new long[] { 3, 4, 5 } });
        Assert.That(torch.diff(c, dim: 0).ToString(), Is.EqualTo("tensor([[2, 2, 2]])"));
        Assert.That(torch.diff(c, dim: 1).ToString(), Is.EqualTo("tensor([[1, 1],\n        [1, 1]])"));
        Assert.That(torch.tensor(new[] { true, true, false }).diff().ToArray<bool>(), Is.EqualTo(new[] { false, true }));
        Assert.That(a.diff(5).shape.ToArray(), Is.EqualTo(new long[] { 0 }));
        Assert.That(Error(() => torch.tensor(1.0).diff()), Is.EqualTo("diff expects input to be at least one-dimensional"));
        Assert.That(Error(() => a.diff(-1)), Is.EqualTo("order must be non-negative but got -1"));
        Assert.That(Error(() => c.diff(prepend: torch.ones(3))), Is.EqualTo("diff expects prepend or append to be the same dimension as input"));
        Assert.That(Error(() => c.diff(dim: 0, append: torch.ones(1, 2))),
            Is.EqualTo("diff expects the shape of tensor to prepend or append to match that of input except along the differencing dimension; input.size(1) = 3, but got tensor.size(1) = 2"));
    }

    [Test]
    public void Grad_fn_names_and_gradcheck()
    {
        var x = torch.randn(new long[] { 3, 5 }, dtype: torch.float64, requires_grad: true);
        Assert.That(x.cummax(1).values.grad_fn!.name(), Is.EqualTo("CummaxBackward0"));
        Assert.That(x.cummin(1).values.grad_fn!.name(), Is.EqualTo("CumminBackward0"));
        Assert.That(x.logcumsumexp(1).grad_fn!.name(), Is.EqualTo("LogcumsumexpBackward0"));
        Assert.That(x.cummax(1).indices.requires_grad, Is.False);
        Assert.That(torch.autograd.gradcheck(t => t.cummax(1).values, x));
        Assert.That(torch.autograd.gradcheck(t => t.cummin(0).values, x));
        Assert.That(torch.autograd.gradcheck(t => t.logcumsumexp(1), x));
        Assert.That(torch.autograd.gradgradcheck(t => t.logcumsumexp(0), x));
        Assert.That(torch.autograd.gradcheck(t => t.diff(2, 1), x));
        var z = torch.tensor(new[] { new[] { 2.0, 0, 3, 0 }, new[] { 0.5, 1, 0, 4 } }, dtype: torch.float64, requires_grad: true);
        Assert.That(torch.autograd.gradcheck(t => t.cumprod(1), z));
    }
}
