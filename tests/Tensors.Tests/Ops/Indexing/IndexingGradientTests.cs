namespace Notebooks.Tensors.Tests.Indexing;

// Gradients through indexing, with PyTorch's grad_fn names (tools/autograd/derivatives.yaml) and hand-computed
// gradients.
public class IndexingGradientTests
{
    [Test]
    public void BasicIndexingNodes()
    {
        var x = torch.rand(new long[] { 3, 4 }, requires_grad: true);
        Assert.That(x[1].grad_fn!.name(), Is.EqualTo("SelectBackward0"));
        Assert.That(x[1..3].grad_fn!.name(), Is.EqualTo("SliceBackward0"));
        Assert.That(x[torch.newaxis].grad_fn!.name(), Is.EqualTo("UnsqueezeBackward0"));
        Assert.That(x[TensorIndex.Ellipsis].grad_fn!.name(), Is.EqualTo("AliasBackward0"));
        var col = x[.., 1];
        Assert.That(col.grad_fn!.name(), Is.EqualTo("SelectBackward0"));
        Assert.That(col.grad_fn!.next_functions[0].fn!.name(), Is.EqualTo("SliceBackward0"));
        Assert.That(x[new long[] { 0 }].grad_fn!.name(), Is.EqualTo("IndexBackward0"));
        // x[:] alone is a slice; inside a longer index an explicit 0:len is skipped (applySlice's shortcut).
        Assert.That(x[..].grad_fn!.name(), Is.EqualTo("SliceBackward0"));
        Assert.That(x[0..3, 1].grad_fn!.next_functions[0].fn!.name(), Is.EqualTo("AccumulateGrad"));
        Assert.That(x[x > 0.5].grad_fn!.name(), Is.EqualTo("IndexBackward0"));
    }

