using System.Text.RegularExpressions;
using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors.Tests.Autograd;

/// <summary>
/// PyTorch's autograd rules and error wording (torch/csrc/autograd: variable.cpp, engine.cpp, saved_variable.cpp,
/// python_variable.cpp; torch/autograd/__init__.py), checked on small graphs whose values are worked out by hand.
/// </summary>
public class AutogradRulesTests
{
    private static Tensor Vec(params double[] v) => torch.tensor(v);

    // ---------------- tracking ----------------

    [Test]
    public void LeafFlagsAndGradStartAsNone()
    {
        var x = torch.ones(2, 2, requires_grad: true);
        var y = x * 2;
        Assert.Multiple(() =>
        {
            Assert.That(x.is_leaf, Is.True);
            Assert.That(x.grad, Is.Null);
            Assert.That(x.grad_fn, Is.Null);
            Assert.That(y.is_leaf, Is.False);
            Assert.That(y.requires_grad, Is.True);
            Assert.That(torch.ones(2).is_leaf, Is.True, "a tensor that doesn't require grad is a leaf");
        });
    }

    [Test]
    public void RequiresGradOnNonLeafThrows()
    {
        var y = torch.ones(2, requires_grad: true) + 1;
        var e = Assert.Throws<InvalidOperationException>(() => y.requires_grad = false)!;
        Assert.That(e.Message, Is.EqualTo("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."));
    }

    [Test]
    public void RequiresGradOnIntegerTensorThrows() =>
        Assert.That(Assert.Throws<InvalidOperationException>(() => torch.tensor(new long[] { 1, 2 }).requires_grad_())!.Message,
            Is.EqualTo("Only Tensors of floating point and complex dtype can require gradients"));   // torch/csrc/autograd/variable.h

    [Test]
    public void RequiresGradUnderscoreReturnsSelf()
    {
        var x = torch.ones(3);
        Assert.That(x.requires_grad_(), Is.SameAs(x));
        Assert.That(x.requires_grad, Is.True);
    }

    // TensorBase::grad() TORCH_WARNs (not _ONCE) and Python's default filter shows it once per line of user code:
    // a read inside a loop warns once, a read on another line again.
    [Test]
    public void NonLeafGradIsNullAndWarnsOncePerPlace()
    {
        var y = torch.ones(2, requires_grad: true) * 3;
        y.sum().backward();
        using var _ = warnings.catch_warnings();
        warnings.simplefilter("default");
        var text = StdErr.Of(() =>
        {
            for (int i = 0; i < 3; i++) Assert.That(y.grad, Is.Null);
        });
        Assert.That(text, Does.StartWith("UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed."));
        Assert.That(Regex.Matches(text, "UserWarning").Count, Is.EqualTo(1));
        Assert.That(Regex.Matches(StdErr.Of(() => Assert.That(y.grad, Is.Null)), "UserWarning").Count, Is.EqualTo(1));
    }

    // The warning's condition includes !grad.defined(): a grad assigned to a non-leaf by hand is read silently.
    [Test]
    public void NonLeafGradAssignedByHandDoesNotWarn()
    {
        var y = torch.ones(2, requires_grad: true) * 3;
        y.grad = torch.zeros(2);
        using var _ = warnings.catch_warnings();
        warnings.simplefilter("always");
        Assert.That(StdErr.Of(() => Assert.That(y.grad!.ToString(), Is.EqualTo("tensor([0., 0.])"))), Is.Empty);
    }

    [Test]
    public void RetainGradKeepsNonLeafGradient()
    {
        var x = Vec(1, 2).requires_grad_();
        var y = x * x;
        y.retain_grad();
        (y * 3).sum().backward();
        Assert.That(y.grad!.ToString(), Is.EqualTo("tensor([3., 3.])"));
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([ 6., 12.])"));
        Assert.That(y.retains_grad, Is.True);
    }

    [Test]
    public void TensorHookSeesAndReplacesGradient()
    {
        var x = Vec(1, 2).requires_grad_();
        Tensor? seen = null;
        var y = x * 2;
        y.register_hook(g => { seen = g; return g * 10; });
        y.sum().backward();
        Assert.That(seen!.ToString(), Is.EqualTo("tensor([1., 1.])"));
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([20., 20.])"));
    }

    [Test]
    public void LeafHookRunsBeforeAccumulation()
    {
        var x = Vec(1, 2).requires_grad_();
        x.register_hook(g => g * 2);
        (x * 3).sum().backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([6., 6.])"));
    }

