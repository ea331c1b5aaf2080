using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// The register-transposing pack of a B panel whose columns run along k (Gemm/TransposedPacking.cs) lays out exactly
/// what the element-by-element walk does: dst[p·NR + j] = B[p, j], for both element types and both kernels' panel
/// widths, with k a multiple of the transpose block or not and columns further apart than k.
/// </summary>
public class TransposedPackingTests
{
    [TestCase(16, 8, 8), TestCase(16, 13, 20), TestCase(32, 129, 131), TestCase(16, 3, 3), TestCase(8, 256, 300)]
    public unsafe void Float_panels_match_the_elementwise_layout(int nr, int kc, int cs)
    {
        var src = Enumerable.Range(0, nr * cs).Select(i => (float)i + 0.25f).ToArray();
        var dst = new float[nr * kc];
        bool done;
        fixed (float* s = src) fixed (float* d = dst) done = TransposedPacking.TryPackB(nr, kc, s, cs, d);
        if (!done) Assert.Ignore("no AVX on this CPU: the element-by-element pack runs");
        for (int p = 0; p < kc; p++)
            for (int j = 0; j < nr; j++)
                Assert.That(dst[p * nr + j], Is.EqualTo(src[j * cs + p]), $"k {p}, column {j}");
    }

    [TestCase(8, 4, 4), TestCase(8, 11, 17), TestCase(16, 130, 130), TestCase(4, 1, 5)]
    public unsafe void Double_panels_match_the_elementwise_layout(int nr, int kc, int cs)
    {
        var src = Enumerable.Range(0, nr * cs).Select(i => i * 1.5 - 7).ToArray();
        var dst = new double[nr * kc];
        bool done;
        fixed (double* s = src) fixed (double* d = dst) done = TransposedPacking.TryPackB(nr, kc, s, cs, d);
        if (!done) Assert.Ignore("no AVX on this CPU: the element-by-element pack runs");
        for (int p = 0; p < kc; p++)
            for (int j = 0; j < nr; j++)
                Assert.That(dst[p * nr + j], Is.EqualTo(src[j * cs + p]), $"k {p}, column {j}");
    }

    [Test]
    public void Linear_style_products_through_a_transposed_weight_give_the_contiguous_weights_bits()
    {
        foreach (var dt in new[] { DType.Float32, DType.Float64 })
        {
            torch.manual_seed(3);
            var x = torch.randn([37, 203], dtype: dt); var w = torch.randn([129, 203], dtype: dt);
            Assert.That(torch.equal(x.mm(w.t()), x.mm(w.t().contiguous())), Is.True, dt.ToString());
        }
    }
}
