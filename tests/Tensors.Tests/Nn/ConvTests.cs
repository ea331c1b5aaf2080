using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>Convolutions' argument rules, reprs and errors (torch/nn/modules/conv.py, aten/src/ATen/native/Convolution.cpp), and their derivatives in float64.</summary>
public class ConvTests
{
    private static Tensor R(Generator g, params long[] shape) => torch.randn(shape, dtype: torch.float64, generator: g).requires_grad_();

    [Test]
    public void Repr_is_pytorchs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new nn.Conv2d(1, 6, 5, padding: 2).ToString(), Is.EqualTo("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))"));
            Assert.That(new nn.Conv1d(2, 3, 3, stride: 2, bias: false).ToString(), Is.EqualTo("Conv1d(2, 3, kernel_size=(3,), stride=(2,), bias=False)"));
            Assert.That(new nn.Conv2d(4, 6, (2, 4), padding: "same", dilation: 2, groups: 2, padding_mode: "reflect").ToString(),
                Is.EqualTo("Conv2d(4, 6, kernel_size=(2, 4), stride=(1, 1), padding=same, dilation=(2, 2), groups=2, padding_mode=reflect)"));
            Assert.That(new nn.ConvTranspose2d(3, 2, 3, stride: 2, padding: 1, output_padding: 1).ToString(),
                Is.EqualTo("ConvTranspose2d(3, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))"));
            Assert.That(new nn.ConvTranspose2d(4, 6, 3, groups: 2).weight.shape, Is.EqualTo(torch.Size(4, 3, 3, 3)));
        });
    }

    [Test]
    public void Bad_arguments_fail_with_pytorchs_wording()
    {
        Assert.Multiple(() =>
        {
            // torch/nn/modules/conv.py, _ConvNd.__init__
            Assert.That(() => new nn.Conv2d(3, 4, 3, groups: 2), Throws.ArgumentException.With.Message.EqualTo("in_channels must be divisible by groups"));
            Assert.That(() => new nn.Conv2d(4, 3, 3, groups: 2), Throws.ArgumentException.With.Message.EqualTo("out_channels must be divisible by groups"));
            Assert.That(() => new nn.Conv2d(4, 4, 3, groups: 0), Throws.ArgumentException.With.Message.EqualTo("groups must be a positive integer"));
            Assert.That(() => new nn.Conv2d(1, 1, 3, stride: 2, padding: "same"), Throws.ArgumentException.With.Message.EqualTo("padding='same' is not supported for strided convolutions"));
            Assert.That(() => new nn.Conv2d(1, 1, 3, padding: "full"), Throws.ArgumentException.With.Message.StartsWith("Invalid padding string 'full', should be one of"));
            Assert.That(() => new nn.Conv2d(1, 1, new long[] { 1, 2, 3 }), Throws.ArgumentException.With.Message.EqualTo("kernel_size must be either a single int, or a tuple of 2 ints"));
            // aten/src/ATen/native/Convolution.cpp: batchify, check_shape_forward, check_input_same_type_as_parameters
            var conv = new nn.Conv2d(1, 6, 5);
            Assert.That(() => conv.call(torch.randn(2, 3)), Throws.ArgumentException.With.Message.EqualTo("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3]"));
            Assert.That(() => conv.call(torch.randn(4, 3, 28, 28)), Throws.ArgumentException.With.Message.EqualTo(
                "Given groups=1, weight of size [6, 1, 5, 5], expected input[4, 3, 28, 28] to have 1 channels, but got 3 channels instead"));
            Assert.That(() => conv.call(torch.randn(1, 1, 4, 4)), Throws.ArgumentException.With.Message.EqualTo(
                "Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel size can't be greater than actual input size"));
            Assert.That(() => conv.call(torch.randn(1, 1, 8, 8, dtype: torch.float64)), Throws.InvalidOperationException.With.Message.EqualTo(
                "Input type (CPUDoubleType) and weight type (CPUFloatType) should be the same"));
            Assert.That(() => F.conv1d(torch.randn(1, 2, 5), torch.randn(3, 2, 3), torch.randn(4)), Throws.ArgumentException.With.Message.EqualTo(
                "Given weight of size [3, 2, 3], expected bias to be 1-dimensional with 3 elements, but got bias of size [4] instead"));
        });
    }

    [Test]
    public void Unbatched_input_gives_unbatched_output()
    {
        torch.manual_seed(0);
        var conv = new nn.Conv2d(2, 3, 3, padding: 1);
        var x = torch.randn(2, 5, 5);
        var y = conv.call(x);
        Assert.That(y.shape, Is.EqualTo(torch.Size(3, 5, 5)));
        Assert.That(torch.equal(y, conv.call(x.unsqueeze(0)).squeeze(0)), Is.True);
    }

    [Test]
    public void Grad_fn_names_are_pytorchs()
    {
        var x = torch.randn(1, 2, 5, 5, requires_grad: true);
        Assert.Multiple(() =>
        {
            Assert.That(new nn.Conv2d(2, 3, 3).call(x).grad_fn!.name(), Is.EqualTo("ConvolutionBackward0"));
            Assert.That(new nn.ConvTranspose2d(2, 3, 3).call(x).grad_fn!.name(), Is.EqualTo("ConvolutionBackward0"));
            Assert.That(F.pad(x, [1, 1, 1, 1]).grad_fn!.name(), Is.EqualTo("ConstantPadNdBackward0"));
            Assert.That(F.pad(x, [1, 1, 1, 1], mode: "reflect").grad_fn!.name(), Is.EqualTo("ReflectionPad2DBackward0"));
            Assert.That(F.pad(x, [1, 1, 1, 1], mode: "replicate").grad_fn!.name(), Is.EqualTo("ReplicationPad2DBackward0"));
        });
    }

    [Test]
    public void Pad_modes_read_mirrored_clamped_and_wrapped_positions()
    {
        var x = torch.arange(4.0).view(1, 1, 4);
        Assert.Multiple(() =>
        {
            Assert.That(F.pad(x, [2, 1], mode: "reflect").reshape(-1).ToArray<float>(), Is.EqualTo(new float[] { 2, 1, 0, 1, 2, 3, 2 }));
            Assert.That(F.pad(x, [2, 1], mode: "replicate").reshape(-1).ToArray<float>(), Is.EqualTo(new float[] { 0, 0, 0, 1, 2, 3, 3 }));
            Assert.That(F.pad(x, [2, 1], mode: "circular").reshape(-1).ToArray<float>(), Is.EqualTo(new float[] { 2, 3, 0, 1, 2, 3, 0 }));
            Assert.That(F.pad(x, [1, -2], value: 9).reshape(-1).ToArray<float>(), Is.EqualTo(new float[] { 9, 0, 1 }));
            Assert.That(() => F.pad(x, [1]), Throws.ArgumentException.With.Message.EqualTo("Padding length must be divisible by 2"));
        });
    }

    private static IEnumerable<TestCaseData> GradCases()
    {
        yield return new TestCaseData("conv2d stride 2 pad 1 dilation 2", (Func<Generator, Tensor[]>)(g => [R(g, 2, 2, 6, 5), R(g, 3, 2, 2, 3), R(g, 3)]),
            (Func<Tensor[], Tensor>)(t => F.conv2d(t[0], t[1], t[2], stride: 2, padding: 1, dilation: 2)));
        yield return new TestCaseData("conv2d groups 2", (Func<Generator, Tensor[]>)(g => [R(g, 1, 4, 4, 4), R(g, 4, 2, 3, 3), R(g, 4)]),
            (Func<Tensor[], Tensor>)(t => F.conv2d(t[0], t[1], t[2], padding: (1, 0), groups: 2)));
        yield return new TestCaseData("conv2d same even kernel", (Func<Generator, Tensor[]>)(g => [R(g, 1, 2, 4, 4), R(g, 2, 2, 2, 2)]),
            (Func<Tensor[], Tensor>)(t => F.conv2d(t[0], t[1], padding: "same")));
        yield return new TestCaseData("conv1d stride 2", (Func<Generator, Tensor[]>)(g => [R(g, 2, 2, 7), R(g, 3, 2, 3), R(g, 3)]),
            (Func<Tensor[], Tensor>)(t => F.conv1d(t[0], t[1], t[2], stride: 2, padding: 1)));
        yield return new TestCaseData("conv_transpose2d stride 2 outpad 1 groups 2", (Func<Generator, Tensor[]>)(g => [R(g, 2, 4, 3, 3), R(g, 4, 1, 3, 3), R(g, 2)]),
            (Func<Tensor[], Tensor>)(t => F.conv_transpose2d(t[0], t[1], t[2], stride: 2, padding: 1, output_padding: 1, groups: 2)));
        yield return new TestCaseData("reflect pad", (Func<Generator, Tensor[]>)(g => [R(g, 1, 2, 3, 4)]),
            (Func<Tensor[], Tensor>)(t => F.pad(t[0], [2, 1, 1, 2], mode: "reflect")));
    }

    [TestCaseSource(nameof(GradCases))]
    public void Gradcheck_and_gradgradcheck_in_float64(string name, Func<Generator, Tensor[]> inputs, Func<Tensor[], Tensor> f)
    {
        var xs = inputs(new Generator().manual_seed(3));
        Assert.That(torch.autograd.gradcheck(f, xs), Is.True, name);
        Assert.That(torch.autograd.gradgradcheck(f, xs), Is.True, name);
    }
}

