using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// Batch norm's one-pass per-channel transform (CpuBackend.ChannelAffine) gives the bits of the composed
/// <c>x * alpha + beta</c> (product rounded, then the sum: ATen's batch_norm_kernel.cpp kernel0,
/// <c>data_vec * alpha_vec + beta_vec</c>), whatever the plane length (vector body and tail), the thread split
/// (above 2^18 elements the range is cut mid-plane) and the dtype; in eval and in training.
/// </summary>
public class BatchNormAffineTests
{
    private static long[] Bits(Tensor t) => t.dtype == torch.float32
        ? t.contiguous().ToArray<float>().Select(f => (long)BitConverter.SingleToInt32Bits(f)).ToArray()
        : t.contiguous().ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static IEnumerable<TestCaseData> Shapes()
    {
        foreach (var dt in new[] { "float32", "float64" })
        {
            yield return new TestCaseData(dt, new long[] { 64, 6, 28, 28 }, true);
            yield return new TestCaseData(dt, new long[] { 3, 5, 97, 211 }, true);   // 307 k elements: split mid-plane
            yield return new TestCaseData(dt, new long[] { 2, 3, 7 }, false);
            yield return new TestCaseData(dt, new long[] { 300, 11 }, true);        // (N, C): planes of one element
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void EvalMatchesTheComposedTransformBitForBit(string dtype, long[] shape, bool affine)
    {
        var dt = dtype == "float32" ? torch.float32 : torch.float64;
        torch.manual_seed(11);
        long c = shape[1];
        var x = torch.randn(shape, dtype: dt) * 3 + 1;
        var rm = torch.randn([c], dtype: dt); var rv = torch.rand([c], dtype: dt) + 0.5;
        var w = affine ? torch.randn([c], dtype: dt) : null; var b = affine ? torch.randn([c], dtype: dt) : null;
        var y = F.batch_norm(x, rm, rv, w, b, training: false, eps: 1e-5);

        var bshape = shape.Select((d, i) => i == 1 ? d : 1L).ToArray();
        var invstd = (rv + 1e-5).rsqrt();
        var alpha = w is null ? invstd : invstd * w;
        var beta = b is null ? -rm * alpha : b - rm * alpha;
        var composed = x * alpha.view(bshape) + beta.view(bshape);
        Assert.That(Bits(y), Is.EqualTo(Bits(composed)));
        // And it is batch norm: (x - mean) / sqrt(var + eps) · w + b, to rounding.
        var plain = (x - rm.view(bshape)) / (rv.view(bshape) + 1e-5).sqrt();
        if (affine) plain = plain * w!.view(bshape) + b!.view(bshape);
        Assert.That((y - plain).abs().max().item<double>(), Is.LessThan(dt == torch.float32 ? 1e-4 : 1e-12));
    }

    [Test]
    public void TrainingForwardAndBackwardStillMatchTheComposedPath()
    {
        torch.manual_seed(5);
        var x = torch.randn(8, 4, 9, 9).requires_grad_();
        var w = torch.randn(4).requires_grad_(); var b = torch.randn(4).requires_grad_();
        var y = F.batch_norm(x, null, null, w, b, training: true);
        var mean = x.detach().mean([0, 2, 3]);
        var varSum = (x.detach() - mean.view(1, 4, 1, 1)).square().sum([0, 2, 3]);
        var invstd = (varSum / (8 * 81) + 1e-5).rsqrt();
        var alpha = invstd * w.detach(); var beta = b.detach() - mean * alpha;
        Assert.That(Bits(y.detach()), Is.EqualTo(Bits(x.detach() * alpha.view(1, 4, 1, 1) + beta.view(1, 4, 1, 1))));
        Assert.That(y.grad_fn!.name(), Is.EqualTo("NativeBatchNormBackward0"));
        y.square().sum().backward();
        Assert.That(x.grad, Is.Not.Null);
        Assert.That(w.grad!.shape.ToArray(), Is.EqualTo(new long[] { 4 }));
    }

    [Test]
    public void NonContiguousInputTakesTheComposedPath()
    {
        torch.manual_seed(2);
        var x = torch.randn(4, 6, 5, 8).transpose(2, 3);   // (4, 6, 8, 5), not contiguous
        var rm = torch.randn(6); var rv = torch.rand(6) + 0.5;
        var y = F.batch_norm(x, rm, rv, training: false);
        var invstd = (rv + 1e-5).rsqrt();
        var expect = x * invstd.view(1, 6, 1, 1) + (-rm * invstd).view(1, 6, 1, 1);
        Assert.That(Bits(y), Is.EqualTo(Bits(expect)));
    }
}
