using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// Conv1d/Conv2d/ConvTranspose2d against libtorch (Reference/torch_layers.json): initial weights, the random draws and
/// reprs bit for bit; outputs and gradients within a float tolerance, because libtorch sums a float32 convolution in
/// oneDNN's order (and float64 in MKL's) while ours sums in our GEMM's order (see the file's "about").
/// </summary>
public class ConvReferenceTests
{
    // float32 sums of up to a few dozen products: a few ulps of the largest term.
    private const double Rtol = 1e-5, Atol = 2e-6;

    private static IEnumerable<TestCaseData> Cases()
    {
        var cases = new (string name, Func<nn.Module> make)[]
        {
            ("conv1d_plain", () => new nn.Conv1d(2, 3, kernel_size: 3)),
            ("conv1d_stride2_pad1", () => new nn.Conv1d(2, 3, kernel_size: 3, stride: 2, padding: 1)),
            ("conv1d_dilation2", () => new nn.Conv1d(2, 3, kernel_size: 3, dilation: 2)),
            ("conv1d_groups2", () => new nn.Conv1d(4, 6, kernel_size: 3, groups: 2)),
            ("conv1d_nobias", () => new nn.Conv1d(2, 3, kernel_size: 3, bias: false)),
            ("conv2d_3x3", () => new nn.Conv2d(2, 3, kernel_size: 3)),
            ("conv2d_stride2_pad1", () => new nn.Conv2d(3, 4, kernel_size: 3, stride: 2, padding: 1)),
            ("conv2d_same", () => new nn.Conv2d(2, 3, kernel_size: 3, padding: "same")),
            ("conv2d_same_even_kernel", () => new nn.Conv2d(2, 3, kernel_size: (2, 4), padding: "same")),
            ("conv2d_dilation2", () => new nn.Conv2d(2, 3, kernel_size: 3, dilation: 2)),
            ("conv2d_groups2", () => new nn.Conv2d(4, 6, kernel_size: 3, groups: 2)),
            ("conv2d_depthwise", () => new nn.Conv2d(3, 3, kernel_size: 3, padding: 1, groups: 3)),
            ("conv2d_1x1", () => new nn.Conv2d(4, 2, kernel_size: 1)),
            ("conv2d_kernel_2x3", () => new nn.Conv2d(2, 3, kernel_size: (2, 3))),
            ("conv2d_kernel_3x2_stride_2x1_pad_1x0", () => new nn.Conv2d(2, 3, kernel_size: (3, 2), stride: (2, 1), padding: (1, 0))),
            ("conv2d_reflect", () => new nn.Conv2d(2, 3, kernel_size: 3, padding: 1, padding_mode: "reflect")),
            ("conv2d_float64", () => new nn.Conv2d(2, 3, kernel_size: 3, stride: 2, padding: 1, dtype: torch.float64)),
            ("conv_transpose2d_stride2_pad1_outpad1", () => new nn.ConvTranspose2d(3, 2, kernel_size: 3, stride: 2, padding: 1, output_padding: 1)),
        };
        foreach (var seed in new[] { 0L, 42L })
            foreach (var (name, make) in cases)
                yield return new TestCaseData(seed, name, make).SetName($"{name}_seed{seed}");
    }

    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch(long seed, string name, Func<nn.Module> make)
    {
        var r = LayerReference.Get(seed, name);
        // float64 sums agree to float64 rounding of the same magnitude.
        double rtol = r.DType == torch.float64 ? 1e-13 : Rtol, atol = r.DType == torch.float64 ? 1e-14 : Atol;
        var (_, _, y) = r.Run(make, (m, x) => m!.call(x), rtol, atol);
        Assert.That(y.grad_fn!.name(), Is.EqualTo(name == "conv2d_reflect" ? "ConvolutionBackward0" : "ConvolutionBackward0"));
    }
}
