using Notebooks.Tensors.Tests.Core;
namespace Notebooks.Tensors.Tests.Ops;

/// <summary>In-place ops and compound assignment: the same object changes, and so do its views and its base.</summary>
public class InPlaceTests : CoreTestBase
{
    [Test]
    public void CompoundAssignmentMutatesTheSameObject()
    {
        var w = torch.tensor([1.0, 2.0, 3.0]);
        var alias = w;
        var view = w.view(3, 1);
        var g = torch.tensor([10.0, 20.0, 30.0]);
        const double lr = 0.1;
        w -= lr * g;
        Assert.That(w, Is.SameAs(alias));
        Assert.That(Repr(alias), Is.EqualTo("tensor([0., 0., 0.])"));
        Assert.That(Repr(view.t()), Is.EqualTo("tensor([[0., 0., 0.]])"));
        w += 1; w *= 4; w /= 2;
        Assert.That(Repr(alias), Is.EqualTo("tensor([2., 2., 2.])"));
        Assert.That(w._version_, Is.GreaterThanOrEqualTo(4));
    }

    [Test]
    public void InPlaceOnAViewWritesTheBase()
    {
        var a = torch.zeros(2, 3);
        var row = a.select(0, 1);
        row.add_(torch.tensor([1.0, 2.0, 3.0]));
        var col = a.narrow(1, 2, 1);
        col.mul_(10);
        Assert.That(Repr(a), Is.EqualTo("tensor([[ 0.,  0.,  0.],\n        [ 1.,  2., 30.]])"));
    }

    [Test]
    public void InPlaceKeepsDtypeAndRejectsWidening()
    {
        var i = torch.tensor([1, 2]);
        i.mul_(3);
        Assert.That(Repr(i), Is.EqualTo("tensor([3, 6])"));
        Assert.That(Error(() => i.add_(0.5)), Is.EqualTo("result type Float can't be cast to the desired output type Long"));
        var f = torch.tensor([1.0, 2.0]);
        f.add_(torch.tensor([1, 1]));   // an int operand is fine for a float tensor
        Assert.That(Repr(f), Is.EqualTo("tensor([2., 3.])"));
    }

    [Test]
    public void FillZeroCopyClamp()
    {
        var t = torch.empty(2, 2);
        t.fill_(5);
        Assert.That(Repr(t), Is.EqualTo("tensor([[5., 5.],\n        [5., 5.]])"));
        t.zero_();
        Assert.That(t.sum().item<float>(), Is.EqualTo(0f));
        t.copy_(torch.tensor([1, 2]));   // broadcast and cast from int64
        Assert.That(Repr(t), Is.EqualTo("tensor([[1., 2.],\n        [1., 2.]])"));
        t.clamp_(min: 1.5);
        Assert.That(Repr(t), Is.EqualTo("tensor([[1.5000, 2.0000],\n        [1.5000, 2.0000]])"));
    }
}
