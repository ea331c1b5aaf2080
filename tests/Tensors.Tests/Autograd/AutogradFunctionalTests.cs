using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors.Tests.Autograd;

/// <summary>torch.autograd.grad / backward and custom functions (torch/autograd/__init__.py, function.py).</summary>
public class AutogradFunctionalTests
{
    private static Tensor D(params double[] v) => torch.tensor(v, dtype: torch.float64);

    [Test]
    public void GradReturnsWithoutAccumulating()
    {
        var x = D(1, 2, 3).requires_grad_();
        var g = torch.autograd.grad((x * x).sum(), x)[0]!;
        Assert.That(g.ToString(), Is.EqualTo("tensor([2., 4., 6.], dtype=torch.float64)"));
        Assert.That(g.requires_grad, Is.False);
        Assert.That(x.grad, Is.Null);
    }

    [Test]
    public void SecondDerivativeOfQuadratic()
    {
        // d²(x² + 2x)/dx² = 2 at x = 3 (lesson 000, 3.2)
        var x = torch.tensor(3.0, dtype: torch.float64, requires_grad: true);
        var y = x.pow(2) + 2 * x;
        var d1 = torch.autograd.grad(y, x, create_graph: true)[0]!;
        Assert.That(d1.item<double>(), Is.EqualTo(8.0));
        Assert.That(torch.autograd.grad(d1, x)[0]!.item<double>(), Is.EqualTo(2.0));
    }

    [Test]
    public void ThirdDerivativeOfSin()
    {
        var x = torch.tensor(0.5, dtype: torch.float64, requires_grad: true);
        var g = x.sin();
        for (int i = 0; i < 3; i++) g = torch.autograd.grad(g, x, create_graph: true)[0]!;
        Assert.That(g.item<double>(), Is.EqualTo(-Math.Cos(0.5)).Within(1e-15));
    }

    [Test]
    public void HessianVectorProduct()
    {
        // f(x) = Σ x_i³ + x_0·x_1 → H = diag(6x) + [[0,1],[1,0]]; H·v at x = (1, 2), v = (1, -1) is (6 - 1, 1 - 12).
        var x = D(1, 2).requires_grad_();
        var f = x.pow(3).sum() + x.select(0, 0) * x.select(0, 1);
        var g = torch.autograd.grad(f, x, create_graph: true)[0]!;
        var hv = torch.autograd.grad(g, x, grad_outputs: D(1, -1))[0]!;
        Assert.That(hv.ToString(), Is.EqualTo("tensor([  5., -11.], dtype=torch.float64)"));
    }

    [Test]
    public void UnusedInputNeedsAllowUnused()
    {
        var x = D(1).requires_grad_();
        var unused = D(2).requires_grad_();
        var y = (x * 2).sum();
        Assert.That(Assert.Throws<InvalidOperationException>(() => torch.autograd.grad(y, [x, unused], retain_graph: true))!.Message,
            Is.EqualTo("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior."));
        var r = torch.autograd.grad(y, [x, unused], retain_graph: true, allow_unused: true);
        Assert.That(r[1], Is.Null);
        Assert.That(torch.autograd.grad(y, [x, unused], materialize_grads: true)[1]!.ToString(), Is.EqualTo("tensor([0.], dtype=torch.float64)"));
    }

    [Test]
    public void InputThatDoesNotRequireGradThrows()
    {
        var x = D(1).requires_grad_();
        Assert.That(Assert.Throws<InvalidOperationException>(() => torch.autograd.grad((x * 2).sum(), D(1)))!.Message,
            Is.EqualTo("One of the differentiated Tensors does not require grad"));
    }

    [Test]
    public void GradWithRespectToAnIntermediate()
    {
        var x = D(1, 2).requires_grad_();
        var h = x * 3;
        var y = (h * h).sum();
        Assert.That(torch.autograd.grad(y, h)[0]!.ToString(), Is.EqualTo("tensor([ 6., 12.], dtype=torch.float64)"));
    }

    [Test]
    public void FunctionalBackwardSumsSeveralRoots()
    {
        var x = D(1, 2).requires_grad_();
        torch.autograd.backward([(x * 2).sum(), (x * x).sum()]);
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([4., 6.], dtype=torch.float64)"));
    }

