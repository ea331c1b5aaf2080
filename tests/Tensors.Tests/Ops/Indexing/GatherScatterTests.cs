namespace Notebooks.Tensors.Tests.Indexing;

// gather / scatter / scatter_add / index_select / take: the examples from PyTorch's docs (torch.gather,
// Tensor.scatter_, torch.index_select, torch.take) and their error messages (ScatterGatherChecks.h).
public class GatherScatterTests
{
    [Test]
    public void GatherDocExample() // torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]]))
    {
        var t = torch.tensor(new long[][] { [1, 2], [3, 4] });
        var r = torch.gather(t, 1, torch.tensor(new long[][] { [0, 0], [1, 0] }));
        Assert.That(r.ToString(), Is.EqualTo("""
            tensor([[1, 1],
                    [4, 3]])
            """));
    }

    [Test]
    public void GatherReadsStridedInputs()
    {
        var t = torch.arange(6).reshape(2, 3).t();              // [[0, 3], [1, 4], [2, 5]], non-contiguous
        var r = t.gather(0, torch.tensor(new long[][] { [2, 0] }));
        Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void GatherGradientScattersBack() // grad of sum(gather(x, 1, [[0, 0], [2, 1]])) = [[2, 0, 0], [0, 1, 1]]
    {
        var x = torch.zeros(new long[] { 2, 3 }, requires_grad: true);
        var g = x.gather(1, torch.tensor(new long[][] { [0, 0], [2, 1] }));
        Assert.That(g.grad_fn!.name(), Is.EqualTo("GatherBackward0"));
        g.sum().backward();
        Assert.That(x.grad!.ToArray<float>(), Is.EqualTo(new float[] { 2, 0, 0, 0, 1, 1 }));
    }

    [Test]
    public void ScatterDocExample() // src = arange(1, 11).reshape(2, 5); zeros(3, 5).scatter_(0, [[0, 1, 2, 0]], src)
    {
        var src = torch.arange(1, 11).reshape(2, 5);
        var index = torch.tensor(new long[][] { [0, 1, 2, 0] });
        var r = torch.zeros(new long[] { 3, 5 }, dtype: src.dtype).scatter_(0, index, src);
        Assert.That(r.ToString(), Is.EqualTo("""
            tensor([[1, 0, 0, 4, 0],
                    [0, 2, 0, 0, 0],
                    [0, 0, 3, 0, 0]])
            """));
    }

    [Test]
    public void ScatterAScalar() // torch.full((2, 4), 2.).scatter_(1, [[2], [3]], 1.23)
    {
        var r = torch.full(new long[] { 2, 4 }, 2.0).scatter(1, torch.tensor(new long[][] { [2], [3] }), 1.23);
        Assert.That(r.ToString(), Is.EqualTo("""
            tensor([[2.0000, 2.0000, 1.2300, 2.0000],
                    [2.0000, 2.0000, 2.0000, 1.2300]])
            """));
    }

    [Test]
    public void ScatterAddAccumulates()
    {
        var r = torch.zeros(3, 5).scatter_add(0, torch.tensor(new long[][] { [0, 1, 2, 0, 0] }), torch.ones(2, 5));
        Assert.That(r.ToArray<float>(), Is.EqualTo(new float[] { 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0 }));
        var ones = torch.zeros(new long[] { 2 }, dtype: torch.int64).scatter_add(0, torch.tensor(new long[] { 1, 1, 1 }), torch.ones(new long[] { 3 }, dtype: torch.int64));
        Assert.That(ones.ToArray<long>(), Is.EqualTo(new long[] { 0, 3 }));
    }

    [Test]
    public void ScatterGradients() // d/dsrc = grad.gather(index); self loses the overwritten slots
    {
        var self = torch.ones(new long[] { 4 }, requires_grad: true);
        var src = torch.ones(new long[] { 2 }, requires_grad: true);
        var r = self.scatter(0, torch.tensor(new long[] { 3, 0 }), src);
        Assert.That(r.grad_fn!.name(), Is.EqualTo("ScatterBackward0"));
        (r * torch.tensor(new float[] { 1, 2, 3, 4 })).sum().backward();
        Assert.That(src.grad!.ToArray<float>(), Is.EqualTo(new float[] { 4, 1 }));
        Assert.That(self.grad!.ToArray<float>(), Is.EqualTo(new float[] { 0, 2, 3, 0 }));
        Assert.That(self.scatter_add(0, torch.tensor(new long[] { 0 }), src[..1]).grad_fn!.name(), Is.EqualTo("ScatterAddBackward0"));
    }

    [Test]
    public void Int64ValuesSurviveExactly() // no round trip through double
    {
        long big = (1L << 60) + 7;
        var x = torch.tensor(new long[] { big, 1 });
        Assert.That(x.gather(0, torch.tensor(new long[] { 0, 0 })).ToArray<long>(), Is.EqualTo(new[] { big, big }));
        Assert.That(torch.zeros(new long[] { 2 }, dtype: torch.int64).scatter(0, torch.tensor(new long[] { 1 }), x[..1]).ToArray<long>(), Is.EqualTo(new[] { 0, big }));
        Assert.That(x.index_select(0, torch.tensor(new long[] { 0 })).item<long>(), Is.EqualTo(big));
        Assert.That(x.take(torch.tensor(new long[] { 0 })).item<long>(), Is.EqualTo(big));
    }

    [Test]
    public void IndexSelectDocExample()
    {
        var x = torch.arange(12).reshape(3, 4);
        var idx = torch.tensor(new long[] { 0, 2 });
        Assert.That(torch.index_select(x, 0, idx).ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 8, 9, 10, 11 }));
        Assert.That(torch.index_select(x, 1, idx).ToArray<long>(), Is.EqualTo(new long[] { 0, 2, 4, 6, 8, 10 }));
        var w = torch.zeros(new long[] { 3, 2 }, requires_grad: true);
        var s = w.index_select(0, torch.tensor(new long[] { 2, 2, 0 }));
        Assert.That(s.grad_fn!.name(), Is.EqualTo("IndexSelectBackward0"));
        s.sum().backward();
        Assert.That(w.grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 0, 0, 2, 2 }));
    }

    [Test]
    public void TakeDocExample() // torch.take(tensor([[4, 3, 5], [6, 7, 8]]), tensor([0, 2, 5])) -> [4, 5, 8]
    {
        var src = torch.tensor(new long[][] { [4, 3, 5], [6, 7, 8] });
        Assert.That(torch.take(src, torch.tensor(new long[] { 0, 2, 5 })).ToString(), Is.EqualTo("tensor([4, 5, 8])"));
        Assert.That(src.take(torch.tensor(new long[] { -1 })).item<long>(), Is.EqualTo(8));
    }

    [Test]
    public void Errors()
    {
        var x = torch.zeros(2, 2);
        Assert.That(Assert.Throws<ArgumentException>(() => x.gather(0, torch.tensor(new[] { 0, 1 }, dtype: torch.int32).reshape(1, 2)))!.Message,
            Is.EqualTo("gather(): Expected dtype int64 for index"));
        Assert.That(Assert.Throws<IndexOutOfRangeException>(() => x.gather(1, torch.tensor(new long[][] { [0, 2] })))!.Message,
            Is.EqualTo("index 2 is out of bounds for dimension 1 with size 2"));
        Assert.That(Assert.Throws<IndexOutOfRangeException>(() => x.gather(0, torch.tensor(new long[][] { [-1, 0] })))!.Message,
            Is.EqualTo("index -1 is out of bounds for dimension 0 with size 2"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.gather(0, torch.tensor(new long[] { 0 })))!.Message,
            Is.EqualTo("Index tensor must have the same number of dimensions as input tensor"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.scatter(0, torch.tensor(new[] { 0 }, dtype: torch.int32).reshape(1, 1), torch.ones(1, 1)))!.Message,
            Is.EqualTo("scatter(): Expected dtype int64 for index"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.scatter(0, torch.tensor(new long[][] { [0] }), torch.ones(new long[] { 1, 1 }, dtype: torch.float64)))!.Message,
            Is.EqualTo("scatter(): Expected self.dtype to be equal to src.dtype"));
        Assert.That(Assert.Throws<IndexOutOfRangeException>(() => x.index_select(0, torch.tensor(new long[] { 2 })))!.Message,
            Is.EqualTo("index out of range in self"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.index_select(0, torch.tensor(new[] { 0.0 })))!.Message,
            Is.EqualTo("index_select(): Expected dtype int32 or int64 for index"));
        Assert.That(Assert.Throws<IndexOutOfRangeException>(() => x.take(torch.tensor(new long[] { 4 })))!.Message,
            Is.EqualTo("out of range: tried to access index 4 on a tensor of 4 elements."));
    }
}