    // ---------------- grad_fn names and next_functions ----------------

    private static readonly (string name, Func<Tensor, Tensor> op)[] Names =
    [
        ("AddBackward0", x => x + 2), ("AddBackward0", x => x + x), ("SubBackward0", x => x - x), ("RsubBackward1", x => 2 - x),
        ("MulBackward0", x => x * 2), ("MulBackward0", x => x * x), ("DivBackward0", x => x / 2), ("DivBackward0", x => x / x),
        ("PowBackward0", x => x.pow(2)), ("PowBackward1", x => x.pow(x)), ("NegBackward0", x => -x),
        ("MeanBackward0", x => x.mean()), ("MeanBackward1", x => x.mean(0)),
        ("SumBackward0", x => x.sum()), ("SumBackward1", x => x.sum(0)),
        ("ProdBackward0", x => x.prod()), ("ProdBackward1", x => x.prod(0)),
        ("MmBackward0", x => x.mm(x)), ("ExpBackward0", x => x.exp()), ("SinBackward0", x => x.sin()),
        ("TBackward0", x => x.t()), ("ViewBackward0", x => x.view(4)), ("TransposeBackward0", x => x.transpose(0, 1)),
        ("UnsafeViewBackward0", x => x.t().reshape(4)), ("CloneBackward0", x => x.clone()),
        ("SqueezeBackward0", x => x.unsqueeze(0).squeeze()), ("SqueezeBackward1", x => x.unsqueeze(0).squeeze(0)),
        ("UnsqueezeBackward0", x => x.unsqueeze(0)), ("PermuteBackward0", x => x.permute(1, 0)),
        ("SelectBackward0", x => x.select(0, 1)), ("ExpandBackward0", x => x.unsqueeze(0).expand(3, 2, 2)),
        ("DotBackward0", x => x.select(0, 0).dot(x.select(0, 1))), ("MvBackward0", x => x.mv(x.select(0, 0))),
        ("SqueezeBackward4", x => x.select(0, 0).matmul(x)), ("MaxBackward1", x => x.max()), ("AmaxBackward0", x => x.amax(0)),
        ("SigmoidBackward0", x => x.sigmoid()), ("TanhBackward0", x => x.tanh()), ("ReluBackward0", x => x.relu()),
        ("SoftmaxBackward0", x => x.softmax(0)), ("LogSoftmaxBackward0", x => x.log_softmax(0)),
        ("CumsumBackward0", x => x.cumsum(0)), ("FlipBackward0", x => x.flip(0)),
    ];

