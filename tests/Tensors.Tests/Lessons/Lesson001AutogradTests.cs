namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>
/// The autograd cells of lesson 001 ("Автоматическое дифференцирование"). The lesson's inputs come from
/// torch.rand without a seed, so the printed values are used as inputs (4 decimals) where the output depends on them.
/// </summary>
public class Lesson001AutogradTests
{
    private static readonly float[,] W =
    {
        { 0.0238f, 0.2088f, 0.8197f, 0.2214f, 0.6280f },
        { 0.6473f, 0.5695f, 0.0601f, 0.4391f, 0.5918f },
        { 0.0456f, 0.4512f, 0.3637f, 0.5994f, 0.3138f },
    };

    [Test]
    public void WPlusOneSumBackward()
    {
        var w = torch.tensor(W, requires_grad: true);
        Assert.That(w.grad, Is.Null);
        var z = w + 1;
        Assert.That(z.ToString(), Is.EqualTo("""
            tensor([[1.0238, 1.2088, 1.8197, 1.2214, 1.6280],
                    [1.6473, 1.5695, 1.0601, 1.4391, 1.5918],
                    [1.0456, 1.4512, 1.3637, 1.5994, 1.3138]], grad_fn=<AddBackward0>)
            """));
        var y = z.sum();
        y.backward();
        Assert.That(y.grad, Is.Null); // the lesson shows the UserWarning for reading a non-leaf's grad
        Assert.That(w.grad!.ToString(), Is.EqualTo("""
            tensor([[1., 1., 1., 1., 1.],
                    [1., 1., 1., 1., 1.],
                    [1., 1., 1., 1., 1.]])
            """));
    }

    [Test]
    public void RequiresGradOfComputedTensorThrows()
    {
        var w = torch.rand(3, 5, requires_grad: true);
        var z = w + 1;
        Assert.That(Assert.Throws<InvalidOperationException>(() => z.requires_grad = false)!.Message, Is.EqualTo(
            "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."));
    }

    [Test]
    public void DetachedTensorStartsANewGraph()
    {
        var w = torch.tensor(W, requires_grad: true);
        Assert.That($"w {w.grad?.ToString() ?? "None"}", Is.EqualTo("w None"));
        var z = w + 1;
        var k = z.detach();
        var y = 3 * k;
        y.requires_grad = true;
        Assert.That(y.ToString(), Does.EndWith("requires_grad=True)"));
        y.sum().backward();
        Assert.That(w.grad, Is.Null);   // print(w.grad) → None
        Assert.That(y.grad!.ToString(), Does.StartWith("tensor([[1., 1., 1., 1., 1.],"));
    }

    [Test]
    public void RowByRowWritesGiveCopySlicesAndMatmulGivesSqueezeBackward4()
    {
        var x = torch.tensor(new[] { 0.9816f, 0.0246f, 0.5815f, 0.9859f, 0.2236f });
        var w = torch.tensor(W, requires_grad: true);
        var first_z = torch.empty(3);
        for (int i = 0; i < 3; i++) first_z.select(0, i).copy_(torch.sum(w.select(0, i) * x)); // first_z[i] = ...
        Assert.That(first_z.ToString(), Does.EndWith("grad_fn=<CopySlices>)"));
        var z = torch.matmul(x, w.t());
        Assert.That(z.ToString(), Does.EndWith("grad_fn=<SqueezeBackward4>)"));
        Assert.That(first_z.detach().ToArray<float>(), Is.EqualTo(z.detach().ToArray<float>()).Within(1e-6));

        first_z.sum().backward();
        var viaSlices = w.grad!.clone();
        w.grad = null;
        z.sum().backward();
        Assert.That(viaSlices.ToArray<float>(), Is.EqualTo(w.grad!.ToArray<float>()));
        Assert.That(w.grad!.select(0, 0).ToArray<float>(), Is.EqualTo(x.ToArray<float>()));
    }

