using Notebooks.Tensors.Tests.Core;
using static Notebooks.Tensors.Tests.Statistics.StatsReference;

namespace Notebooks.Tensors.Tests.Statistics;

/// <summary>
/// repeat_interleave, tile, kron, block_diag, diag_embed, tensor_split, tril/triu_indices, vander, cartesian_prod,
/// combinations, take_along_dim, rot90 against libtorch (torch_stats.json) and PyTorch's documented examples; checks
/// and wording from aten/src/ATen/native/Repeat.cpp, TensorShape.cpp, TensorFactories.h, Itertools.cpp.
/// </summary>
public class ShapeHelperTests : CoreTestBase
{
    public static readonly object[] Cases =
    [
        new object[] { "repeat_interleave_int", (Func<Tensor[], Tensor>)(t => t[0].repeat_interleave(2, 0)), true },
        new object[] { "repeat_interleave_tensor", (Func<Tensor[], Tensor>)(t => torch.repeat_interleave(t[0], t[1], 1)), true },
        new object[] { "repeat_interleave_flat", (Func<Tensor[], Tensor>)(t => t[0].repeat_interleave(3)), false },
        new object[] { "tile", (Func<Tensor[], Tensor>)(t => torch.tile(t[0], 2, 1, 2)), true },
        new object[] { "kron", (Func<Tensor[], Tensor>)(t => torch.kron(t[0], t[1])), true },
        new object[] { "block_diag", (Func<Tensor[], Tensor>)(t => torch.block_diag(t[0], t[1])), true },
        new object[] { "diag_embed", (Func<Tensor[], Tensor>)(t => torch.diag_embed(t[0], 1, 0, 2)), true },
        new object[] { "tril_indices", (Func<Tensor[], Tensor>)(_ => torch.tril_indices(4, 3, 1)), false },
        new object[] { "triu_indices", (Func<Tensor[], Tensor>)(_ => torch.triu_indices(3, 5, -1)), false },
        new object[] { "vander", (Func<Tensor[], Tensor>)(t => torch.vander(t[0], 3, increasing: true)), false },
        new object[] { "vander_default", (Func<Tensor[], Tensor>)(t => torch.vander(t[0])), false },
        new object[] { "cartesian_prod", (Func<Tensor[], Tensor>)(t => torch.cartesian_prod(t[0], t[1])), true },
        new object[] { "combinations", (Func<Tensor[], Tensor>)(t => torch.combinations(t[0], 3)), true },
        new object[] { "combinations_repl", (Func<Tensor[], Tensor>)(t => t[0].combinations(2, with_replacement: true)), true },
        new object[] { "take_along_dim", (Func<Tensor[], Tensor>)(t => torch.take_along_dim(t[0], t[1], 1)), true },
        new object[] { "rot90", (Func<Tensor[], Tensor>)(t => torch.rot90(t[0], 3, [0, 1])), true },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch(string name, Func<Tensor[], Tensor> op, bool hasGrad)
    {
        var inputs = Inputs(name);
        AssertSame(op(inputs), Outputs(name)[0], name);
        if (hasGrad) AssertSame(GradOf(x => op([x, .. inputs.Skip(1)]), inputs[0]), Grad(name), $"{name} gradient");
    }

    [Test]
    public void Repeat_interleave_as_documented()
    {
        var x = torch.tensor(new long[] { 1, 2, 3 });
        Assert.That(x.repeat_interleave(2).ToString(), Is.EqualTo("tensor([1, 1, 2, 2, 3, 3])"));
        var y = torch.tensor(new[] { new long[] { 1, 2 }, new long[] { 3, 4 } });
        Assert.That(torch.repeat_interleave(y, 2).ToString(), Is.EqualTo("tensor([1, 1, 2, 2, 3, 3, 4, 4])"));
        Assert.That(torch.repeat_interleave(y, 3, dim: 1).ToString(), Is.EqualTo("tensor([[1, 1, 1, 2, 2, 2],\n        [3, 3, 3, 4, 4, 4]])"));
        var twice = "tensor([[1, 2],\n        [3, 4],\n        [3, 4]])";
        Assert.That(torch.repeat_interleave(y, torch.tensor(new long[] { 1, 2 }), dim: 0).ToString(), Is.EqualTo(twice));
        Assert.That(torch.repeat_interleave(y, torch.tensor(new long[] { 1, 2 }), dim: 0, output_size: 3).ToString(), Is.EqualTo(twice));
        Assert.That(torch.repeat_interleave(torch.tensor(new long[] { 2, 0, 1 })).ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 2 }));
        Assert.That(Error(() => x.repeat_interleave(-1)), Is.EqualTo("Repeats must be non-negative"));
        Assert.That(Error(() => x.repeat_interleave(torch.tensor(new long[] { 1, 2 }))),
            Is.EqualTo("repeats must have the same size as input along dim, but got repeats.size(0) = 2 and input.size(0) = 3"));
        Assert.That(Error(() => torch.repeat_interleave(torch.tensor(new long[] { 1, -2 }))), Is.EqualTo("repeats can not be negative"));
    }

    [Test]
    public void Tensor_split_as_documented()
    {
        string Parts(Tensor[] ts) => string.Join(" ", ts.Select(t => t.ToString()));
        Assert.That(Parts(torch.tensor_split(torch.arange(8), 3)), Is.EqualTo("tensor([0, 1, 2]) tensor([3, 4, 5]) tensor([6, 7])"));
        var x = torch.arange(7);
        Assert.That(Parts(torch.tensor_split(x, 3)), Is.EqualTo("tensor([0, 1, 2]) tensor([3, 4]) tensor([5, 6])"));
        Assert.That(Parts(torch.tensor_split(x, new long[] { 1, 6 })), Is.EqualTo("tensor([0]) tensor([1, 2, 3, 4, 5]) tensor([6])"));
        Assert.That(Parts(torch.tensor_split(x, torch.tensor(new long[] { 1, 6 }))), Is.EqualTo("tensor([0]) tensor([1, 2, 3, 4, 5]) tensor([6])"));
        Assert.That(torch.tensor_split(x, new long[] { 5, 2 })[1].numel(), Is.EqualTo(0));
        var m = torch.arange(14).reshape(2, 7);
        Assert.That(torch.tensor_split(m, 3, dim: 1).Select(t => t.shape[1]), Is.EqualTo(new long[] { 3, 2, 2 }));
        Assert.That(Error(() => torch.tensor(1).tensor_split(2)), Is.EqualTo("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"));
        Assert.That(Error(() => x.tensor_split(0)), Is.EqualTo("number of sections must be larger than 0, got 0"));
    }

    [Test]
    public void Rot90_kron_block_diag_and_friends_as_documented()
    {
        var x = torch.arange(4).view(2, 2);
        Assert.That(torch.rot90(x, 1, [0, 1]).ToString(), Is.EqualTo("tensor([[1, 3],\n        [0, 2]])"));
        Assert.That(torch.rot90(x, -1, [0, 1]).ToString(), Is.EqualTo(torch.rot90(x, 3, [0, 1]).ToString()));
        Assert.That(Error(() => x.rot90(1, [0, 0])), Is.EqualTo("expected rotation dims to be different, but got dim0 = 0 and dim1 = 0"));
        Assert.That(Error(() => torch.arange(3).rot90()), Is.EqualTo("expected total dims >= 2, but got total dims = 1"));
        var r = torch.randn(new long[] { 2, 3 }, dtype: torch.float64, requires_grad: true);
        Assert.That(r.rot90().grad_fn!.name(), Is.EqualTo("Rot90Backward0"));
        Assert.That(torch.autograd.gradcheck(t => t.rot90(1, [1, 0]), r));
        // torch.kron's docstring: kron(eye(2), ones(2, 2)).
        Assert.That(torch.kron(torch.eye(2), torch.ones(2, 2)).ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1 }));
        // torch.block_diag's docstring: A (2x2), B (2x3), C (scalar 7), D (1-d), E (1x1) promoted to one dtype.
        var bd = torch.block_diag(torch.tensor(new[] { new long[] { 0, 1 }, new long[] { 1, 0 } }), torch.tensor(new[] { new[] { 3.0f, 4, 5 }, new[] { 6.0f, 7, 8 } }), torch.tensor(7L));
        Assert.That(bd.shape.ToArray(), Is.EqualTo(new long[] { 5, 6 }));
        Assert.That(bd.dtype, Is.EqualTo(torch.float32));
        Assert.That(bd[4].ToArray<float>(), Is.EqualTo(new float[] { 0, 0, 0, 0, 0, 7 }));
        Assert.That(Error(() => torch.block_diag(torch.zeros(1, 1, 1))), Is.EqualTo("torch.block_diag: Input tensors must have 2 or fewer dimensions. Input 0 has 3 dimensions"));
        Assert.That(torch.tril_indices(3, 3).ToString(), Is.EqualTo("tensor([[0, 1, 1, 2, 2, 2],\n        [0, 0, 1, 0, 1, 2]])"));
        Assert.That(Error(() => torch.tril_indices(-1, 3)), Is.EqualTo("row must be non-negative, got-1"));
        // torch.vander's docstring: x = [1, 2, 3, 5].
        Assert.That(torch.vander(torch.tensor(new long[] { 1, 2, 3, 5 })).ToString(),
            Is.EqualTo("tensor([[  1,   1,   1,   1],\n        [  8,   4,   2,   1],\n        [ 27,   9,   3,   1],\n        [125,  25,   5,   1]])"));
        Assert.That(Error(() => torch.vander(torch.zeros(2, 2))), Is.EqualTo("x must be a one-dimensional tensor."));
        Assert.That(torch.combinations(torch.tensor(new long[] { 1, 2, 3 }), 0).shape.ToArray(), Is.EqualTo(new long[] { 0 }));
        Assert.That(Error(() => torch.diag_embed(torch.ones(2), 0, 0, -2)), Is.EqualTo("diagonal dimensions cannot be identical 0, -2"));
        Assert.That(Error(() => torch.take_along_dim(x, torch.tensor(new long[] { 0 }), 0)),
            Is.EqualTo("torch.take_along_dim(): input and indices should have the same number of dimensions, but got 2 dimensions for input, and 1 dimensions for indices"));
    }

    [Test]
    public void Gradcheck_in_float64()
    {
        var x = torch.randn(new long[] { 3, 4 }, dtype: torch.float64, requires_grad: true);
        Assert.That(torch.autograd.gradcheck(t => t.repeat_interleave(torch.tensor(new long[] { 2, 0, 1, 3 }), 1), x));
        Assert.That(torch.autograd.gradcheck(t => t.kron(torch.ones(2, 1, dtype: torch.float64)), x));
        Assert.That(torch.autograd.gradcheck(t => t.diag_embed(-1), x));
        Assert.That(torch.autograd.gradcheck(t => torch.vander(t[0], 4), x));
        Assert.That(torch.autograd.gradcheck(t => torch.block_diag(t, t[0]), x));
    }
}