    [Test]
    public void AnomalyDetectionFlag()
    {
        torch.autograd.set_detect_anomaly(true);
        Assert.That(torch.autograd.is_anomaly_enabled(), Is.True);
        torch.autograd.set_detect_anomaly(false);
        Assert.That(torch.autograd.is_anomaly_enabled(), Is.False);
    }

    /// <summary>y = x·k + w² with a number argument k, saving through ctx items as well as save_for_backward.</summary>
    private sealed class ScaleAdd : torch.autograd.Function<ScaleAdd>
    {
        public static Tensor forward(FunctionCtx ctx, Tensor x, double k, Tensor w)
        {
            ctx["k"] = k;
            ctx["needs"] = ctx.needs_input_grad.ToArray();
            ctx.save_for_backward(w);
            return x * k + w * w;
        }

        public static (Tensor?, object?, Tensor?) backward(FunctionCtx ctx, Tensor g)
        {
            var w = ctx.saved_tensors[0]!;
            var needs = ctx.needs_input_grad;
            return (needs[0] ? g * (double)ctx["k"]! : null, null, needs[2] ? g * 2 * w : null);
        }
    }

    [Test]
    public void CustomFunctionWithNumberArgumentAndTupleGradients()
    {
        var x = D(1, 2).requires_grad_();
        var w = D(3, 4);
        var y = ScaleAdd.apply(x, 10.0, w);
        Assert.That(y.grad_fn!.name(), Is.EqualTo("ScaleAddBackward"));
        Assert.That(y.grad_fn!.next_functions, Has.Count.EqualTo(2), "edges only for tensor arguments");
        y.sum().backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([10., 10.], dtype=torch.float64)"));
        Assert.That(torch.autograd.gradcheck(xs => ScaleAdd.apply(xs[0], 10.0, xs[1]), [D(1, 2).requires_grad_(), D(3, 4).requires_grad_()]), Is.True);
        Assert.That(torch.autograd.gradgradcheck(xs => ScaleAdd.apply(xs[0], 10.0, xs[1]), [D(1, 2).requires_grad_(), D(3, 4).requires_grad_()]), Is.True);
    }

    private sealed class RecordsNeeds : torch.autograd.Function<RecordsNeeds>
    {
        public static bool[] Last = [];
        public static Tensor forward(FunctionCtx ctx, Tensor a, double k, Tensor b) { Last = ctx.needs_input_grad.ToArray(); return a * k + b; }
        public static (Tensor, object?, Tensor) backward(FunctionCtx ctx, Tensor g) => (g, null, g);
    }

    [Test]
    public void CustomFunctionNeedsInputGrad()
    {
        // One flag per forward argument; a number never needs one.
        var x = D(1).requires_grad_();
        RecordsNeeds.apply(x, 2.0, D(1));
        Assert.That(RecordsNeeds.Last, Is.EqualTo(new[] { true, false, false }));
        RecordsNeeds.apply(D(1), 2.0, x);
        Assert.That(RecordsNeeds.Last, Is.EqualTo(new[] { false, false, true }));
    }

    private sealed class TooManyGrads : torch.autograd.Function<TooManyGrads>
    {
        public static Tensor forward(FunctionCtx ctx, Tensor x) => x * 2;
        public static Tensor[] backward(FunctionCtx ctx, Tensor g) => [g, g];
    }

    [Test]
    public void WrongNumberOfGradientsThrows()
    {
        var y = TooManyGrads.apply(D(1).requires_grad_());
        Assert.That(Assert.Throws<InvalidOperationException>(() => y.sum().backward())!.Message,
            Is.EqualTo("function TooManyGradsBackward returned an incorrect number of gradients (expected 1, got 2)"));
    }

    private sealed class SavesInput : torch.autograd.Function<SavesInput>
    {
        public static Tensor forward(FunctionCtx ctx, Tensor x) { ctx.save_for_backward(x); return x.exp(); }
        public static Tensor backward(FunctionCtx ctx, Tensor g) => g * ctx.saved_tensors[0]!.exp();
    }

    [Test]
    public void CustomFunctionSavedTensorsAreVersionChecked()
    {
        var x = D(1, 2).requires_grad_();
        var h = x * 1;
        var y = SavesInput.apply(h);
        h.add_(1);
        Assert.That(Assert.Throws<InvalidOperationException>(() => y.sum().backward())!.Message,
            // A saved input is named by its grad_fn at backward time (saved_variable.cpp uses data_.grad_fn()).
            Does.StartWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.DoubleTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead."));
    }
}
