namespace Notebooks.Tensors.Tests.Ops;

/// <summary>
/// relu_ where autograd doesn't record runs one pass over self (nn.ReLU(inplace=True) under no_grad or in eval):
/// the same bits as relu(), the same tensor back, its version bumped; where autograd records it still records.
/// </summary>
public class ReluInPlaceTests
{
    [Test]
    public void Direct_relu_in_place_gives_relus_bits_and_bumps_the_version()
    {
        foreach (var dtype in new[] { torch.float32, torch.float64 })
        {
            var x = torch.tensor(new[] { -2.5, -0.0, 0.0, 1e-30, float.NaN, 3.0, -1e30 }, dtype: dtype).repeat(40000);
            var expected = x.relu();
            var y = x.clone();
            long before = y._version.Value;
            var r = y.relu_();
            Assert.That(r, Is.SameAs(y));
            Assert.That(y._version.Value, Is.EqualTo(before + 1));
            Assert.That(y.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(expected.ToArray<double>().Select(BitConverter.DoubleToInt64Bits)));
        }
    }

    [Test]
    public void Under_no_grad_a_parameter_is_rectified_in_place_and_with_grad_it_records()
    {
        var w = torch.tensor(new[] { -1f, 2f, -3f }, requires_grad: true);
        using (torch.no_grad()) w.relu_();
        Assert.That(w.ToString(), Is.EqualTo("tensor([0., 2., 0.], requires_grad=True)"));
        Assert.That(w.grad_fn, Is.Null);

        var a = torch.tensor(new[] { -1f, 2f }, requires_grad: true);
        var b = a * 1;
        b.relu_();
        Assert.That(b.grad_fn, Is.Not.Null);
        b.sum().backward();
        Assert.That(a.grad!.ToString(), Is.EqualTo("tensor([0., 1.])"));
        Assert.Throws<InvalidOperationException>(() => a.relu_(), "a leaf that requires grad can't change in place");
    }
}
