namespace Notebooks.Tensors.Tests;

/// <summary>
/// torch.cat(inputs) with inputs a Python list (sequence_models_tutorial.py: <c>torch.cat(inputs).view(len(inputs), 1, -1)</c>):
/// cat/stack take any "tuple of Tensors" (torch/_torch_docs.py), so a List&lt;Tensor&gt; works as an array does, with
/// the same values, gradients and errors.
/// </summary>
public sealed class TensorListArgumentTests
{
    [Test]
    public void ListsJoinAsArraysDo()
    {
        var a = torch.arange(6.0).reshape(2, 3).requires_grad_();
        var b = torch.ones(1, 3);
        var list = new List<Tensor> { a, b };
        Assert.That(torch.cat(list).ToString(), Is.EqualTo(torch.cat([a, b]).ToString()));
        Assert.That(torch.concat(list).shape, Is.EqualTo(new Size(3, 3)));
        Assert.That(torch.concatenate(list).shape, Is.EqualTo(new Size(3, 3)));
        var squares = new List<Tensor> { a, a * 2 };
        Assert.That(torch.stack(squares, 1).shape, Is.EqualTo(new Size(2, 2, 3)));
        Assert.That(torch.hstack(squares).shape, Is.EqualTo(new Size(2, 6)));
        Assert.That(torch.vstack(squares).shape, Is.EqualTo(new Size(4, 3)));
        var y = torch.cat(list);
        Assert.That(y.grad_fn!.name(), Is.EqualTo("CatBackward0"));
        y.sum().backward();
        Assert.That(a.grad!.ToString(), Is.EqualTo("tensor([[1., 1., 1.],\n        [1., 1., 1.]])"));
    }

    [Test]
    public void ListsGivePyTorchsErrors()
    {
        // aten/src/ATen/native/TensorShape.cpp: "torch.cat(): expected a non-empty list of Tensors"
        Assert.That(() => torch.cat(new List<Tensor>()), Throws.ArgumentException.With.Message.EqualTo("torch.cat(): expected a non-empty list of Tensors"));
        Assert.That(() => torch.cat(new List<Tensor> { torch.ones(2, 3), torch.ones(2, 4) }),
            Throws.ArgumentException.With.Message.EqualTo("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list."));
    }
}
