using Notebooks.Tensors.Tests.Core;

namespace Notebooks.Tensors.Tests.Idioms;

/// <summary>
/// Tensor.__eq__/__ne__ are element-wise (torch/_tensor.py maps them to torch.eq/ne), __bool__ is the one element
/// (aten is_nonzero), __hash__ is id(self): so == and != give bool tensors, identity stays reference identity.
/// </summary>
public class EqualityAndTruthTests : CoreTestBase
{
    [Test]
    public void Equality_operators_compare_element_wise()
    {
        var pred = torch.tensor(new long[] { 1, 2, 3, 0 });
        var y = torch.tensor(new long[] { 1, 0, 3, 0 });
        Assert.That(Repr(pred == y), Is.EqualTo("tensor([ True, False,  True,  True])"));
        Assert.That(Repr(pred != y), Is.EqualTo("tensor([False,  True, False, False])"));
        Assert.That(Repr(pred == 3), Is.EqualTo("tensor([False, False,  True, False])"));
        Assert.That(Repr(0 != pred), Is.EqualTo("tensor([ True,  True,  True, False])"));
        // How every classifier tutorial measures accuracy.
        double correct = (pred == y).type(torch.float32).sum().item();
        Assert.That(correct, Is.EqualTo(3.0));
        Assert.That(Error(() => _ = torch.ones(2) == torch.ones(3)),
            Is.EqualTo("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"));
    }

    [Test]
    public void Null_checks_and_identity_still_work()
    {
        Tensor? t = null;
        var u = torch.ones(2);
        Assert.That(t is null, Is.True);
        Assert.That((bool)(t == null), Is.True, "t == None is a 0-dim bool tensor: True");
        Assert.That((bool)(u == null), Is.False);
        Assert.That((bool)(u != null), Is.True);
        if (u == null) Assert.Fail("a tensor in a condition is its one value");
        // Equals and GetHashCode are identity (Python's hash(t) is id(t)): collections find tensors by reference.
        var same = torch.ones(2);
        Assert.That(u!.Equals(same), Is.False);
        Assert.That(u.Equals(u), Is.True);
        var set = new HashSet<Tensor> { u, same };
        Assert.That(set, Has.Count.EqualTo(2));
        Assert.That(new List<Tensor> { same, u }.IndexOf(u), Is.EqualTo(1));
    }

    [Test]
    public void A_tensor_in_a_condition_is_its_one_value()
    {
        var y = torch.tensor(new[] { 3.0, 4.0 });
        int doublings = 0;
        while (y.norm() < 1000) { y = y * 2; doublings++; }
        Assert.That(doublings, Is.EqualTo(8));
        Assert.That(torch.tensor(0.0) ? "yes" : "no", Is.EqualTo("no"));
        Assert.That((bool)torch.tensor(new[] { 2 }), Is.True);
        Assert.That(torch.tensor(true) && torch.tensor(false) ? 1 : 0, Is.EqualTo(0));
        Assert.That(Error(() => { if (torch.ones(2)) { } }), Is.EqualTo("Boolean value of Tensor with more than one value is ambiguous"));
        Assert.That(Error(() => { if (torch.ones(0)) { } }), Is.EqualTo("Boolean value of Tensor with no values is ambiguous"));
    }

    [Test]
    public void Item_is_a_number()
    {
        var b = torch.tensor(2.5);
        var W = torch.ones(1, 2);
        var x = torch.ones(3, 1);
        Assert.That(Repr(x.mm(W) + b.item()), Is.EqualTo("tensor([[3.5000, 3.5000],\n        [3.5000, 3.5000],\n        [3.5000, 3.5000]])"));
        Assert.That(torch.tensor(1e-4).item() < 1e-3, Is.True);
        double total = 0;
        total += b.item();
        Assert.That(total * 2, Is.EqualTo(5.0));
        Assert.That(Math.Sqrt(torch.tensor(16.0).item()), Is.EqualTo(4.0));
        // Python's int(), float(), bool() are explicit conversions.
        Assert.That((long)torch.tensor(7).item(), Is.EqualTo(7L));
        Assert.That((int)torch.tensor(-2.9).item(), Is.EqualTo(-2));
        Assert.That((float)torch.tensor(0.5).item(), Is.EqualTo(0.5f));
        Assert.That((bool)torch.tensor(true).item(), Is.True);
        Assert.That(Error(() => _ = (long)torch.tensor(double.NaN).item()), Is.EqualTo("cannot convert float NaN to integer"));
        // Printed as Python prints the number.
        Assert.That(torch.tensor(2.0).item().ToString(), Is.EqualTo("2.0"));
        Assert.That(torch.tensor(1e-5, dtype: torch.float64).item().ToString(), Is.EqualTo("1e-05"));
        Assert.That(torch.tensor(3).item().ToString(), Is.EqualTo("3"));
        Assert.That(torch.tensor(true).item().ToString(), Is.EqualTo("True"));
        Assert.That(torch.tensor(3).item(), Is.EqualTo(3.0), "numbers compare by value, 3 == 3.0 as in Python");
        Assert.That(Error(() => torch.ones(2).item()), Is.EqualTo("a Tensor with 2 elements cannot be converted to Scalar"));
    }
}
