using Notebooks.Tensors.Autograd;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// The CPU's fused convolution and max-pooling kernels (Backend/Cpu/ConvolutionKernels.cs, PoolingKernels.cs) against
/// the composed path every backend runs (im2col as a strided copy, one bmm, tap-by-tap col2im): the same bits, values,
/// indices and gradients. A first-order backward takes the fused kernels; create_graph: true records the composed ops.
/// </summary>
public class FusedWindowKernelTests
{
    // (N, Cin, H, W, Cout, kernel, stride, padding, dilation, groups): LeNet's two convolutions, then strides,
    // dilation, padding wider than a tap, groups and a depthwise one; the last one takes the im2row forward (16 output
    // channels per group fill the micro-kernel's columns) with stride, padding, dilation and groups at once.
    private static readonly object[] Geometries =
    [
        new long[] { 4, 1, 28, 28, 6, 5, 1, 2, 1, 1 },
        new long[] { 4, 6, 14, 14, 16, 5, 1, 0, 1, 1 },
        new long[] { 3, 4, 17, 13, 6, 3, 2, 1, 2, 2 },
        new long[] { 2, 6, 12, 11, 6, 3, 3, 3, 1, 6 },
        new long[] { 5, 3, 9, 20, 8, 4, 1, 1, 1, 1 },
        new long[] { 3, 4, 15, 13, 32, 3, 2, 1, 2, 2 },
    ];

    private static bool SameBits(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.to(torch.float64).reshape(-1).ToArray<double>()
            .Zip(b.to(torch.float64).reshape(-1).ToArray<double>()).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second));

    [TestCaseSource(nameof(Geometries))]
    public void Convolution_forward_and_gradients_have_the_composed_paths_bits(long[] c)
    {
        foreach (var dtype in new[] { torch.float32, torch.float64 })
        {
            var gen = new Generator().manual_seed(7);
            long groups = c[9];
            var x = torch.randn([c[0], c[1], c[2], c[3]], dtype: dtype, generator: gen).requires_grad_();
            var w = torch.randn([c[4], c[1] / groups, c[5], c[5]], dtype: dtype, generator: gen).requires_grad_();
            var b = torch.randn([c[4]], dtype: dtype, generator: gen).requires_grad_();
            var spec = new ConvSpec([c[6], c[6]], [c[7], c[7]], [c[8], c[8]], [0, 0], false, groups);

            Tensor fused, composed;
            using (new NoGradScope())
            {
                fused = ConvolutionMath.Direct(x, w, b, spec);
                composed = ConvolutionMath.DirectComposed(x, w, b, spec);
            }
            Assert.That(SameBits(fused, composed), $"forward {dtype}");

            var y = F.conv2d(x, w, b, stride: c[6], padding: c[7], dilation: c[8], groups: groups);
            var gy = torch.randn(y._shape, dtype: dtype, generator: gen);
            var first = torch.autograd.grad([y], [x, w, b], [gy], retain_graph: true);
            var recorded = torch.autograd.grad([y], [x, w, b], [gy], retain_graph: true, create_graph: true);
            for (int i = 0; i < 3; i++)
                Assert.That(SameBits(first[i]!, recorded[i]!), $"gradient {i} {dtype}");
        }
    }

    [TestCase(2, 2, 0, 1, false)]
    [TestCase(3, 2, 1, 1, false)]
    [TestCase(3, 1, 1, 2, true)]
    [TestCase(2, 2, 1, 1, true)]
    public void Max_pooling_values_indices_and_gradient_have_the_composed_paths_bits(long k, long s, long p, long d, bool ceil)
    {
        var gen = new Generator().manual_seed(3);
        // Rounded to a coarse grid so windows hold ties: the first maximum's position must win on both paths. Wide
        // enough rows for the eight-window vector path, narrow ones for the scalar loop.
        foreach (long width in new long[] { 9, 28, 41 })
        {
        var x = (torch.randn([3, 4, 11, width], generator: gen) * 2).round().requires_grad_();
        var g = Pool.Geometry(x, k, s, p, d, ceil, 2, "max_pool2d");
        var (y, idx) = F.max_pool2d_with_indices(x, k, s, p, d, ceil);
        var (cy, cidx) = Pool.MaxComposed(x.detach(), g);
        Assert.That(SameBits(y, cy), "values");
        Assert.That(idx.ToArray<long>(), Is.EqualTo(cidx.ToArray<long>()), "indices");

        var gy = torch.randn(y._shape, generator: gen);
        var first = torch.autograd.grad([y], [x], [gy], retain_graph: true)[0]!;
        var recorded = torch.autograd.grad([y], [x], [gy], retain_graph: true, create_graph: true)[0]!;
        Assert.That(SameBits(first, recorded), "gradient");
        }
    }

    [Test]
    public void Max_pooling_propagates_nan_as_aten_does()
    {
        // aten/src/ATen/native/cpu/MaxPoolKernel.cpp, cpu_max_pool: `if ((val > maxval) || std::isnan(val))`, so a
        // NaN wins its window and a later NaN replaces an earlier one.
        var x = torch.tensor(new float[] { 1, float.NaN, float.NaN, 2 }).view(1, 1, 2, 2);
        var (y, idx) = F.max_pool2d_with_indices(x, 2);
        Assert.That(float.IsNaN(y.item<float>()));
        Assert.That(idx.item<long>(), Is.EqualTo(2));
        // The same in a row wide enough for the vector path: window 2 covers columns 4 and 5 of both rows.
        var wide = torch.zeros(1, 1, 2, 32);
        wide[0, 0, 0, 5] = torch.tensor(float.NaN);
        wide[0, 0, 1, 4] = torch.tensor(float.NaN);
        var (wy, widx) = F.max_pool2d_with_indices(wide, 2);
        Assert.That(float.IsNaN(wy[0, 0, 0, 2].item<float>()));
        Assert.That(widx[0, 0, 0, 2].item<long>(), Is.EqualTo(36));
        Assert.That(widx[0, 0, 0, 3].item<long>(), Is.EqualTo(6), "a tie keeps the first position");
        // A window of -inf: no tap is greater, so the index stays the window's first position (columns 8, 9).
        wide[0, 0, .., 8..10] = torch.tensor(float.NegativeInfinity);
        (wy, widx) = F.max_pool2d_with_indices(wide, 2);
        Assert.That(wy[0, 0, 0, 4].item<float>(), Is.EqualTo(float.NegativeInfinity));
        Assert.That(widx[0, 0, 0, 4].item<long>(), Is.EqualTo(8));
    }
}