    [TestCaseSource(nameof(NameCases))]
    public void GradFnNamesMatchPyTorch(string expected, Func<Tensor, Tensor> op)
    {
        // Names as PyTorch 2.x prints them (derivatives.yaml order gives the digit: squeeze_.dim is SqueezeBackward4).
        var x = torch.tensor(new double[,] { { 1, 2 }, { 3, 4 } }, dtype: torch.float32).requires_grad_();
        Assert.That(op(x).grad_fn!.name(), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> NameCases() =>
        Names.Select(n => new TestCaseData(n.name, n.op).SetArgDisplayNames(n.name));

    [Test]
    public void GradFnPrintsLikeAPythonObject()
    {
        var y = torch.ones(2, requires_grad: true) + 2;
        Assert.That(y.grad_fn!.ToString(), Does.Match("^<AddBackward0 object at 0x[0-9a-f]+>$"));
    }

    [Test]
    public void NextFunctionsEndInAccumulateGrad()
    {
        var a = torch.ones(2, requires_grad: true);
        var b = torch.ones(2);
        var y = (a * b).exp();
        var next = y.grad_fn!.next_functions;
        Assert.That(next, Has.Count.EqualTo(1));
        Assert.That(next[0].fn!.name(), Is.EqualTo("MulBackward0"));
        var mulNext = next[0].fn!.next_functions;
        Assert.That(mulNext[0].fn, Is.InstanceOf<AccumulateGrad>());
        Assert.That(((AccumulateGrad)mulNext[0].fn!).variable, Is.SameAs(a));
        Assert.That(mulNext[1].fn, Is.Null, "b doesn't require grad: (None, 0)");
        Assert.That(mulNext[0].index, Is.EqualTo(0));
    }

    // ---------------- backward ----------------

    [Test]
    public void NonScalarBackwardWithoutGradientThrows()
    {
        var y = torch.ones(2, requires_grad: true) * 2;
        Assert.That(Assert.Throws<InvalidOperationException>(() => y.backward())!.Message,
            Is.EqualTo("grad can be implicitly created only for scalar outputs"));
    }

    [Test]
    public void RootWithoutGradThrows() =>
        Assert.That(Assert.Throws<InvalidOperationException>(() => torch.ones(1).sum().backward())!.Message,
            Is.EqualTo("element 0 of tensors does not require grad and does not have a grad_fn"));

    [Test]
    public void GradientsAccumulate()
    {
        var x = Vec(1, 2, 3).requires_grad_();
        (x * x).sum().backward();
        (x * x).sum().backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([ 4.,  8., 12.])"));
    }

    [Test]
    public void SecondBackwardThroughFreedGraphThrows()
    {
        var x = Vec(1, 2).requires_grad_();
        var y = (x * x).sum();
        y.backward();
        var e = Assert.Throws<InvalidOperationException>(() => y.backward())!;
        Assert.That(e.Message, Is.EqualTo(
            "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
            "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
            "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward."));
    }

    [Test]
    public void RetainGraphAllowsSecondBackward()
    {
        var x = Vec(1, 2).requires_grad_();
        var y = (x * x).sum();
        y.backward(retain_graph: true);
        y.backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([4., 8.])"));
    }

    [Test]
    public void BackwardWithInputsOnlyFillsThose()
    {
        var a = Vec(1, 2).requires_grad_();
        var b = Vec(3, 4).requires_grad_();
        (a * b).sum().backward(inputs: [a]);
        Assert.That(a.grad!.ToString(), Is.EqualTo("tensor([3., 4.])"));
        Assert.That(b.grad, Is.Null);
    }

    [Test]
    public void BackwardGradientShapeMustMatch()
    {
        var y = torch.ones(2, requires_grad: true) * 2;
        Assert.That(Assert.Throws<ArgumentException>(() => y.backward(torch.ones(3)))!.Message,
            Is.EqualTo("Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2])."));
    }

    [Test]
    public void CreateGraphMakesGradDifferentiable()
    {
        var x = torch.tensor(3.0, requires_grad: true);
        var y = x.pow(3);
        y.backward(create_graph: true);
        Assert.That(x.grad!.requires_grad, Is.True);
        var g = x.grad!;
        x.grad = null;
        g.backward();
        Assert.That(x.grad!.item<double>(), Is.EqualTo(18.0)); // d²(x³)/dx² = 6x
    }

    // ---------------- modes ----------------

    [Test]
    public void NoGradEnableGradAndSetGradEnabledNest()
    {
        var x = torch.ones(2, requires_grad: true);
        using (torch.no_grad())
        {
            Assert.That(torch.is_grad_enabled(), Is.False);
            Assert.That((x * 2).requires_grad, Is.False);
            using (torch.enable_grad()) Assert.That((x * 2).requires_grad, Is.True);
            using (torch.set_grad_enabled(true)) Assert.That(torch.is_grad_enabled(), Is.True);
        }
        Assert.That(torch.is_grad_enabled(), Is.True);
        using (torch.set_grad_enabled(false)) Assert.That((x * 2).grad_fn, Is.Null);
    }

    [Test]
    public void NoGradDecoratorForm()
    {
        var x = torch.ones(2, requires_grad: true);
        var doubled = torch.no_grad((Tensor t) => t * 2);
        Assert.That(doubled(x).requires_grad, Is.False);
        Assert.That(torch.no_grad(() => x * 2).requires_grad, Is.False);
        Assert.That((x * 2).requires_grad, Is.True);
    }

    [Test]
    public void InferenceTensorsRules()
    {
        var a = torch.ones(2, requires_grad: true);
        Tensor t;
        using (torch.inference_mode())
        {
            Assert.That(torch.is_inference_mode_enabled(), Is.True);
            t = a * 2;
        }
        Assert.Multiple(() =>
        {
            Assert.That(t.is_inference(), Is.True);
            Assert.That(t.requires_grad, Is.False);
            Assert.That(Assert.Throws<InvalidOperationException>(() => t.requires_grad = true)!.Message,
                Is.EqualTo("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."));
            Assert.That(Assert.Throws<InvalidOperationException>(() => t.add_(1))!.Message,
                Is.EqualTo("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details."));
            Assert.That(Assert.Throws<InvalidOperationException>(() => _ = a * t)!.Message,
                Is.EqualTo("Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd."));
            Assert.That((a * t.clone()).requires_grad, Is.True, "a clone is a normal tensor");
            Assert.That((a + t).requires_grad, Is.True, "add saves nothing, so an inference tensor may take part");
        });
    }

    // ---------------- detach, clone, data ----------------

    [Test]
    public void DetachSharesStorageAndVersion()
    {
        var x = Vec(1, 2).requires_grad_();
        var d = x.detach();
        Assert.That(d.requires_grad, Is.False);
        d.mul_(10);
        Assert.That(x.ToString(), Is.EqualTo("tensor([10., 20.], requires_grad=True)"));
        Assert.That(x._version.Value, Is.EqualTo(1));
    }

    [Test]
    public void DetachInPlaceCutsHistory()
    {
        var y = Vec(1, 2).requires_grad_() * 2;
        y.detach_();
        Assert.That(y.requires_grad, Is.False);
        Assert.That(y.grad_fn, Is.Null);
        Assert.That(y.is_leaf, Is.True);
    }

    [Test]
    public void CloneIsDifferentiable()
    {
        var x = Vec(1, 2).requires_grad_();
        var c = x.clone();
        Assert.That(c.grad_fn!.name(), Is.EqualTo("CloneBackward0"));
        (c * 3).sum().backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([3., 3.])"));
    }

    [Test]
    public void DataWritesAreInvisibleToAutograd()
    {
        var x = Vec(1, 2).requires_grad_();
        var y = x.exp();
        x.data.mul_(2); // .data has its own version counter, so the saved-tensor check doesn't fire
        Assert.DoesNotThrow(() => y.sum().backward());
        Assert.That(x.data.requires_grad, Is.False);
    }

    // ---------------- in-place safety ----------------

    [Test]
    public void ModifiedSavedOutputIsReported()
    {
        var x = torch.ones(3, requires_grad: true);
        var y = x.exp();
        y.add_(1);
        var e = Assert.Throws<InvalidOperationException>(() => y.sum().backward())!;
        Assert.That(e.Message, Is.EqualTo(
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. " +
            "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True)."));
    }

    [Test]
    public void InPlaceOnLeafRequiringGradThrows()
    {
        var x = torch.ones(3, requires_grad: true);
        Assert.That(Assert.Throws<InvalidOperationException>(() => x.add_(1))!.Message,
            Is.EqualTo("a leaf Variable that requires grad is being used in an in-place operation."));
        using (torch.no_grad()) x.add_(1);
        Assert.That(x.ToString(), Is.EqualTo("tensor([2., 2., 2.], requires_grad=True)"));
    }

    [Test]
    public void InPlaceOnNonLeafIsDifferentiated()
    {
        var x = Vec(1, 2).requires_grad_();
        var y = x * 2;
        y.mul_(3).exp_(); // exp(6x) → d/dx = 6·exp(6x); exp_ saves its own output, at the version it wrote
        y.sum().backward();
        Assert.That(y.grad_fn!.name(), Is.EqualTo("ExpBackward0"));
        Assert.That(x.grad!.ToString(), Is.EqualTo((torch.exp(Vec(6, 12)) * 6).ToString()));
    }

    [Test]
    public void MulInPlaceBySelfInvalidatesItsOwnSavedInput()
    {
        // PyTorch raises here too: mul_ saved `other` (y at version 0) and then wrote into it.
        var y = Vec(1, 2).requires_grad_() * 2;
        y.mul_(y);
        Assert.That(Assert.Throws<InvalidOperationException>(() => y.sum().backward())!.Message,
            Does.StartWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead."));
    }

    [Test]
    public void InPlaceThroughViewGivesCopySlices()
    {
        var x = Vec(1, 2, 3).requires_grad_();
        var y = x * 1;
        y.select(0, 1).mul_(5);
        Assert.That(y.grad_fn!.name(), Is.EqualTo("CopySlices"));
        y.sum().backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([1., 5., 1.])"));
    }

    // ---------------- deep graphs ----------------

    [Test]
    public void HundredThousandOpChainBackpropagates()
    {
        var x = torch.tensor(1.0, requires_grad: true);
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y * 1.0;
        Assert.That(y.ToString(), Is.EqualTo("tensor(1., grad_fn=<MulBackward0>)"));
        y.backward();
        Assert.That(x.grad!.item<double>(), Is.EqualTo(1.0));
    }

    [Test]
    public void HundredThousandOpChainCanBeDroppedAndCollected()
    {
        var x = torch.tensor(1.0, requires_grad: true);
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y + 1.0;
        Assert.That(y.item<double>(), Is.EqualTo(100_001.0));
        y = null!;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Pass("no finalizer recursion");
    }
}
