using Notebooks.Tensors.Tests.Core;
namespace Notebooks.Tensors.Tests.Ops;

/// <summary>Broadcasting, views and their storage, and the shape-changing ops with PyTorch's error messages.</summary>
public class ShapeAndViewTests : CoreTestBase
{
    [Test]
    public void BroadcastingShapesAndError()
    {
        Assert.That((torch.ones(3, 1) + torch.ones(1, 4)).shape, Is.EqualTo(torch.Size(3, 4)));
        Assert.That((torch.ones(5, 1, 4) + torch.ones(3, 1)).shape, Is.EqualTo(torch.Size(5, 3, 4)));
        Assert.That(Error(() => _ = torch.ones(2, 3) + torch.ones(2, 4)),
            Is.EqualTo("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"));
        Assert.That(torch.broadcast_shapes([2, 1], [3]), Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void ViewOfTransposeFailsReshapeCopies()
    {
        var a = torch.arange(6).reshape(2, 3);
        var t = a.t();
        Assert.That(t.is_contiguous(), Is.False);
        Assert.That(t.stride(), Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(Error(() => t.view(6)), Is.EqualTo(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead."));
        var r = t.reshape(6);
        Assert.That(Repr(r), Is.EqualTo("tensor([0, 3, 1, 4, 2, 5])"));
        r.fill_(9);
        Assert.That(a.sum().item<long>(), Is.EqualTo(15), "reshape of a non-contiguous tensor copies");
        Assert.That(t.contiguous().is_contiguous(), Is.True);
    }

    [Test]
    public void ViewsShareStorage()
    {
        var a = torch.zeros(2, 3);
        var v = a.view(-1);
        v.select(0, 4).fill_(7);
        Assert.That(Repr(a), Is.EqualTo("tensor([[0., 0., 0.],\n        [0., 7., 0.]])"));
        a.t().select(0, 0).fill_(1);   // column 0 through a transposed view
        Assert.That(Repr(v), Is.EqualTo("tensor([1., 0., 0., 1., 7., 0.])"));
        Assert.That(a.unsqueeze(0).data_ptr(), Is.EqualTo(a.data_ptr()));
        Assert.That(a.narrow(1, 1, 2).storage_offset(), Is.EqualTo(1));
    }

    [Test]
    public void ViewShapeErrors()
    {
        var a = torch.arange(6);
        Assert.That(Error(() => a.view(4)), Is.EqualTo("shape '[4]' is invalid for input of size 6"));
        Assert.That(Error(() => a.view(-1, -1)), Is.EqualTo("only one dimension can be inferred"));
        Assert.That(a.view(-1, 2).shape, Is.EqualTo(torch.Size(3, 2)));
    }

    [Test]
    public void SqueezeUnsqueezeFlattenPermute()
    {
        var x = torch.zeros(2, 1, 3, 1);
        Assert.That(x.squeeze().shape, Is.EqualTo(torch.Size(2, 3)));
        Assert.That(x.squeeze(1).shape, Is.EqualTo(torch.Size(2, 3, 1)));
        Assert.That(x.squeeze(0).shape, Is.EqualTo(torch.Size(2, 1, 3, 1)));
        Assert.That(x.unsqueeze(-1).shape, Is.EqualTo(torch.Size(2, 1, 3, 1, 1)));
        var y = torch.zeros(2, 3, 4);
        Assert.That(y.flatten(1).shape, Is.EqualTo(torch.Size(2, 12)));
        Assert.That(y.permute(2, 0, 1).shape, Is.EqualTo(torch.Size(4, 2, 3)));
        Assert.That(y.transpose(0, 2).shape, Is.EqualTo(torch.Size(4, 3, 2)));
        Assert.That(Error(() => y.permute(0, 0, 1)), Is.EqualTo("permute(): duplicate dims are not allowed."));
    }

    [Test]
    public void ExpandAndRepeat()
    {
        var c = torch.tensor(new[] { new[] { 1 }, new[] { 2 } });
        var e = c.expand(2, 3);
        Assert.That(Repr(e), Is.EqualTo("tensor([[1, 1, 1],\n        [2, 2, 2]])"));
        Assert.That(e.stride(), Is.EqualTo(new long[] { 1, 0 }));
        Assert.That(Error(() => torch.ones(2, 3).expand(4, 3)), Is.EqualTo(
            "The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [4, 3].  Tensor sizes: [2, 3]"));
        Assert.That(Repr(torch.tensor([1, 2]).repeat(2, 2)), Is.EqualTo("tensor([[1, 2, 1, 2],\n        [1, 2, 1, 2]])"));
    }

    [Test]
    public void StackSplitChunk()
    {
        var a = torch.tensor([1, 2]);
        var b = torch.tensor([3, 4]);
        Assert.That(Repr(torch.stack([a, b])), Is.EqualTo("tensor([[1, 2],\n        [3, 4]])"));
        Assert.That(Repr(torch.stack([a, b], dim: 1)), Is.EqualTo("tensor([[1, 3],\n        [2, 4]])"));
        Assert.That(Error(() => torch.stack([a, torch.tensor([1, 2, 3])])),
            Is.EqualTo("stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1"));

        var r = torch.arange(5);
        Assert.That(r.split(2).Select(t => t.numel()), Is.EqualTo(new long[] { 2, 2, 1 }));
        Assert.That(r.split([1L, 4L]).Select(t => t.numel()), Is.EqualTo(new long[] { 1, 4 }));
        Assert.That(r.chunk(3).Select(t => t.numel()), Is.EqualTo(new long[] { 2, 2, 1 }));
        // chunk(6 elements, 4) gives 3 chunks of 2, as PyTorch does (chunk size is ceil(6 / 4)).
        Assert.That(torch.arange(6).chunk(4).Select(t => t.numel()), Is.EqualTo(new long[] { 2, 2, 2 }));
        Assert.That(Repr(r.split(2)[2]), Is.EqualTo("tensor([4])"));
    }

    [Test]
    public void CatErrorsAndPromotion()
    {
        Assert.That(Error(() => torch.cat([torch.zeros(2, 3), torch.zeros(2, 4)], dim: 0)), Is.EqualTo(
            "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list."));
        Assert.That(torch.cat([torch.tensor([1]), torch.tensor([0.5])]).dtype, Is.EqualTo(torch.float32));
    }

    [Test]
    public void EmptyTensors()
    {
        Assert.That(Repr(torch.zeros(0)), Is.EqualTo("tensor([])"));
        Assert.That(Repr(torch.zeros(2, 0)), Is.EqualTo("tensor([], size=(2, 0))"));
        Assert.That(Repr(torch.zeros([0], dtype: torch.int64)), Is.EqualTo("tensor([], dtype=torch.int64)"));
        Assert.That(Repr(torch.zeros(0).sum()), Is.EqualTo("tensor(0.)"));
        Assert.That(Repr(torch.zeros(0).prod()), Is.EqualTo("tensor(1.)"));
        Assert.That(Repr(torch.zeros(0).mean()), Is.EqualTo("tensor(nan)"));
        Assert.That(Error(() => torch.zeros(0).max()), Is.EqualTo(
            "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."));
        Assert.That(Repr(torch.zeros(2, 0).sum(1)), Is.EqualTo("tensor([0., 0.])"));
    }

    [Test]
    public void ZeroDimTensors()
    {
        var s = torch.tensor(3.5);
        Assert.That(Repr(s), Is.EqualTo("tensor(3.5000)"));
        Assert.That(s.shape.ToString(), Is.EqualTo("torch.Size([])"));
        Assert.That(s.dim(), Is.EqualTo(0));
        Assert.That(s.numel(), Is.EqualTo(1));
        Assert.That(Repr(torch.tensor(7)), Is.EqualTo("tensor(7)"));
        Assert.That(Repr(s + torch.tensor([1.0, 2.0])), Is.EqualTo("tensor([4.5000, 5.5000])"));
        Assert.That(s.unsqueeze(0).shape, Is.EqualTo(torch.Size(1)));
        Assert.That(s.reshape(1, 1).shape, Is.EqualTo(torch.Size(1, 1)));
    }
}
