using Notebooks.Tensors.Tests.Core;
using static Notebooks.Tensors.Tests.Statistics.StatsReference;

namespace Notebooks.Tensors.Tests.Statistics;

/// <summary>
/// unique, unique_consecutive, searchsorted, bucketize against libtorch (torch_stats.json) and PyTorch's documented
/// examples; searchsorted's checks from aten/src/ATen/native/BucketizationUtils.h.
/// </summary>
public class UniqueAndSearchTests : CoreTestBase
{
    public static readonly object[] Cases =
    [
        new object[] { "unique", (Func<Tensor[], Tensor[]>)(t => { var (o, i, c) = torch.unique(t[0], return_inverse: true, return_counts: true); return [o, i, c]; }) },
        new object[] { "unique_dim0", (Func<Tensor[], Tensor[]>)(t => { var (o, i, c) = t[0].unique(return_inverse: true, return_counts: true, dim: 0); return [o, i, c]; }) },
        new object[] { "unique_consecutive", (Func<Tensor[], Tensor[]>)(t => { var (o, i, c) = torch.unique_consecutive(t[0], true, true); return [o, i, c]; }) },
        new object[] { "searchsorted", (Func<Tensor[], Tensor[]>)(t => [torch.searchsorted(t[0], t[1])]) },
        new object[] { "searchsorted_right", (Func<Tensor[], Tensor[]>)(t => [torch.searchsorted(t[0], t[1], right: true)]) },
        new object[] { "bucketize", (Func<Tensor[], Tensor[]>)(t => [torch.bucketize(t[0], t[1])]) },
        new object[] { "bucketize_right", (Func<Tensor[], Tensor[]>)(t => [t[0].bucketize(t[1], right: true)]) },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch(string name, Func<Tensor[], Tensor[]> op)
    {
        var expected = Outputs(name);
        var actual = op(Inputs(name));
        for (int i = 0; i < expected.Length; i++) AssertSame(actual[i], expected[i], $"{name} output {i}");
    }

    [Test]
    public void Unique_as_documented()
    {
        // torch.unique's docstring examples.
        var output = torch.unique(torch.tensor(new long[] { 1, 3, 2, 3 }));
        Assert.That(output.ToString(), Is.EqualTo("tensor([1, 2, 3])"));
        var (_, inverse) = torch.unique(torch.tensor(new long[] { 1, 3, 2, 3 }), sorted: true, return_inverse: true);
        Assert.That(inverse.ToString(), Is.EqualTo("tensor([0, 2, 1, 2])"));
        var (_, inv2) = torch.unique(torch.tensor(new[] { new long[] { 1, 3 }, new long[] { 2, 3 } }), return_inverse: true);
        Assert.That(inv2.ToString(), Is.EqualTo("tensor([[0, 2],\n        [1, 2]])"));
        var a = torch.tensor(new long[] { 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1 }).reshape(3, 3, 4);
        Assert.That(torch.unique(a, dim: 0).ToString(), Is.EqualTo(
            "tensor([[[0, 0, 1, 1],\n         [0, 0, 1, 1],\n         [1, 1, 1, 1]],\n\n        [[1, 1, 0, 0],\n         [1, 1, 0, 0],\n         [0, 0, 1, 1]]])"));
        var (_, counts) = torch.unique(torch.tensor(new[] { 2.0f, 1, 2 }), return_counts: true);
        Assert.That(counts.ToArray<long>(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(torch.unique(torch.tensor(new[] { 1.0f, 1, 2 }), return_counts: true).ToString(), Is.EqualTo("(tensor([1., 2.]), tensor([2, 1]))"));
        Assert.That(Error(() => { var (o, i) = torch.unique(torch.tensor(new[] { 1 }), sorted: true); }), Is.EqualTo("not enough values to unpack (expected 2, got 1)"));
        // NaN is never equal to NaN: each stays (ATen compares with ==).
        Assert.That(torch.unique(torch.tensor(new[] { double.NaN, 1, double.NaN })).numel(), Is.EqualTo(3));
    }

    [Test]
    public void Unique_consecutive_as_documented()
    {
        var x = torch.tensor(new long[] { 1, 1, 2, 2, 3, 1, 1, 2 });
        Assert.That(torch.unique_consecutive(x).ToString(), Is.EqualTo("tensor([1, 2, 3, 1, 2])"));
        var (_, inverse) = torch.unique_consecutive(x, return_inverse: true);
        Assert.That(inverse.ToString(), Is.EqualTo("tensor([0, 0, 1, 1, 2, 3, 3, 4])"));
        var (_, counts) = torch.unique_consecutive(x, return_counts: true);
        Assert.That(counts.ToString(), Is.EqualTo("tensor([2, 2, 1, 2, 1])"));
    }

    [Test]
    public void Searchsorted_and_bucketize_as_documented()
    {
        var seq = torch.tensor(new[] { new long[] { 1, 3, 5, 7, 9 }, new long[] { 2, 4, 6, 8, 10 } });
        var values = torch.tensor(new[] { new long[] { 3, 6, 9 }, new long[] { 3, 6, 9 } });
        Assert.That(torch.searchsorted(seq, values).ToString(), Is.EqualTo("tensor([[1, 3, 4],\n        [1, 2, 4]])"));
        Assert.That(torch.searchsorted(seq, values, side: "right").ToString(), Is.EqualTo("tensor([[2, 3, 5],\n        [1, 3, 4]])"));
        var seq1 = torch.tensor(new long[] { 1, 3, 5, 7, 9 });
        Assert.That(torch.searchsorted(seq1, values).ToString(), Is.EqualTo("tensor([[1, 3, 4],\n        [1, 3, 4]])"));
        Assert.That(torch.searchsorted(seq1, 6).ToString(), Is.EqualTo("tensor(3)"));
        Assert.That(torch.searchsorted(seq1, values, out_int32: true).dtype, Is.EqualTo(torch.int32));
        // sorter: positions that sort an unsorted sequence.
        var unsorted = torch.tensor(new long[] { 9, 1, 7, 3, 5 });
        Assert.That(torch.searchsorted(unsorted, values, sorter: unsorted.argsort()).ToString(), Is.EqualTo("tensor([[1, 3, 4],\n        [1, 3, 4]])"));
        Assert.That(torch.bucketize(values, seq1).ToString(), Is.EqualTo("tensor([[1, 3, 4],\n        [1, 3, 4]])"));
        Assert.That(torch.bucketize(values, seq1, right: true).ToString(), Is.EqualTo("tensor([[2, 3, 5],\n        [2, 3, 5]])"));
        Assert.That(Error(() => torch.searchsorted(seq1, values, right: true, side: "left")),
            Is.EqualTo("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True"));
        Assert.That(Error(() => torch.searchsorted(seq, torch.tensor(new long[] { 1, 2 }))), Is.EqualTo(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor [2, 5] and input value tensor [2]"));
        Assert.That(Error(() => torch.bucketize(values, seq)), Is.EqualTo("boundaries tensor must be 1 dimension, but got dim(2)"));
    }
}
