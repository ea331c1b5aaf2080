using Notebooks.Tensors.Tests.Core;
namespace Notebooks.Tensors.Tests.Ops;

/// <summary>
/// torch.lerp as ATen/native/Lerp.h computes it: self + w·(end − self) below |w| = 0.5, end − (end − self)·(1 − w) from
/// there, each one fused multiply-add (lerp_vec calls vec::fmadd; GCC contracts the scalar lambda alike). The data
/// makes the fused and the two-rounding forms disagree somewhere, so the test can tell them apart.
/// </summary>
public class LerpTests : CoreTestBase
{
    [TestCase(0.1)]
    [TestCase(0.3)]
    [TestCase(0.7)]
    [TestCase(0.95)]
    public void Scalar_weight_rounds_once_on_either_side_of_one_half(double weight)
    {
        var g = new Generator().manual_seed(4);
        var a = torch.randn(new long[] { 200 }, generator: g);
        var b = torch.randn(new long[] { 200 }, generator: g) * 3;
        float w = (float)weight;
        float[] xa = a.ToArray<float>(), xb = b.ToArray<float>();
        var fused = new float[200]; var unfused = new float[200];
        for (int i = 0; i < 200; i++)
        {
            float d = xb[i] - xa[i];
            fused[i] = w < 0.5f ? MathF.FusedMultiplyAdd(w, d, xa[i]) : MathF.FusedMultiplyAdd(-(1f - w), d, xb[i]);
            unfused[i] = w < 0.5f ? xa[i] + w * d : xb[i] - d * (1f - w);
        }
        Assert.That(a.lerp(b, weight).ToArray<float>(), Is.EqualTo(fused));
        Assert.That(torch.lerp(a, b, weight).ToArray<float>(), Is.EqualTo(fused));
        Assert.That(fused, Is.Not.EqualTo(unfused));
        var c = a.clone();
        c.lerp_(b, weight);
        Assert.That(c.ToArray<float>(), Is.EqualTo(fused));
    }

    [Test]
    public void Tensor_weight_picks_the_form_per_element()
    {
        var g = new Generator().manual_seed(6);
        var a = torch.randn(new long[] { 64 }, generator: g);
        var b = torch.randn(new long[] { 64 }, generator: g);
        var w = torch.rand(new long[] { 64 }, generator: g);
        float[] xa = a.ToArray<float>(), xb = b.ToArray<float>(), xw = w.ToArray<float>();
        var expected = new float[64];
        for (int i = 0; i < 64; i++)
        {
            float d = xb[i] - xa[i];
            expected[i] = Math.Abs(xw[i]) < 0.5f ? MathF.FusedMultiplyAdd(xw[i], d, xa[i]) : MathF.FusedMultiplyAdd(xw[i] - 1f, d, xb[i]);
        }
        Assert.That(a.lerp(b, w).ToArray<float>(), Is.EqualTo(expected));
    }

    [Test]
    public void Grad_fns_and_gradients_follow_derivatives_yaml()
    {
        var a = torch.tensor(new[] { 1f, 2f }, requires_grad: true);
        var b = torch.tensor(new[] { 3f, 5f }, requires_grad: true);
        var r = a.lerp(b, 0.25);
        Assert.That(Repr(r), Is.EqualTo("tensor([1.5000, 2.7500], grad_fn=<LerpBackward0>)"));
        r.sum().backward();
        Assert.That(Repr(a.grad!), Is.EqualTo("tensor([0.7500, 0.7500])"));
        Assert.That(Repr(b.grad!), Is.EqualTo("tensor([0.2500, 0.2500])"));

        var w = torch.tensor(new[] { 0.5f, 1f }, requires_grad: true);
        var t = a.lerp(b, w);
        Assert.That(Repr(t), Is.EqualTo("tensor([2., 5.], grad_fn=<LerpBackward1>)"));
        t.sum().backward();
        Assert.That(Repr(w.grad!), Is.EqualTo("tensor([2., 3.])"));
    }
}
