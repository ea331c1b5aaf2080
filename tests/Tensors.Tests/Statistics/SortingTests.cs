using Notebooks.Tensors.Tests.Core;
using static Notebooks.Tensors.Tests.Statistics.StatsReference;

namespace Notebooks.Tensors.Tests.Statistics;

/// <summary>
/// sort, argsort, msort, topk, kthvalue, median, nanmedian, mode against libtorch (torch_stats.json) and PyTorch's
/// documented behaviour; error wording from aten/src/ATen/native/Sorting.cpp and ReduceOpsUtils.h.
/// </summary>
public class SortingTests : CoreTestBase
{
    private static Tensor[] Pair(ValuesIndices r) => [r.values, r.indices];

    /// <summary>Case name → our op on the case's inputs, and (when the case has a gradient) the op whose gradient it holds.</summary>
    public static readonly object[] Cases =
    [
        new object[] { "sort_dim1", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].sort(1))), (Func<Tensor, Tensor>)(x => x.sort(1).values) },
        new object[] { "sort_dim0_desc", (Func<Tensor[], Tensor[]>)(t => Pair(torch.sort(t[0], 0, descending: true))), (Func<Tensor, Tensor>)(x => x.sort(0, true).values) },
        new object[] { "sort_stable_desc", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].sort(stable: true, dim: 1, descending: true))), null! },
        new object[] { "sort_nan", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].sort(stable: true, dim: 1))), null! },
        new object[] { "sort_nan_desc", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].sort(stable: true, dim: 1, descending: true))), null! },
        new object[] { "sort_f32_dim0", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].sort(0))), null! },
        new object[] { "argsort_r", (Func<Tensor[], Tensor[]>)(t => [torch.argsort(t[0], 1)]), null! },
        new object[] { "msort", (Func<Tensor[], Tensor[]>)(t => [torch.msort(t[0])]), null! },
        new object[] { "topk3", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].topk(3, 2))), (Func<Tensor, Tensor>)(x => x.topk(3, 2).values) },
        new object[] { "topk2_smallest_dim0", (Func<Tensor[], Tensor[]>)(t => Pair(torch.topk(t[0], 2, 0, largest: false))), (Func<Tensor, Tensor>)(x => x.topk(2, 0, largest: false).values) },
        new object[] { "kthvalue2", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].kthvalue(2, 1))), (Func<Tensor, Tensor>)(x => x.kthvalue(2, 1).values) },
        new object[] { "kthvalue_keepdim", (Func<Tensor[], Tensor[]>)(t => Pair(torch.kthvalue(t[0], 4, 2, keepdim: true))), null! },
        new object[] { "median_all", (Func<Tensor[], Tensor[]>)(t => [t[0].median()]), (Func<Tensor, Tensor>)(x => x.median()) },
        new object[] { "nanmedian_all", (Func<Tensor[], Tensor[]>)(t => [torch.nanmedian(t[0])]), null! },
        new object[] { "mode_ints", (Func<Tensor[], Tensor[]>)(t => Pair(t[0].mode(1))), null! },
        new object[] { "mode_a_dim0", (Func<Tensor[], Tensor[]>)(t => Pair(torch.mode(t[0], 0))), null! },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch(string name, Func<Tensor[], Tensor[]> op, Func<Tensor, Tensor>? gradOp)
    {
        var inputs = Inputs(name);
        var expected = Outputs(name);
        var actual = op(inputs);
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < expected.Length; i++) AssertSame(actual[i], expected[i], $"{name} output {i}");
        if (gradOp is not null) AssertSame(GradOf(gradOp, inputs[0]), Grad(name), $"{name} gradient");
    }

    [Test]
    public void Results_deconstruct_and_print_as_torch_return_types()
    {
        var x = torch.tensor(new[] { 3.0, 1.0, 2.0 });
        var (values, indices) = x.sort(descending: true);
        Assert.That(values.ToArray<float>(), Is.EqualTo(new[] { 3f, 2f, 1f }));
        Assert.That(indices.dtype, Is.EqualTo(torch.int64));
        Assert.That(x.topk(2).ToString(), Is.EqualTo("torch.return_types.topk(\nvalues=tensor([3., 2.]),\nindices=tensor([0, 2]))"));
        Assert.That(x.sort().ToString(), Is.EqualTo("torch.return_types.sort(\nvalues=tensor([1., 2., 3.]),\nindices=tensor([1, 2, 0]))"));
        Assert.That(x.kthvalue(2).ToString(), Is.EqualTo("torch.return_types.kthvalue(\nvalues=tensor(2.),\nindices=tensor(2))"));
    }

    [Test]
    public void Sort_is_stable_for_ties_in_both_directions()
    {
        // torch.sort's documented example: x = torch.tensor([0, 1] * 9), x.sort(stable=True).
        var x = torch.tensor(Enumerable.Range(0, 18).Select(i => (long)(i % 2)).ToArray());
        Assert.That(x.sort(stable: true).indices.ToArray<long>(), Is.EqualTo(new long[] { 0, 2, 4, 6, 8, 10, 12, 14, 16, 1, 3, 5, 7, 9, 11, 13, 15, 17 }));
        Assert.That(x.sort(stable: true, descending: true).indices.ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 5, 7, 9, 11, 13, 15, 17, 0, 2, 4, 6, 8, 10, 12, 14, 16 }));
        // -0.0 and 0.0 are equal keys: their order is the input order.
        Assert.That(torch.tensor(new[] { 0.0, -0.0, 0.0 }).argsort().ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void Packed_32_bit_keys_order_as_the_double_comparison_does()
    {
        // float32 goes through the packed-key sort and the top-k heap; float64 through the comparison sort: same positions.
        var g = new Generator().manual_seed(4);
        var x = torch.randint(0, 6, new long[] { 3, 200 }, generator: g).to(torch.float32) - 2.5f;
        x[0, 7] = float.NaN; x[1, 3] = -float.NaN; x[1, 9] = float.NaN; x[2, 0] = -0.0f; x[2, 1] = 0.0f;
        x[2, 5] = float.PositiveInfinity; x[0, 0] = float.NegativeInfinity;
        var wide = x.to(torch.float64);
        foreach (var descending in new[] { false, true })
            Assert.That(x.argsort(1, descending).ToArray<long>(), Is.EqualTo(wide.argsort(1, descending).ToArray<long>()), $"descending {descending}");
        foreach (var largest in new[] { true, false })
            Assert.That(x.topk(7, 1, largest).indices.ToArray<long>(), Is.EqualTo(wide.topk(7, 1, largest).indices.ToArray<long>()), $"largest {largest}");
        var ints = torch.randint(-50, 50, new long[] { 4, 300 }, generator: g).to(torch.int32);
        Assert.That(ints.topk(5, 1).indices.ToArray<long>(), Is.EqualTo(ints.to(torch.int64).topk(5, 1).indices.ToArray<long>()));
        Assert.That(ints.argsort(0, descending: true).ToArray<long>(), Is.EqualTo(ints.to(torch.int64).argsort(0, descending: true).ToArray<long>()));
    }

    [Test]
    public void Sorts_every_dtype_and_keeps_it()
    {
        var x = torch.tensor(new long[] { 5, -2, 7, 0 });
        foreach (var dt in new[] { torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8 })
        {
            var v = x.to(dt).sort().values;
            Assert.That(v.dtype, Is.EqualTo(dt));
            var expected = dt == torch.uint8 ? new long[] { 0, 5, 7, 254 } : [-2, 0, 5, 7];
            Assert.That(v.to(torch.int64).ToArray<long>(), Is.EqualTo(expected), dt.ToString());
        }
        Assert.That(torch.tensor(new[] { true, false, true }).sort().values.ToArray<bool>(), Is.EqualTo(new[] { false, true, true }));
        // int64 beyond 2^53 sorts exactly (integer keys are never rounded through double).
        var big = torch.tensor(new long[] { (1L << 53) + 1, 1L << 53 });
        Assert.That(big.argsort().ToArray<long>(), Is.EqualTo(new long[] { 1, 0 }));
    }

    [Test]
    public void Zero_dim_and_empty_inputs()
    {
        var s = torch.tensor(4.0).sort();
        Assert.That(s.values.dim(), Is.EqualTo(0));
        Assert.That(s.indices.item<long>(), Is.EqualTo(0));
        Assert.That(torch.zeros(0, 3).sort(0).values.shape.ToArray(), Is.EqualTo(new long[] { 0, 3 }));
        Assert.That(torch.zeros(2, 0).topk(0).values.shape.ToArray(), Is.EqualTo(new long[] { 2, 0 }));
        Assert.That(float.IsNaN(torch.zeros(0).median().item<float>()));
    }

    [Test]
    public void Errors_use_pytorchs_wording()
    {
        // Sorting.cpp: TORCH_META_FUNC(topk); kthvalue_out_impl_cpu; ReduceOpsUtils.h zero_numel_check_dims.
        var x = torch.randn(2, 3);
        Assert.That(Error(() => x.topk(4)), Is.EqualTo("selected index k out of range"));
        Assert.That(Error(() => x.kthvalue(0)), Is.EqualTo("kthvalue(): selected number k out of range for dimension 1"));
        Assert.That(Error(() => x.kthvalue(3, 0)), Is.EqualTo("kthvalue(): selected number k out of range for dimension 0"));
        Assert.That(Error(() => torch.zeros(2, 0).median(1)), Is.EqualTo("median(): Expected reduction dim 1 to have non-zero size."));
        Assert.That(Error(() => torch.zeros(0, 2).mode(0)), Is.EqualTo("mode(): Expected reduction dim 0 to have non-zero size."));
        Assert.That(Error(() => x.sort(2)), Does.StartWith("Dimension out of range"));
    }

    [Test]
    public void Median_of_a_row_with_nan_is_its_first_nan_and_nanmedian_skips_nans()
    {
        // torch.median's docs: "If there are NaNs ... the median is NaN"; nanmedian "ignores NaN values".
        var x = torch.tensor(new[] { new[] { 2.0, double.NaN, 1.0, double.NaN }, new[] { 4.0, 1.0, 3.0, 2.0 } });
        var (m, mi) = x.median(1);
        Assert.That(double.IsNaN(m[0].item<double>()) && mi[0].item<long>() == 1);
        Assert.That(m[1].item<double>(), Is.EqualTo(2.0)); // lower median of 4 values
        Assert.That(mi[1].item<long>(), Is.EqualTo(3));
        var (n, ni) = x.nanmedian(1);
        Assert.That(n.ToArray<double>(), Is.EqualTo(new[] { 1.0, 2.0 }));
        Assert.That(ni.ToArray<long>(), Is.EqualTo(new long[] { 2, 3 }));
        var allNan = torch.full([3], double.NaN).nanmedian(0);
        Assert.That(double.IsNaN(allNan.values.item<float>()) && allNan.indices.item<long>() == 0);
        // torch.nanmedian's documented example: a = [1, nan, 3, 2] → median nan, nanmedian 2.
        var a = torch.tensor(new[] { 1.0, double.NaN, 3.0, 2.0 });
        Assert.That(double.IsNaN(a.median().item<double>()));
        Assert.That(a.nanmedian().item<double>(), Is.EqualTo(2.0));
    }

    [Test]
    public void Grad_fn_names_are_pytorchs()
    {
        var x = torch.randn(3, 4, requires_grad: true);
        Assert.That(x.sort().values.grad_fn!.name(), Is.EqualTo("SortBackward0"));
        Assert.That(x.sort(stable: true).values.grad_fn!.name(), Is.EqualTo("SortBackward1"));
        Assert.That(x.topk(2).values.grad_fn!.name(), Is.EqualTo("TopkBackward0"));
        Assert.That(x.kthvalue(2).values.grad_fn!.name(), Is.EqualTo("KthvalueBackward0"));
        Assert.That(x.median().grad_fn!.name(), Is.EqualTo("MedianBackward0"));
        Assert.That(x.median(1).values.grad_fn!.name(), Is.EqualTo("MedianBackward1"));
        Assert.That(x.nanmedian().grad_fn!.name(), Is.EqualTo("NanmedianBackward0"));
        Assert.That(x.nanmedian(0).values.grad_fn!.name(), Is.EqualTo("NanmedianBackward1"));
        Assert.That(x.mode(0).values.grad_fn!.name(), Is.EqualTo("ModeBackward0"));
        Assert.That(x.sort().indices.requires_grad, Is.False);
    }

    [Test]
    public void Gradcheck_in_float64()
    {
        var x = torch.randn(new long[] { 3, 5 }, dtype: torch.float64, requires_grad: true);
        Assert.That(torch.autograd.gradcheck(t => t.sort(1, descending: true).values, x));
        Assert.That(torch.autograd.gradcheck(t => t.topk(2, 0).values, x));
        Assert.That(torch.autograd.gradcheck(t => t.kthvalue(3, 1, keepdim: true).values, x));
        Assert.That(torch.autograd.gradcheck(t => t.median(0).values, x));
        Assert.That(torch.autograd.gradcheck(t => t.nanmedian(), x));
        Assert.That(torch.autograd.gradgradcheck(t => t.sort(0).values, x));
    }

    [Test]
    public void Median_gradient_is_shared_among_equal_elements()
    {
        // evenly_distribute_backward (FunctionsManual.cpp): each element equal to the median gets grad / count.
        var x = torch.tensor(new[] { 1.0, 2.0, 2.0, 3.0, 2.0 }, requires_grad: true);
        x.median().backward();
        Assert.That(x.grad!.ToArray<float>(), Is.EqualTo(new[] { 0f, 1f / 3, 1f / 3, 0f, 1f / 3 }));
    }
}