    [Test]
    public void SelectAndSliceGradientsLandOnTheirElements()
    {
        var x = torch.zeros(new long[] { 3, 4 }, requires_grad: true);
        (x[1, 2] * 3 + x[.., torch.slice(null, null, 2)].sum()).backward();
        Assert.That(x.grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, 0, 1, 0, 1, 0, 4, 0, 1, 0, 1, 0 }));
    }

    [Test]
    public void RepeatedPositionsAccumulate() // d/dx sum(x[[0, 0, 2]] * [1, 2, 3]) = [3, 0, 3]
    {
        var x = torch.zeros(new long[] { 3 }, requires_grad: true);
        (x[new long[] { 0, 0, 2 }] * torch.tensor(new float[] { 1, 2, 3 })).sum().backward();
        Assert.That(x.grad!.ToArray<float>(), Is.EqualTo(new float[] { 3, 0, 3 }));
    }

    [Test]
    public void MaskGradientIsOneWhereSelected()
    {
        var x = torch.tensor(new float[] { -1, 2, -3, 4 }, requires_grad: true);
        x[x > 0].pow(2).sum().backward();          // 2x where x > 0
        Assert.That(x.grad!.ToArray<float>(), Is.EqualTo(new float[] { 0, 4, 0, 8 }));
    }

    [Test]
    public void AssigningAGradTensorMakesCopySlices() // x[0] = y with y requiring grad: grad_fn=<CopySlices>
    {
        var y = torch.tensor(2.0, requires_grad: true);
        var x = torch.zeros(3);
        x[0] = y;
        Assert.That(x.grad_fn!.name(), Is.EqualTo("CopySlices"));
        Assert.That(x.ToString(), Is.EqualTo("tensor([2., 0., 0.], grad_fn=<CopySlices>)"));
        (x * torch.tensor(new float[] { 5, 6, 7 })).sum().backward();
        Assert.That(y.grad!.item<float>(), Is.EqualTo(5f));
    }

    [Test]
    public void LessonRowsWrittenOneByOne() // lesson 001: for i in range(3): first_z[i] = torch.sum(w[i] * x)
    {
        var x = torch.tensor(new float[] { 0.9816f, 0.0246f, 0.5815f, 0.9859f, 0.2236f });
        var w = torch.tensor(new float[][]
        {
            [0.0238f, 0.2088f, 0.8197f, 0.2214f, 0.6280f],
            [0.6473f, 0.5695f, 0.0601f, 0.4391f, 0.5918f],
            [0.0456f, 0.4512f, 0.3637f, 0.5994f, 0.3138f],
        }, requires_grad: true);
        var firstZ = torch.empty(3);
        for (int i = 0; i < 3; i++) firstZ[i] = torch.sum(w[i] * x);
        Assert.That(firstZ.ToString(), Does.EndWith("grad_fn=<CopySlices>)"));
        var z = torch.matmul(x, w.t());
        Assert.That(firstZ.ToArray<float>(), Is.EqualTo(z.detach().ToArray<float>()).Within(1e-6f));
        firstZ.sum().backward();
        var expected = new float[15];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) expected[i * 5 + j] = x[j].item<float>();
        Assert.That(w.grad!.ToArray<float>(), Is.EqualTo(expected));
    }

    [Test]
    public void MaskAssignmentOfAGradTensor() // IndexPutBackward0: values get c[mask], the overwritten slots get 0
    {
        var a = torch.ones(new long[] { 4 }, requires_grad: true);
        var x = a * 1;
        var v = torch.tensor(new float[] { 10, 20 }, requires_grad: true);
        x[torch.tensor(new[] { false, true, false, true })] = v;
        Assert.That(x.grad_fn!.name(), Is.EqualTo("IndexPutBackward0"));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new float[] { 1, 10, 1, 20 }));
        (x * torch.tensor(new float[] { 1, 2, 3, 4 })).sum().backward();
        Assert.That(v.grad!.ToArray<float>(), Is.EqualTo(new float[] { 2, 4 }));
        Assert.That(a.grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, 0, 3, 0 }));
    }

    [Test]
    public void InPlaceThroughAViewOfALeafIsRefused() // unless under no_grad, as in PyTorch
    {
        var w = torch.zeros(new long[] { 3 }, requires_grad: true);
        var ex = Assert.Throws<InvalidOperationException>(() => w[0] = 1);
        Assert.That(ex!.Message, Is.EqualTo("a view of a leaf Variable that requires grad is being used in an in-place operation."));
        using (torch.no_grad()) w[0] = 1;
        Assert.That(w.ToArray<float>(), Is.EqualTo(new float[] { 1, 0, 0 }));
        Assert.That(w.is_leaf, Is.True);
    }

    [Test]
    public void GradientOfTheGradientThroughIndex() // y = sum(x[idx]^2): d2y/dx2 along ones = 2 * count
    {
        var x = torch.tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        var y = x[new long[] { 0, 0, 2 }].pow(2).sum();
        y.backward(create_graph: true);
        var g = x.grad!;
        Assert.That(g.detach().ToArray<float>(), Is.EqualTo(new float[] { 4, 0, 6 }));
        x.grad = null;
        g.sum().backward();
        Assert.That(x.grad!.ToArray<float>(), Is.EqualTo(new float[] { 4, 0, 2 }));
    }

    [Test]
    public void MaskAssignmentThroughAViewIsCopySlicesOnTheBase() // x[1, mask] = v: index_put_ on the view x[1]
    {
        var a = torch.zeros(new long[] { 2, 3 }, requires_grad: true);
        var x = a * 1;
        var v = torch.tensor(new float[] { 7, 8 }, requires_grad: true);
        x[1, torch.tensor(new[] { true, false, true })] = v;
        Assert.That(x.grad_fn!.name(), Is.EqualTo("CopySlices"));
        Assert.That(x.detach().ToArray<float>(), Is.EqualTo(new float[] { 0, 0, 0, 7, 0, 8 }));
        (x * torch.arange(1, 7).reshape(2, 3)).sum().backward();
        Assert.That(v.grad!.ToArray<float>(), Is.EqualTo(new float[] { 4, 6 }));
        Assert.That(a.grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 0, 5, 0 }));
    }

    [Test]
    public void MaskAssignmentOnALeafUnderNoGrad() // the optimizer-style `with torch.no_grad(): w[w < 0] = 0`
    {
        var w = torch.tensor(new float[] { -1, 2, -3 }, requires_grad: true);
        using (torch.no_grad()) w[w < 0] = 0;
        Assert.That(w.ToString(), Is.EqualTo("tensor([0., 2., 0.], requires_grad=True)"));
        Assert.That(w.is_leaf, Is.True);
    }
}
