using Notebooks.Tensors.Tests.Core;
namespace Notebooks.Tensors.Tests.Ops;

/// <summary>torch.matmul's dimension rules, mm/dot/mv, and their errors.</summary>
public class LinearAlgebraTests : CoreTestBase
{
    private static Tensor M(int r, int c) => torch.arange(r * c).reshape(r, c).to(torch.float32);

    [Test]
    public void MatmulShapes()
    {
        Assert.That(torch.matmul(torch.ones(3), torch.ones(3)).dim(), Is.EqualTo(0), "1-D @ 1-D is a dot product");
        Assert.That(torch.matmul(M(2, 3), torch.ones(3)).shape, Is.EqualTo(torch.Size(2)), "2-D @ 1-D");
        Assert.That(torch.matmul(torch.ones(2), M(2, 3)).shape, Is.EqualTo(torch.Size(3)), "1-D @ 2-D: prepended then removed");
        Assert.That(torch.matmul(torch.ones(2, 1, 3, 4), torch.ones(5, 4, 2)).shape, Is.EqualTo(torch.Size(2, 5, 3, 2)), "batch dims broadcast");
        Assert.That(torch.matmul(torch.ones(10, 2, 3), torch.ones(3)).shape, Is.EqualTo(torch.Size(10, 2)));
    }

    [Test]
    public void MatmulValues()
    {
        var a = M(2, 3);
        var b = M(3, 2);
        Assert.That(Repr(a.matmul(b)), Is.EqualTo("tensor([[10., 13.],\n        [28., 40.]])"));
        Assert.That(Repr(torch.mm(a, b)), Is.EqualTo(Repr(a.matmul(b))));
        Assert.That(Repr(torch.arange(6).reshape(2, 3).matmul(torch.arange(3))), Is.EqualTo("tensor([ 5, 14])"), "integer matmul stays int64");
        Assert.That(Repr(torch.mv(a, torch.ones(3))), Is.EqualTo("tensor([ 3., 12.])"));
        Assert.That(Repr(torch.dot(torch.tensor([1, 2]), torch.tensor([3, 4]))), Is.EqualTo("tensor(11)"));
        Assert.That(Repr(torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4]))), Is.EqualTo("tensor([[3, 4],\n        [6, 8]])"));
        Assert.That(Repr(M(3, 3).trace()), Is.EqualTo("tensor(12.)"));
        Assert.That(Repr(M(2, 2).T.matmul(M(2, 2))), Is.EqualTo("tensor([[ 4.,  6.],\n        [ 6., 10.]])"), "transposed (non-contiguous) operand");
    }

    [Test]
    public void MatmulErrors()
    {
        Assert.That(Error(() => torch.mm(M(2, 3), M(4, 5))), Is.EqualTo("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"));
        Assert.That(Error(() => torch.matmul(M(2, 3), M(4, 5))), Is.EqualTo("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"));
        Assert.That(Error(() => torch.dot(M(2, 2), M(2, 2))), Is.EqualTo("1D tensors expected, but got 2D and 2D tensors"));
        Assert.That(Error(() => torch.dot(torch.ones(3), torch.ones(4))), Is.EqualTo(
            "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively"));
        Assert.That(Error(() => torch.matmul(torch.tensor(1.0), torch.ones(2))), Is.EqualTo("both arguments to matmul need to be at least 1D, but they are 0D and 1D"));
    }
}
