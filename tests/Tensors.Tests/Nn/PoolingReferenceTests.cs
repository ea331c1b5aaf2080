using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// Pooling against libtorch (Reference/torch_layers.json). Max pooling picks and routes values without arithmetic, so
/// outputs, indices and gradients are bit-equal; average pooling sums each window left to right and divides, as
/// ATen's CPU kernels do, and matches bit for bit too.
/// </summary>
public class PoolingReferenceTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        var cases = new (string name, Func<nn.Module> make)[]
        {
            ("maxpool2d_2", () => new nn.MaxPool2d(2)),
            ("maxpool2d_3_stride2_pad1", () => new nn.MaxPool2d(3, stride: 2, padding: 1)),
            ("maxpool2d_2_ceil", () => new nn.MaxPool2d(2, ceil_mode: true)),
            ("avgpool2d_2", () => new nn.AvgPool2d(2)),
            ("avgpool2d_3_stride2_pad1_exclude_pad", () => new nn.AvgPool2d(3, stride: 2, padding: 1, count_include_pad: false)),
            ("adaptive_avgpool2d_1x1", () => new nn.AdaptiveAvgPool2d((1, 1))),
            ("adaptive_avgpool2d_2x3", () => new nn.AdaptiveAvgPool2d((2, 3))),
            ("adaptive_maxpool2d_2", () => new nn.AdaptiveMaxPool2d(2)),
            ("maxpool1d_2", () => new nn.MaxPool1d(2)),
            ("maxpool1d_3_stride2_pad1", () => new nn.MaxPool1d(3, stride: 2, padding: 1)),
            ("avgpool1d_2", () => new nn.AvgPool1d(2)),
            ("avgpool1d_3_stride2_pad1", () => new nn.AvgPool1d(3, stride: 2, padding: 1)),
        };
        foreach (var seed in new[] { 0L, 42L })
            foreach (var (name, make) in cases)
                yield return new TestCaseData(seed, name, make).SetName($"{name}_seed{seed}");
    }

    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch_bit_for_bit(long seed, string name, Func<nn.Module> make) =>
        LayerReference.Get(seed, name).Run(make, (m, x) => m!.call(x));

    [TestCase(0L), TestCase(42L)]
    public void Return_indices_match_libtorch(long seed)
    {
        var r = LayerReference.Get(seed, "maxpool2d_2_return_indices");
        Tensor? indices = null;
        r.Run(() => new nn.MaxPool2d(2, return_indices: true), (m, x) =>
        {
            var (y, idx) = ((nn.MaxPool2d)m!).forward_with_indices(x);
            indices = idx;
            return y;
        });
        Assert.That(indices!.dtype, Is.EqualTo(torch.int64));
        LayerReference.AssertExact(indices, r.Tensor("indices", torch.int64), "indices");
    }
}
