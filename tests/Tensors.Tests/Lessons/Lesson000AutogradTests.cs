using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>The autograd cells of lesson 000 ("PyTorch Basics: Тензоры и Autograd"), as C# twins.</summary>
public class Lesson000AutogradTests
{
    [Test]
    public void Section1_2_AddAndDotTrackGradients()
    {
        var a = torch.tensor(new[] { 1.0f, 2.0f }, requires_grad: true);
        var b = torch.tensor(new[] { 3.0f, 4.0f }, requires_grad: true);
        var c = a + b;
        var d = torch.dot(a, b);
        Assert.That(c.ToString(), Is.EqualTo("tensor([4., 6.], grad_fn=<AddBackward0>)")); // "[4.0, 6.0]"
        Assert.That(d.ToString(), Is.EqualTo("tensor(11., grad_fn=<DotBackward0>)"));      // "1*3 + 2*4 = 11.0"
    }

    [Test]
    public void Section2_1_LinearFunctionGradients()
    {
        var x = torch.tensor(2.0, requires_grad: true);
        var w = torch.tensor(1.5, requires_grad: true);
        var b = torch.tensor(0.7, requires_grad: true);
        var y = w * x + b;
        y.backward();
        Assert.That(w.grad!.item<float>(), Is.EqualTo(2.0f)); // dy/dw = 2.0 (x)
        Assert.That(b.grad!.item<float>(), Is.EqualTo(1.0f)); // dy/db = 1.0
        Assert.That(x.grad!.item<float>(), Is.EqualTo(1.5f));
    }

    [Test]
    public void Section2_2_ProdGradient()
    {
        var x = torch.tensor(new[] { 1.0f, 2.0f }, requires_grad: true);
        var z = torch.prod(x);
        Assert.That(z.ToString(), Is.EqualTo("tensor(2., grad_fn=<ProdBackward0>)"));
        z.backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([2., 1.])")); // [2.0, 1.0]
    }

    [Test]
    public void Section2_3_NoGradRecordsNothing()
    {
        var x = torch.tensor(new[] { 1.0f, 2.0f }, requires_grad: true);
        Tensor y;
        using (torch.no_grad()) y = x * 2;
        Assert.That(y.requires_grad, Is.False);
        Assert.That(y.grad_fn, Is.Null);
    }

    /// <summary>class CustomReLU(torch.autograd.Function) of section 3.1.</summary>
    private sealed class CustomReLU : torch.autograd.Function<CustomReLU>
    {
        public static Tensor forward(FunctionCtx ctx, Tensor input)
        {
            ctx.save_for_backward(input);
            return input.clamp(min: 0);
        }

        public static Tensor backward(FunctionCtx ctx, Tensor grad_output)
        {
            var input = ctx.saved_tensors[0]!;
            var grad_input = grad_output.clone();
            grad_input.masked_fill_(input < 0, 0); // grad_input[input < 0] = 0
            return grad_input;
        }
    }

    [Test]
    public void Section3_1_CustomReLU()
    {
        var x = torch.tensor(new[] { -1.5f, 0.5f, -0.25f, 2.0f }, requires_grad: true); // torch.randn(4) in the lesson
        var y = CustomReLU.apply(x);
        Assert.That(y.ToString(), Is.EqualTo("tensor([0.0000, 0.5000, 0.0000, 2.0000], grad_fn=<CustomReLUBackward>)"));
        Assert.That(((AccumulateGrad)y.grad_fn!.next_functions[0].fn!).variable, Is.SameAs(x));
        y.backward(torch.ones_like(y));
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([0., 1., 0., 1.])"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => y.backward(torch.ones_like(y)))!.Message,
            Does.StartWith("Trying to backward through the graph a second time"));
    }

    [Test]
    public void Section3_1_CustomReLUUnderNoGradIsPlainForward()
    {
        var x = torch.tensor(new[] { -1.0f, 1.0f }, requires_grad: true);
        using (torch.no_grad())
        {
            var y = CustomReLU.apply(x);
            Assert.That(y.ToString(), Is.EqualTo("tensor([0., 1.])"));
        }
    }

    [Test]
    public void Section3_2_SecondOrderGradient()
    {
        var x = torch.tensor(3.0, requires_grad: true);
        var y = x.pow(2) + 2 * x;
        var dy_dx = torch.autograd.grad(y, x, create_graph: true)[0]!;
        Assert.That(dy_dx.ToString(), Is.EqualTo("tensor(8., grad_fn=<AddBackward0>)"));
        var d2y_dx2 = torch.autograd.grad(dy_dx, x)[0]!;
        Assert.That(d2y_dx2.item<float>(), Is.EqualTo(2.0f)); // d²y/dx² = 2.0
        Assert.That(x.grad, Is.Null, "autograd.grad doesn't touch .grad");
    }

    [Test]
    public void Section3_3_GraphThatMakeDotWouldDraw()
    {
        var x = torch.tensor(2.0, requires_grad: true);
        var y = x.pow(3) + torch.sin(x);
        var fn = y.grad_fn!;
        Assert.That(fn.name(), Is.EqualTo("AddBackward0"));
        Assert.That(fn.next_functions.Select(e => e.fn!.name()), Is.EqualTo(new[] { "PowBackward0", "SinBackward0" }));
        Assert.That(fn.next_functions[0].fn!.next_functions[0].fn, Is.SameAs(fn.next_functions[1].fn!.next_functions[0].fn),
            "both branches end in x's one AccumulateGrad");
    }

    [Test]
    public void LinearRegressionByGradientDescent()
    {
        // The lesson's loop with y_noisy = 1.5x + 0.8 (its noise is random) and its SGD step written out:
        // p -= lr * p.grad under no_grad, then zero_grad. Checked against the same descent in plain doubles.
        var x = torch.linspace(0, 1, 100);
        var y = 1.5 * x + 0.8;
        var w = torch.tensor(0.0, requires_grad: true);
        var b = torch.tensor(0.0, requires_grad: true);
        var xs = x.ToArray<float>();
        double wr = 0, br = 0;
        for (int epoch = 0; epoch < 100; epoch++)
        {
            var y_pred = w * x + b;
            var loss = torch.mean((y_pred - y).pow(2));
            w.grad = null; b.grad = null;
            loss.backward();
            using (torch.no_grad()) { w.sub_(0.1 * w.grad!); b.sub_(0.1 * b.grad!); }

            double gw = 0, gb = 0;
            foreach (var xi in xs) { var r = wr * xi + br - (1.5 * xi + 0.8); gw += 2 * r * xi / xs.Length; gb += 2 * r / xs.Length; }
            wr -= 0.1 * gw; br -= 0.1 * gb;
        }
        Assert.That(w.item<double>(), Is.EqualTo(wr).Within(1e-4));
        Assert.That(b.item<double>(), Is.EqualTo(br).Within(1e-4));
    }
}
