using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>Pooling's reprs (torch/nn/modules/pooling.py), errors (aten/src/ATen/native/Pool.h), grad_fn names and float64 derivatives.</summary>
public class PoolingTests
{
    [Test]
    public void Repr_is_pytorchs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new nn.MaxPool2d(2).ToString(), Is.EqualTo("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"));
            Assert.That(new nn.MaxPool2d((3, 2), stride: 1, ceil_mode: true).ToString(), Is.EqualTo("MaxPool2d(kernel_size=(3, 2), stride=1, padding=0, dilation=1, ceil_mode=True)"));
            Assert.That(new nn.AvgPool2d(3, stride: 2, padding: 1).ToString(), Is.EqualTo("AvgPool2d(kernel_size=3, stride=2, padding=1)"));
            Assert.That(new nn.AvgPool1d(2).ToString(), Is.EqualTo("AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))"));
            Assert.That(new nn.MaxPool1d(3, stride: 2).ToString(), Is.EqualTo("MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)"));
            Assert.That(new nn.AdaptiveAvgPool2d((1, 1)).ToString(), Is.EqualTo("AdaptiveAvgPool2d(output_size=(1, 1))"));
            Assert.That(new nn.AdaptiveMaxPool2d(2).ToString(), Is.EqualTo("AdaptiveMaxPool2d(output_size=2)"));
        });
    }

    [Test]
    public void Bad_arguments_fail_with_pytorchs_wording()
    {
        var x = torch.randn(1, 2, 4, 4);
        Assert.Multiple(() =>
        {
            Assert.That(() => F.max_pool2d(x, 3, padding: 2), Throws.ArgumentException.With.Message.EqualTo(
                "pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 2, kW = 3, kH = 3"));
            Assert.That(() => F.max_pool2d(x, 5), Throws.ArgumentException.With.Message.EqualTo(
                "Given input size: (2x4x4). Calculated output size: (2x0x0). Output size is too small"));
            Assert.That(() => F.avg_pool2d(x, 2, stride: 0), Throws.ArgumentException.With.Message.EqualTo("stride should be greater than zero, but got dH: 0 dW: 0"));
            Assert.That(() => F.max_pool2d(torch.randn(4, 4), 2), Throws.ArgumentException.With.Message.EqualTo("non-empty 3D or 4D (batch mode) tensor expected for input"));
            Assert.That(() => new nn.MaxPool2d(2, return_indices: true).call(x), Throws.InvalidOperationException);
        });
    }

    [Test]
    public void Grad_fn_names_are_pytorchs()
    {
        var x = torch.randn(1, 2, 4, 4, requires_grad: true);
        var x1 = torch.randn(1, 2, 6, requires_grad: true);
        Assert.Multiple(() =>
        {
            Assert.That(F.max_pool2d(x, 2).grad_fn!.name(), Is.EqualTo("MaxPool2DWithIndicesBackward0"));
            Assert.That(F.avg_pool2d(x, 2).grad_fn!.name(), Is.EqualTo("AvgPool2DBackward0"));
            Assert.That(F.adaptive_avg_pool2d(x, 1).grad_fn!.name(), Is.EqualTo("MeanBackward1"));
            Assert.That(F.adaptive_avg_pool2d(x, 3).grad_fn!.name(), Is.EqualTo("AdaptiveAvgPool2DBackward0"));
            Assert.That(F.adaptive_max_pool2d(x, 3).grad_fn!.name(), Is.EqualTo("AdaptiveMaxPool2DBackward0"));
            // ATen's max_pool1d_with_indices and avg_pool1d pool a row of height 1 and squeeze it away.
            Assert.That(F.max_pool1d(x1, 2).grad_fn!.name(), Is.EqualTo("SqueezeBackward1"));
            Assert.That(F.avg_pool1d(x1, 2).grad_fn!.name(), Is.EqualTo("SqueezeBackward1"));
        });
    }

    [Test]
    public void Unbatched_input_and_ceil_mode_shapes()
    {
        var x = torch.randn(2, 5, 5);
        Assert.That(F.max_pool2d(x, 2).shape, Is.EqualTo(torch.Size(2, 2, 2)));
        Assert.That(F.max_pool2d(x, 2, ceil_mode: true).shape, Is.EqualTo(torch.Size(2, 3, 3)));
        // pooling_output_shape: with ceil_mode the last window must start inside the input or its left padding.
        Assert.That(F.avg_pool2d(torch.randn(1, 1, 4, 4), 2, stride: 2, padding: 1, ceil_mode: true).shape, Is.EqualTo(torch.Size(1, 1, 3, 3)));
    }

    private static IEnumerable<TestCaseData> GradCases()
    {
        yield return new TestCaseData("max_pool2d 3 stride 2 pad 1 dilation 1", (Func<Tensor, Tensor>)(x => F.max_pool2d(x, 3, stride: 2, padding: 1)));
        yield return new TestCaseData("max_pool2d dilation 2 ceil", (Func<Tensor, Tensor>)(x => F.max_pool2d(x, 2, stride: 2, dilation: 2, ceil_mode: true)));
        yield return new TestCaseData("avg_pool2d exclude pad ceil", (Func<Tensor, Tensor>)(x => F.avg_pool2d(x, 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: false)));
        yield return new TestCaseData("adaptive_avg_pool2d 3x2", (Func<Tensor, Tensor>)(x => F.adaptive_avg_pool2d(x, (3, 2))));
        yield return new TestCaseData("adaptive_max_pool2d 2", (Func<Tensor, Tensor>)(x => F.adaptive_max_pool2d(x, 2)));
        yield return new TestCaseData("max_pool1d 2", (Func<Tensor, Tensor>)(x => F.max_pool1d(x.flatten(2), 2)));
    }

    [TestCaseSource(nameof(GradCases))]
    public void Gradcheck_and_gradgradcheck_in_float64(string name, Func<Tensor, Tensor> f)
    {
        // Distinct values, so no window has a tie that finite differences would straddle.
        var x = torch.randperm(2 * 2 * 5 * 5, generator: new Generator().manual_seed(1)).to(torch.float64).view(2, 2, 5, 5).div(10).requires_grad_();
        Assert.That(torch.autograd.gradcheck(f, x), Is.True, name);
        Assert.That(torch.autograd.gradgradcheck(f, x), Is.True, name);
    }
}