    [Test]
    public void LossOfWeightedSumAndZeroGrad()
    {
        // v chosen within the printed rounding so that y matches the lesson's y.item() = 1.9426649808883667.
        var v = torch.tensor(new[] { 0.61956f, 0.44366f, 0.14526165f }, requires_grad: true);
        var z = torch.tensor(new long[] { 1, 2, 3 });
        Assert.That(v.ToString(), Is.EqualTo("tensor([0.6196, 0.4437, 0.1453], requires_grad=True)"));
        Assert.That(v.grad, Is.Null);
        var y = torch.sum(z * v);
        Assert.That(y.ToString(), Is.EqualTo("tensor(1.9427, grad_fn=<SumBackward0>)"));
        Assert.That(y.item<double>(), Is.EqualTo(1.9426649808883667).Within(2e-7));
        var loss = torch.mean((y - 2).pow(2));
        loss.backward();
        Assert.That(v.grad!.ToString(), Is.EqualTo("tensor([-0.1147, -0.2293, -0.3440])"));

        y = torch.sum(z * v);
        loss = torch.mean((y - 2).pow(2));
        v.grad!.zero_();
        loss.backward();
        Assert.That(v.grad!.ToString(), Is.EqualTo("tensor([-0.1147, -0.2293, -0.3440])"));

        var v1 = v.clone().detach();
        var new_v = v1 - v.grad! * 5;
        new_v.requires_grad = true;
        y = torch.sum(z * new_v);
        loss = torch.mean((y - 2).pow(2));
        v.grad!.zero_();
        loss.backward();
        Assert.That(new_v.grad!.ToString(), Is.EqualTo("tensor([15.9391, 31.8783, 47.8174])"));
        // The lesson's next cells ran out of order (a second loss.backward() without retain_graph succeeds there);
        // in order, PyTorch raises:
        Assert.That(Assert.Throws<InvalidOperationException>(() => loss.backward())!.Message, Does.StartWith("Trying to backward through the graph a second time"));

        Assert.That(y.detach().requires_grad, Is.False);
        Assert.That(y.detach().ToString(), Does.Not.Contain("grad_fn"));
        var a = torch.tensor(1f, requires_grad: true);
        var before = v.grad!.ToString();
        (y.detach() + a).backward();
        Assert.That(v.grad!.ToString(), Is.EqualTo(before)); // не поменялся
        Assert.That(a.grad!.ToString(), Is.EqualTo("tensor(1.)"));
    }

    // The printed a and b; a's first row is nudged by 4e-5 (inside its rounding) so sum(a - b) rounds as printed.
    private static (Tensor a, Tensor b) AB() => (
        torch.tensor(new[,] { { 0.83234f, 0.94424f, 0.77744f, 0.96994f, 0.59364f }, { 0.2752f, 0.0520f, 0.7683f, 0.7400f, 0.1261f }, { 0.2928f, 0.4947f, 0.2318f, 0.5261f, 0.4781f } }, requires_grad: true),
        torch.tensor(new[,] { { 0.1585f, 0.5946f, 0.8484f, 0.2205f, 0.9245f }, { 0.4517f, 0.8945f, 0.6801f, 0.6447f, 0.5086f }, { 0.8989f, 0.9180f, 0.3186f, 0.6422f, 0.6355f } }, requires_grad: true));

    [Test]
    public void NoGradLossHasNoGraph()
    {
        var (a, b) = AB();
        Tensor loss;
        using (torch.no_grad()) loss = torch.sum(a - b);
        Assert.That(loss.ToString(), Is.EqualTo("tensor(-1.2366)"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => loss.backward())!.Message,
            Is.EqualTo("element 0 of tensors does not require grad and does not have a grad_fn"));
        // loss is a leaf, so PyTorch lets it require grad; backward then fills its own .grad.
        loss.requires_grad = true;
        loss.backward();
        Assert.That(loss.grad!.ToString(), Is.EqualTo("tensor(1.)"));
        Assert.That(a.grad, Is.Null);
    }

    [Test]
    public void InferenceModeLossCannotRequireGrad()
    {
        var (a, b) = AB();
        Tensor loss;
        using (torch.inference_mode()) loss = torch.sum(a - b);
        Assert.That(loss.ToString(), Is.EqualTo("tensor(-1.2366)"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => loss.requires_grad = true)!.Message,
            Is.EqualTo("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."));
        Assert.That(Assert.Throws<InvalidOperationException>(() => loss.backward())!.Message,
            Is.EqualTo("element 0 of tensors does not require grad and does not have a grad_fn"));
        Assert.That(torch.sum(a - b).detach().ToString(), Is.EqualTo("tensor(-1.2366)"));
    }

    [Test]
    public void LeavesMadeUnderNoGradStillRequireGrad()
    {
        Tensor a, b;
        using (torch.no_grad())
        {
            (a, b) = AB();
            var loss = torch.sum(a + b);
            Assert.That(loss.requires_grad, Is.False);
            Assert.That(Assert.Throws<InvalidOperationException>(() => loss.backward())!.Message,
                Is.EqualTo("element 0 of tensors does not require grad and does not have a grad_fn"));
        }
        var loss2 = torch.sum(a + b);
        Assert.That(loss2.ToString(), Does.EndWith("grad_fn=<SumBackward0>)"));
        Assert.That((a.grad, b.grad), Is.EqualTo(((Tensor?)null, (Tensor?)null)));
        loss2.backward();
        var ones = "tensor([[1., 1., 1., 1., 1.],\n        [1., 1., 1., 1., 1.],\n        [1., 1., 1., 1., 1.]])";
        Assert.That(a.grad!.ToString(), Is.EqualTo(ones));
        Assert.That(b.grad!.ToString(), Is.EqualTo(ones));
    }
}
