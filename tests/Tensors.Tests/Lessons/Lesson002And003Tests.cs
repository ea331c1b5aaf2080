namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>
/// Lessons 002 and 003 are about autograd; their tensor-level parts are twinned here (the same values without
/// requires_grad, so without grad_fn in the printed text). Lesson 004 has no code. Skipped: requires_grad_,
/// backward, grad/grad_fn/is_leaf printing and binary_cross_entropy_with_logits (autograd and nn work).
/// </summary>
public class Lesson002And003Tests
{
    [Test]
    public void Lesson002_ForwardPassShapes()
    {
        var x = torch.ones(5);
        var y = torch.zeros(3);
        var w = torch.randn(5, 3);
        var b = torch.randn(3);
        var z = torch.matmul(x, w) + b;
        Assert.That(z.shape.ToString(), Is.EqualTo("torch.Size([3])"));
        Assert.That(y.shape, Is.EqualTo(z.shape));
        // With x all ones, x @ w sums w's rows.
        Assert.That(z.allclose(w.sum(0) + b, 1e-5, 1e-6), Is.True);

        const double learning_rate = 0.01;
        var wBefore = w.clone();
        var same = w;
        w -= learning_rate * torch.ones_like(w);
        Assert.That(w, Is.SameAs(same));
        Assert.That(w.allclose(wBefore - 0.01), Is.True);
    }

    [Test]
    public void Lesson003_FromNumpyData()
    {
        // x = torch.from_numpy(np.array([1., 2., 3.])); print(x.data)
        var x = torch.from_array(new[] { 1.0, 2.0, 3.0 });
        Assert.That(x.ToString(), Is.EqualTo("tensor([1., 2., 3.], dtype=torch.float64)"));
        Assert.That(torch.randn(2, 2).shape.ToString(), Is.EqualTo("torch.Size([2, 2])"));
    }

    [Test]
    public void Lesson003_OnesPlusTwoTimesThreeMean()
    {
        var x = torch.ones(2, 2);
        var y = x + 2;
        Assert.That(y.ToString(), Is.EqualTo("tensor([[3., 3.],\n        [3., 3.]])"));
        var z = y * y * 3;
        Assert.That(z.ToString(), Is.EqualTo("tensor([[27., 27.],\n        [27., 27.]])"));
        Assert.That(z.mean().ToString(), Is.EqualTo("tensor(27.)"));
        Assert.That((y * y).ToString(), Is.EqualTo("tensor([[9., 9.],\n        [9., 9.]])"));
    }
}
