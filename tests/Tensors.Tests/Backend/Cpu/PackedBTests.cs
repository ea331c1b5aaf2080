using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Tests.Backend.Cpu;

/// <summary>
/// A right operand packed once (PackedB, used for an LSTM's W_hh across its time steps) gives the bits of the same
/// product packing B itself: ragged panels, several slices of K, transposed B, one and several threads.
/// </summary>
public unsafe class PackedBTests
{
    [TestCase(32, 128, 512, false)]
    [TestCase(32, 512, 128, false)]
    [TestCase(7, 1000, 37, true)]
    [TestCase(13, 300, 70, true)]
    [TestCase(64, 64, 64, false)]
    public void Packed_operand_gives_the_unpacked_products_bits(int m, int k, int n, bool transposed)
    {
        var rnd = new System.Random(m * 31 + k);
        var a = new float[m * k]; var b = new float[k * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(rnd.NextDouble() * 2 - 1);
        for (int i = 0; i < b.Length; i++) b[i] = (float)(rnd.NextDouble() * 2 - 1);
        // B as (k, n) row-major, or as the transpose of an (n, k) row-major matrix (W_hhᵀ's case).
        nint rsb = transposed ? 1 : n, csb = transposed ? k : 1;
        foreach (int threads in new[] { 1, 2 })
        {
            var expected = new float[m * n]; var actual = new float[m * n];
            fixed (float* pa = a) fixed (float* pb = b) fixed (float* pe = expected) fixed (float* pc = actual)
            {
                BlockedGemm<float>.Multiply(m, n, k, pa, k, 1, pb, rsb, csb, pe, n, 1, threads);
                var packed = new PackedB<float>(k, n, pb, rsb, csb);
                BlockedGemm<float>.Multiply(m, k, pa, k, 1, packed, pc, n, 1, threads);
            }
            Assert.That(actual.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)), $"{threads} thread(s)");
        }
    }
}
