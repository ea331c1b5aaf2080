using Notebooks.Tensors.Tests.Core;
using data = Notebooks.Tensors.torch.utils.data;

namespace Notebooks.Tensors.Tests.Idioms;

/// <summary>torch/_tensor.py __iter__ (unbind(0)), __len__, Python unpacking, and DataLoader batches that deconstruct.</summary>
public class IterationTests : CoreTestBase
{
    [Test]
    public void Foreach_over_a_tensor_walks_dim_0()
    {
        var t = torch.arange(6).view(3, 2);
        var rows = new List<string>();
        foreach (var row in t) rows.Add(Repr(row));
        Assert.That(rows, Is.EqualTo(new[] { "tensor([0, 1])", "tensor([2, 3])", "tensor([4, 5])" }));
        Assert.That(t.len(), Is.EqualTo(3));
        Assert.That(t.enumerate(1).Select(p => $"{p.index}:{p.item.sum().item()}"), Is.EqualTo(new[] { "1:1", "2:5", "3:9" }));
        // torch/_tensor.py: TypeError("iteration over a 0-d tensor"), TypeError("len() of a 0-d tensor").
        Assert.That(Error(() => { foreach (var _ in torch.tensor(1.0)) { } }), Is.EqualTo("iteration over a 0-d tensor"));
        Assert.That(Error(() => torch.tensor(1.0).len()), Is.EqualTo("len() of a 0-d tensor"));
        var empty = 0;
        foreach (var _ in torch.zeros(0, 3)) empty++;
        Assert.That(empty, Is.EqualTo(0));
    }

    [Test]
    public void Tensors_and_batches_deconstruct()
    {
        var (a, b) = torch.tensor(new[] { 1.0, 2.0 });
        Assert.That(Repr(a) + Repr(b), Is.EqualTo("tensor(1.)tensor(2.)"));
        // CPython's unpacking errors.
        Assert.That(Error(() => { var (p, q) = torch.arange(3); }), Is.EqualTo("too many values to unpack (expected 2)"));
        Assert.That(Error(() => { var (p, q, r) = torch.arange(2); }), Is.EqualTo("not enough values to unpack (expected 3, got 2)"));

        var ds = new data.TensorDataset(torch.arange(10.0).view(5, 2), torch.arange(5));
        var (x0, y0) = ds[0];
        Assert.That(Repr(x0) + " " + Repr(y0), Is.EqualTo("tensor([0., 1.]) tensor(0)"));
        var loader = new data.DataLoader(ds, batch_size: 2);
        var seen = new List<string>();
        foreach (var (batch, (X, y)) in loader.enumerate())
            seen.Add($"{batch}: {Shapes.Format(X._shape)} {Shapes.Format(y._shape)}");
        Assert.That(seen, Is.EqualTo(new[] { "0: [2, 2] [2]", "1: [2, 2] [2]", "2: [1, 2] [1]" }));
    }
}
