namespace Notebooks.Tensors.Tests.Indexing;

/// <summary>index_add / index_add_: values as PyTorch computes them, gradients, and ATen's error wording.</summary>
public class IndexAddTests
{
    [Test]
    public void AddsSlicesRepeatedIndicesSumAndAlphaScales()
    {
        // torch.zeros(3, 2).index_add(0, torch.tensor([2, 0, 2]), torch.tensor([[1., 2.], [3., 4.], [5., 6.]]), alpha=2)
        //   → tensor([[ 6.,  8.], [ 0.,  0.], [12., 16.]])
        var src = torch.tensor(new[,] { { 1f, 2f }, { 3f, 4f }, { 5f, 6f } });
        var r = torch.zeros(3, 2).index_add(0, torch.tensor(new long[] { 2, 0, 2 }), src, alpha: 2);
        Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { 6f, 8f, 0f, 0f, 12f, 16f }));

        var x = torch.ones(2, 3);
        x.index_add_(1, torch.tensor(new[] { 1, 1 }), torch.tensor(new[,] { { 1f, 10f }, { 100f, 1000f } }));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new[] { 1f, 12f, 1f, 1f, 1101f, 1f }));
    }

    [Test]
    public void GradientsFlowToSelfAndSource()
    {
        var self = torch.zeros([3, 2], requires_grad: true);
        var src = torch.ones([3, 2], requires_grad: true);
        var y = self.index_add(0, torch.tensor(new long[] { 2, 0, 2 }), src, alpha: 3);
        Assert.That(y.grad_fn!.name(), Is.EqualTo("IndexAddBackward0"));
        y.mul(torch.tensor(new[,] { { 1f, 2f }, { 3f, 4f }, { 5f, 6f } })).sum().backward();
        Assert.That(self.grad!.ToArray<float>(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f, 6f }));
        Assert.That(src.grad!.ToArray<float>(), Is.EqualTo(new[] { 15f, 18f, 3f, 6f, 15f, 18f }));
    }

    [Test]
    public void ErrorsUseATensWording()
    {
        var x = torch.zeros(3, 2);
        Assert.That(() => x.index_add(0, torch.tensor(new long[] { 3 }), torch.ones(1, 2)),
            Throws.TypeOf<IndexOutOfRangeException>().With.Message.EqualTo("index out of range in self"));
        Assert.That(() => x.index_add(0, torch.tensor(new long[] { 0, 1 }), torch.ones(1, 2)),
            Throws.ArgumentException.With.Message.EqualTo("index_add_(): Number of indices (2) should be equal to source.size(dim) (1)"));
        Assert.That(() => x.index_add(0, torch.tensor(new long[] { 0 }), torch.ones(1, 2, dtype: torch.float64)),
            Throws.ArgumentException.With.Message.EqualTo("index_add_(): self (Float) and source (Double) must have the same scalar type"));
        Assert.That(() => x.index_add(0, torch.tensor(new long[] { 0 }), torch.ones(1, 3)),
            Throws.ArgumentException.With.Message.EqualTo("index_add_(): Source/destination tensor must have same slice shapes. Destination slice shape: [2] at dimension 0 and source slice shape: [3] at dimension 0."));
    }
}
