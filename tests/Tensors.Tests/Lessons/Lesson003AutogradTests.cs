namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>The autograd cells of lesson 003 ("PyTorch, Autograd и все-все-все"), as C# twins.</summary>
public class Lesson003AutogradTests
{
    [Test]
    public void In206_RequiresGradOnFloat64FromNumpy()
    {
        var x = torch.tensor(new[] { 1.0, 2.0, 3.0 }, dtype: torch.float64);
        x.requires_grad_(true);
        Assert.That(x.ToString(), Is.EqualTo("tensor([1., 2., 3.], dtype=torch.float64, requires_grad=True)"));
        Assert.That(x.data.ToString(), Is.EqualTo("tensor([1., 2., 3.], dtype=torch.float64)")); // In [207]
    }

    [Test]
    public void In208To215_AddMulMeanAndBackward()
    {
        var x = torch.ones(2, 2, requires_grad: true);
        Assert.That(x.grad, Is.Null);     // In [209]: None
        Assert.That(x.grad_fn, Is.Null);  // In [210]: None

        var y = x + 2;
        Assert.That(y.ToString(), Is.EqualTo("tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)"));
        Assert.That(y.grad_fn!.ToString(), Does.Match("^<AddBackward0 object at 0x[0-9a-f]+>$"));

        var z = y * y * 3;
        var @out = z.mean();
        Assert.That(z.ToString(), Is.EqualTo("tensor([[27., 27.],\n        [27., 27.]], grad_fn=<MulBackward0>)"));
        // The lesson (an old PyTorch) printed MeanBackward1; PyTorch 2.x names mean() MeanBackward0 (mean.dim is 1).
        Assert.That(@out.ToString(), Is.EqualTo("tensor(27., grad_fn=<MeanBackward0>)"));

        Assert.That($"Y is leaf : {y.is_leaf}, Y req_grad : {y.requires_grad}", Is.EqualTo("Y is leaf : False, Y req_grad : True"));
        Assert.That((z.is_leaf, z.requires_grad, x.is_leaf, x.requires_grad), Is.EqualTo((false, true, true, true)));

        @out.backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])"));
    }

    [Test]
    public void In216To218_BackwardTwiceThroughAGraphThatSavedNothing()
    {
        var x = torch.ones(2, 2);
        x.requires_grad_(true);
        var y = x + 2;
        y.backward(torch.ones(2, 2));
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([[1., 1.],\n        [1., 1.]])"));

        var z = y * y;
        Assert.That(z.ToString(), Is.EqualTo("tensor([[9., 9.],\n        [9., 9.]], grad_fn=<MulBackward0>)"));

        // torch.randn(2, 2) in the lesson; these values reproduce its three printed sums.
        var gradient = torch.tensor(new[,] { { 1.4435f, -0.48038f }, { 1.4012f, -0.89724f } });
        var printed = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            y.backward(gradient); // AddBackward0 saved nothing, so the graph can be reused without retain_graph
            printed.Add(x.grad!.ToString());
        }
        Assert.That(printed, Is.EqualTo(new[]
        {
            "tensor([[2.4435, 0.5196],\n        [2.4012, 0.1028]])",
            "tensor([[ 3.8870,  0.0392],\n        [ 3.8024, -0.7945]])",
            "tensor([[ 5.3305, -0.4411],\n        [ 5.2036, -1.6917]])",
        }));
    }
}
