using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>GroupNorm, BatchNorm2d and Dropout2d: reprs and errors (torch/nn/modules/normalization.py, batchnorm.py, dropout.py), float64 derivatives.</summary>
public class GroupNormDropout2dTests
{
    [Test]
    public void Reprs_and_errors()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new nn.GroupNorm(2, 4).ToString(), Is.EqualTo("GroupNorm(2, 4, eps=1e-05, affine=True)"));
            Assert.That(new nn.Dropout2d().ToString(), Is.EqualTo("Dropout2d(p=0.5, inplace=False)"));
            Assert.That(() => new nn.GroupNorm(3, 4), Throws.ArgumentException.With.Message.EqualTo("num_channels must be divisible by num_groups"));
            Assert.That(() => new nn.BatchNorm2d(3).call(torch.randn(2, 3)), Throws.ArgumentException.With.Message.EqualTo("expected 4D input (got 2D input)"));
            Assert.That(() => new nn.Dropout2d(1.5), Throws.ArgumentException.With.Message.EqualTo("dropout probability has to be between 0 and 1, but got 1.5"));
        });
    }

    [Test]
    public void Dropout2d_zeroes_whole_channels_and_is_identity_in_eval()
    {
        torch.manual_seed(0);
        var m = new nn.Dropout2d(0.5);
        var y = m.call(torch.ones(8, 16, 3, 3));
        var perChannel = y.amax([2L, 3]);
        Assert.That(torch.equal(y, perChannel.view(8, 16, 1, 1).expand(8, 16, 3, 3)), Is.True);
        Assert.That(perChannel.reshape(-1).ToArray<float>().Distinct().Order(), Is.EqualTo(new[] { 0f, 2f }));
        m.eval();
        var x = torch.randn(2, 3, 4, 4);
        Assert.That(m.call(x), Is.SameAs(x));
    }

    [Test]
    public void Group_norm_gradcheck_in_float64()
    {
        var g = new Generator().manual_seed(5);
        var x = torch.randn([2, 4, 3, 2], dtype: torch.float64, generator: g).requires_grad_();
        var w = torch.randn([4], dtype: torch.float64, generator: g).requires_grad_();
        var b = torch.randn([4], dtype: torch.float64, generator: g).requires_grad_();
        Assert.That(torch.autograd.gradcheck(t => F.group_norm(t[0], 2, t[1], t[2]), [x, w, b]), Is.True);
        Assert.That(torch.autograd.gradcheck(t => new nn.BatchNorm2d(4).@double().call(t[0]), [x]), Is.True);
    }
}
