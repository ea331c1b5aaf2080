using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// Backward formulas skip the gradients no input needs (derivatives.yaml's generated code guards each output with
/// task_should_compute_output / needs_input_grad). Observed through the bytes a backward allocates: a skipped
/// gradient of a large target saves whole tensors, far more than the bookkeeping of one more leaf.
/// </summary>
public class NeedsInputGradTests
{
    // Below the Large Object Heap size (85 000 bytes) even as 8-byte elements (a formula may compute in double or
    // int64): bigger arrays are recycled by the CPU caching allocator (LargeArrayPool) and show as allocated bytes
    // only when the pool has none idle.
    private const int N = 1 << 13;
    private const long TensorBytes = N * sizeof(float);

    private static long BackwardBytes(Func<Tensor, Tensor, Tensor> loss, Tensor x, Tensor target, bool targetGrad)
    {
        var input = x.clone().requires_grad_();
        var t = targetGrad ? target.clone().requires_grad_() : target;
        var l = loss(input, t);
        long before = GC.GetAllocatedBytesForCurrentThread();
        l.backward();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(input.grad, Is.Not.Null);
        Assert.That(t.grad is not null, Is.EqualTo(targetGrad));
        return bytes;
    }

    /// <summary>
    /// Extra bytes of a backward whose target needs a gradient over one whose target does not. The leaf's
    /// AccumulateGrad clone accounts for one tensor; anything beyond is the target's formula, which must not run
    /// when the target needs nothing.
    /// </summary>
    private static long TargetFormulaBytes(Func<Tensor, Tensor, Tensor> loss, Tensor x, Tensor target)
    {
        for (int i = 0; i < 3; i++) { BackwardBytes(loss, x, target, false); BackwardBytes(loss, x, target, true); }
        long without = BackwardBytes(loss, x, target, false);
        long with = BackwardBytes(loss, x, target, true);
        return with - without - TensorBytes;
    }

    private static (Tensor x, Tensor t) Probabilities()
    {
        torch.manual_seed(0);
        return (torch.rand(N) * 0.8 + 0.1, torch.rand(N));
    }

    [Test]
    public void BinaryCrossEntropySkipsTheTargetGradient()
    {
        var (x, t) = Probabilities();
        // BinaryCrossEntropyBackward0's target formula is several element-wise ops over the whole tensor.
        Assert.That(TargetFormulaBytes((a, b) => F.binary_cross_entropy(a, b), x, t), Is.GreaterThan(2 * TensorBytes));
    }

    [Test]
    public void BinaryCrossEntropyWithLogitsSkipsTheTargetGradient()
    {
        var (x, t) = Probabilities();
        Assert.That(TargetFormulaBytes((a, b) => F.binary_cross_entropy_with_logits(a, b), x, t), Is.GreaterThan(TensorBytes / 2));
    }

    [Test]
    public void SmoothL1AndHuberSkipTheTargetGradient()
    {
        var (x, t) = Probabilities();
        Assert.That(TargetFormulaBytes((a, b) => F.smooth_l1_loss(a, b, beta: 0.5), x, t), Is.GreaterThan(TensorBytes / 2));
        Assert.That(TargetFormulaBytes((a, b) => F.huber_loss(a, b, delta: 0.5), x, t), Is.GreaterThan(TensorBytes / 2));
    }

    [Test]
    public void LerpSkipsTheEndGradient()
    {
        var (x, t) = Probabilities();
        Assert.That(TargetFormulaBytes((a, b) => a.lerp(b, 0.25).sum(), x, t), Is.GreaterThan(TensorBytes / 2));
    }

    // The same gradients whether or not the target needs one: the skipped work never fed the input's gradient.
    [Test]
    public void InputGradientsDoNotDependOnTheTargetNeedingOne()
    {
        var (x, t) = Probabilities();
        foreach (var loss in new Func<Tensor, Tensor, Tensor>[]
                 {
                     (a, b) => F.binary_cross_entropy(a, b, weight: torch.full([N], 0.5)),
                     (a, b) => F.binary_cross_entropy_with_logits(a, b, pos_weight: torch.full([N], 2.0)),
                     (a, b) => F.smooth_l1_loss(a, b, beta: 0.5),
                     (a, b) => F.huber_loss(a, b, reduction: "sum", delta: 0.5),
                 })
        {
            var a1 = x.clone().requires_grad_();
            loss(a1, t).backward();
            var a2 = x.clone().requires_grad_(); var t2 = t.clone().requires_grad_();
            loss(a2, t2).backward();
            Assert.That(a1.grad!.ToArray<float>(), Is.EqualTo(a2.grad!.ToArray<float>()));
        }
    }

    // Layer norm with a frozen input: only the affine parameters' gradients, and the same ones.
    [Test]
    public void LayerNormWithAFrozenInputGivesTheSameParameterGradients()
    {
        torch.manual_seed(1);
        var x = torch.randn(4, 8);
        var w1 = torch.randn(8).requires_grad_(); var b1 = torch.randn(8).requires_grad_();
        F.layer_norm(x, [8], w1, b1).square().sum().backward();
        var xg = x.clone().requires_grad_();
        var w2 = w1.detach().clone().requires_grad_(); var b2 = b1.detach().clone().requires_grad_();
        F.layer_norm(xg, [8], w2, b2).square().sum().backward();
        Assert.That(w1.grad!.ToArray<float>(), Is.EqualTo(w2.grad!.ToArray<float>()));
        Assert.That(b1.grad!.ToArray<float>(), Is.EqualTo(b2.grad!.ToArray<float>()));
        Assert.That(xg.grad, Is.Not.Null);
    }
}
