namespace Notebooks.Tensors.Tests.Indexing;

// nonzero / where(cond) / masked_select / masked_fill / masked_scatter: PyTorch docs examples.
public class NonzeroAndMaskedTests
{
    [Test]
    public void NonzeroDocExamples()
    {
        var r = torch.nonzero(torch.tensor(new long[] { 1, 1, 1, 0, 1 }));
        Assert.That(r.ToString(), Is.EqualTo("""
            tensor([[0],
                    [1],
                    [2],
                    [4]])
            """));
        var m = torch.tensor(new double[][] { [0.6, 0.0, 0.0, 0.0], [0.0, 0.4, 0.0, 0.0], [0.0, 0.0, 1.2, 0.0], [0.0, 0.0, 0.0, -0.4] });
        Assert.That(m.nonzero().ToString(), Is.EqualTo("""
            tensor([[0, 0],
                    [1, 1],
                    [2, 2],
                    [3, 3]])
            """));
        var tuple = torch.nonzero(m, as_tuple: true);
        Assert.That(tuple.Length, Is.EqualTo(2));
        Assert.That(tuple[0].ToString(), Is.EqualTo("tensor([0, 1, 2, 3])"));
        Assert.That(tuple[1].ToString(), Is.EqualTo("tensor([0, 1, 2, 3])"));
        Assert.That(torch.where(m > 0.5)[1].ToString(), Is.EqualTo("tensor([0, 2])"));
    }

    [Test]
    public void NonzeroShapes()
    {
        Assert.That(torch.zeros(2, 3).nonzero().shape, Is.EqualTo(torch.Size(0, 2)));
        Assert.That(torch.nonzero(torch.tensor(5)).shape, Is.EqualTo(torch.Size(1, 0)));
        Assert.That(torch.tensor(5).nonzero(as_tuple: true)[0].ToString(), Is.EqualTo("tensor([0])"));
        Assert.That(torch.nonzero(torch.tensor(5)).dtype, Is.EqualTo(torch.int64));
        Assert.That(torch.tensor(new float[] { 0.25f, float.NaN, 0 }).nonzero().ToArray<long>(), Is.EqualTo(new long[] { 0, 1 }));
    }

    [Test]
    public void MaskedSelectBroadcasts()
    {
        var x = torch.tensor(new long[][] { [1, 2, 3], [4, 5, 6] });
        var mask = torch.tensor(new[] { true, false, true });
        Assert.That(torch.masked_select(x, mask).ToString(), Is.EqualTo("tensor([1, 3, 4, 6])"));
        var w = torch.ones(new long[] { 3 }, requires_grad: true);
        var s = w.masked_select(torch.tensor(new bool[][] { [true, false, true], [true, true, false] }));
        Assert.That(s.grad_fn!.name(), Is.EqualTo("MaskedSelectBackward0"));
        s.sum().backward();
        Assert.That(w.grad!.ToArray<float>(), Is.EqualTo(new float[] { 2, 1, 1 }));
    }

    [Test]
    public void MaskedFill()
    {
        var x = torch.arange(4);
        Assert.That(x.masked_fill(x > 1, -1).ToArray<long>(), Is.EqualTo(new long[] { 0, 1, -1, -1 }));
        x.masked_fill_(x < 1, 9);
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 9, 1, 2, 3 }));
    }

    [Test]
    public void MaskedScatterDocExample()
    {
        var self = torch.tensor(new long[] { 0, 0, 0, 0, 0 });
        var mask = torch.tensor(new bool[][] { [false, false, false, true, true], [true, true, false, true, true] });
        var source = torch.tensor(new long[][] { [0, 1, 2, 3, 4], [5, 6, 7, 8, 9] });
        Assert.That(self.masked_scatter(mask, source).ToString(), Is.EqualTo("""
            tensor([[0, 0, 0, 0, 1],
                    [2, 3, 0, 4, 5]])
            """));
    }

    [Test]
    public void MaskedScatterGradients()
    {
        var self = torch.zeros(new long[] { 3 }, requires_grad: true);
        var src = torch.zeros(new long[] { 4 }, requires_grad: true);
        var r = self.masked_scatter(torch.tensor(new[] { true, false, true }), src);
        Assert.That(r.grad_fn!.name(), Is.EqualTo("MaskedScatterBackward0"));
        (r * torch.tensor(new float[] { 1, 2, 3 })).sum().backward();
        Assert.That(self.grad!.ToArray<float>(), Is.EqualTo(new float[] { 0, 2, 0 }));
        Assert.That(src.grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, 3, 0, 0 }));
    }
}
