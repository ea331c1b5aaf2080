using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// Convolution, pooling, normalisation, padding and resampling on the cuda backend (ILGPU's CPU accelerator in CI):
/// the same values and gradients as on the CPU, since they are built from the backends' strided copy, element-wise
/// and GEMM kernels.
/// </summary>
public class CudaConvolutionTests
{
    private static void Close(Tensor cuda, Tensor cpu, string what) =>
        Assert.That(torch.allclose(cuda.cpu(), cpu, rtol: 1e-5, atol: 1e-5), Is.True, $"{what}: {(cuda.cpu() - cpu).abs().max()}");

    [Test]
    public void Cnn_forward_and_backward_match_the_cpu()
    {
        torch.manual_seed(0);
        var model = new nn.Sequential(new nn.Conv2d(2, 4, 3, padding: 1, groups: 2), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2),
            new nn.ConvTranspose2d(4, 3, 3, stride: 2, padding: 1, output_padding: 1), new nn.GroupNorm(1, 3), new nn.AvgPool2d(3, stride: 2, padding: 1),
            new nn.AdaptiveAvgPool2d((2, 3)));
        var x = torch.randn(2, 2, 8, 8);
        var cpuY = model.call(x);
        (cpuY * cpuY).sum().backward();
        var cpuGrads = model.parameters().Select(p => p.grad!.clone()).ToArray();
        model.zero_grad();
        model.to(torch.device("cuda"));
        var y = model.call(x.cuda());
        Assert.That(y.device.type, Is.EqualTo("cuda"));
        Close(y, cpuY.detach(), "output");
        (y * y).sum().backward();
        foreach (var (g, cpu) in model.parameters().Select(p => p.grad!).Zip(cpuGrads)) Close(g, cpu, "gradient");
    }

    [Test]
    public void Padding_resampling_and_unfold_match_the_cpu()
    {
        torch.manual_seed(1);
        var x = torch.randn(1, 2, 4, 5);
        var xc = x.cuda();
        Close(F.pad(xc, [1, 2, 2, 1], mode: "reflect"), F.pad(x, [1, 2, 2, 1], mode: "reflect"), "reflect pad");
        Close(F.interpolate(xc, scale_factor: 2, mode: "bilinear"), F.interpolate(x, scale_factor: 2, mode: "bilinear"), "bilinear");
        Close(F.unfold(xc, 2, padding: 1), F.unfold(x, 2, padding: 1), "unfold");
        var (v, i) = F.max_pool2d_with_indices(xc, 2, ceil_mode: true);
        var (vc, ic) = F.max_pool2d_with_indices(x, 2, ceil_mode: true);
        Close(v, vc, "max pool");
        Assert.That(torch.equal(i.cpu(), ic), Is.True);
    }
}