/// <summary>F.unfold / F.fold (im2col / col2im).</summary>
public class UnfoldFoldTests
{
    [Test]
    public void Unfold_lays_windows_out_as_columns_and_fold_sums_them_back()
    {
        var x = torch.arange(16.0).view(1, 1, 4, 4);
        var cols = F.unfold(x, 2, stride: 2);
        Assert.That(cols.shape, Is.EqualTo(torch.Size(1, 4, 4)));
        // Column 0 is the top-left window [0, 1, 4, 5]; row k is tap k of every window.
        Assert.That(cols[0, .., 0].ToArray<float>(), Is.EqualTo(new float[] { 0, 1, 4, 5 }));
        Assert.That(cols[0, 0].ToArray<float>(), Is.EqualTo(new float[] { 0, 2, 8, 10 }));
        Assert.That(torch.equal(F.fold(cols, 4, 2, stride: 2), x), Is.True);
        // Overlapping windows: fold(unfold(x)) multiplies each element by the number of windows covering it.
        var ones = F.fold(F.unfold(torch.ones(1, 1, 3, 3), 2), 3, 2);
        Assert.That(ones.reshape(-1).ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }));
        Assert.That(F.unfold(x.requires_grad_(), 3, padding: 1).grad_fn!.name(), Is.EqualTo("Im2ColBackward0"));
        Assert.That(F.fold(cols.detach().requires_grad_(), 4, 2, stride: 2).grad_fn!.name(), Is.EqualTo("Col2ImBackward0"));
        var g = new Generator().manual_seed(4);
        var xd = torch.randn([1, 2, 4, 5], dtype: torch.float64, generator: g).requires_grad_();
        Assert.That(torch.autograd.gradgradcheck(t => F.unfold(t, (2, 3), dilation: (1, 2), padding: 1, stride: (2, 1)), xd), Is.True);
        var cd = torch.randn([1, 8, 6], dtype: torch.float64, generator: g).requires_grad_();
        Assert.That(torch.autograd.gradgradcheck(t => F.fold(t, (3, 4), 2), cd), Is.True);
    }
}
