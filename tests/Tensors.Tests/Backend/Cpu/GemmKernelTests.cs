using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// Both micro-kernels (the 6-row Vector&lt;T&gt; one AVX2 machines run, and the 12-row Vector512 one AVX-512 machines
/// run, emulated by the runtime where the CPU lacks AVX-512), called directly so that one machine checks both.
/// Every element of a blocked product must be the FMA chain from zero over p ascending, bit for bit, however K is
/// sliced, the tiles are cut or the threads share the work: that makes results the same on every machine.
/// </summary>
public class GemmKernelTests
{
    public enum Kernel { Vector, Avx512 }

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var kernel in new[] { Kernel.Vector, Kernel.Avx512 })
            foreach (var (m, n, k) in new[] { (6, 16, 8), (13, 37, 5), (64, 64, 64), (31, 70, 700), (100, 33, 1100), (1, 300, 513) })
                foreach (var layout in new[] { "NN", "TN", "NT", "TT" })
                    foreach (var threads in new[] { 1, 2 })
                        yield return new TestCaseData(kernel, m, n, k, layout, threads).SetName($"{kernel} [{m}x{k}]·[{k}x{n}] {layout} threads={threads}");
    }

    [TestCaseSource(nameof(Cases))]
    public unsafe void Float32_is_one_fma_chain_per_element(Kernel kernel, int m, int n, int k, string layout, int threads)
    {
        var rng = new System.Random(m * 131 + n * 17 + k);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        // Transposed operands hold the same logical matrix column-major.
        bool ta = layout[0] == 'T', tb = layout[1] == 'T';
        nint rsa = ta ? 1 : k, csa = ta ? m : 1, rsb = tb ? 1 : n, csb = tb ? k : 1;
        var sa = new float[m * k]; var sb = new float[k * n];
        for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) sa[i * rsa + p * csa] = a[i * k + p];
        for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) sb[p * rsb + j * csb] = b[p * n + j];
        var c = new float[m * n];
        fixed (float* pa = sa) fixed (float* pb = sb) fixed (float* pc = c)
        {
            if (kernel == Kernel.Vector) BlockedGemm<float, VectorKernel<float>>.Multiply(m, n, k, pa, rsa, csa, pb, rsb, csb, pc, n, 1, threads);
            else BlockedGemm<float, Avx512Kernel<float>>.Multiply(m, n, k, pa, rsa, csa, pb, rsb, csb, pc, n, 1, threads);
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(a[i * k + p], b[p * n + j], s);
                if (BitConverter.SingleToInt32Bits(s) != BitConverter.SingleToInt32Bits(c[i * n + j]))
                    Assert.Fail($"[{i},{j}]: got {c[i * n + j]:R}, the FMA chain gives {s:R}");
            }
    }

    [TestCase(Kernel.Vector, 1), TestCase(Kernel.Vector, 2), TestCase(Kernel.Avx512, 1), TestCase(Kernel.Avx512, 2)]
    public unsafe void Float64_into_a_strided_destination_is_one_fma_chain_per_element(Kernel kernel, int threads)
    {
        const int m = 29, n = 41, k = 300;
        var rng = new System.Random(5);
        var a = Enumerable.Range(0, m * k).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        // C written column-major (a transposed output), every tile through the ragged path.
        var c = new double[m * n];
        fixed (double* pa = a) fixed (double* pb = b) fixed (double* pc = c)
        {
            if (kernel == Kernel.Vector) BlockedGemm<double, VectorKernel<double>>.Multiply(m, n, k, pa, k, 1, pb, n, 1, pc, 1, m, threads);
            else BlockedGemm<double, Avx512Kernel<double>>.Multiply(m, n, k, pa, k, 1, pb, n, 1, pc, 1, m, threads);
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s = Math.FusedMultiplyAdd(a[i * k + p], b[p * n + j], s);
                Assert.That(BitConverter.DoubleToInt64Bits(c[j * m + i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(s)), $"[{i},{j}]");
            }
    }

    /// <summary>
    /// A row-major B that few row tiles share is read in place, not packed (rows further apart than an NR panel; a
    /// ragged last panel still packed): here B is a column slice of a wider matrix, and a 1-row, a 13-row and a 72-row
    /// A (in place) and a 100-row A (packed) must all give the FMA chain's bits.
    /// </summary>
    [TestCase(Kernel.Vector, 1, 1), TestCase(Kernel.Vector, 13, 2), TestCase(Kernel.Vector, 72, 1), TestCase(Kernel.Vector, 100, 2),
     TestCase(Kernel.Avx512, 13, 1), TestCase(Kernel.Avx512, 100, 2)]
    public unsafe void A_row_major_b_read_in_place_keeps_the_chains(Kernel kernel, int m, int threads)
    {
        const int n = 45, k = 300, ld = 64;
        var rng = new System.Random(m);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, k * ld).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var c = new float[m * n];
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
        {
            if (kernel == Kernel.Vector) BlockedGemm<float, VectorKernel<float>>.Multiply(m, n, k, pa, k, 1, pb + 3, ld, 1, pc, n, 1, threads);
            else BlockedGemm<float, Avx512Kernel<float>>.Multiply(m, n, k, pa, k, 1, pb + 3, ld, 1, pc, n, 1, threads);
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(a[i * k + p], b[p * ld + 3 + j], s);
                if (BitConverter.SingleToInt32Bits(s) != BitConverter.SingleToInt32Bits(c[i * n + j]))
                    Assert.Fail($"[{i},{j}]: got {c[i * n + j]:R}, the FMA chain gives {s:R}");
            }
    }

    /// <summary>Operands too large to pack at once (over 2²³ packed elements) are split along K (the second part
    /// continuing each element's chain from C) or along M; either way every element stays one FMA chain.</summary>
    [TestCase(Kernel.Vector, 8, 8, 600_000), TestCase(Kernel.Vector, 600_000, 4, 16), TestCase(Kernel.Avx512, 8, 8, 600_000), TestCase(Kernel.Avx512, 600_000, 4, 16)]
    public unsafe void Products_split_for_memory_keep_the_chains(Kernel kernel, int m, int n, int k)
    {
        var rng = new System.Random(11);
        var a = new float[(long)m * k]; var b = new float[(long)k * n]; var c = new float[(long)m * n];
        for (long i = 0; i < a.LongLength; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        for (long i = 0; i < b.LongLength; i++) b[i] = (float)(rng.NextDouble() * 2 - 1);
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
        {
            if (kernel == Kernel.Vector) BlockedGemm<float, VectorKernel<float>>.Multiply(m, n, k, pa, k, 1, pb, n, 1, pc, n, 1, 2);
            else BlockedGemm<float, Avx512Kernel<float>>.Multiply(m, n, k, pa, k, 1, pb, n, 1, pc, n, 1, 2);
        }
        for (int i = 0; i < m; i += Math.Max(1, m / 997))
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (long p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(a[(long)i * k + p], b[p * n + j], s);
                if (BitConverter.SingleToInt32Bits(s) != BitConverter.SingleToInt32Bits(c[(long)i * n + j]))
                    Assert.Fail($"[{i},{j}]: got {c[(long)i * n + j]:R}, the FMA chain gives {s:R}");
            }
    }

    [Test]
    public void The_instruction_set_picks_the_kernel()
    {
        // DOTNET_EnableAVX512F=0 hides AVX-512 from the runtime, which then takes the 256-bit kernel.
        Assert.That(BlockedGemm<float>.Wide, Is.EqualTo(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated));
    }

    [Test]
    public void Block_sizes_follow_the_caches()
    {
        Assert.That(CacheSizes.L1, Is.InRange(8 << 10, 1 << 20));
        Assert.That(CacheSizes.L2, Is.GreaterThanOrEqualTo(CacheSizes.L1));
        Assert.That(CacheSizes.Parse("32K"), Is.EqualTo(32768));
        Assert.That(CacheSizes.Parse("8M"), Is.EqualTo(8 << 20));
        // B̃'s panel takes about half of L1, Ã's block about half of L2.
        long panel = (long)BlockedGemm<float, VectorKernel<float>>.KC * VectorKernel<float>.NR * sizeof(float);
        Assert.That(panel, Is.LessThanOrEqualTo(Math.Max(CacheSizes.L1 / 2, 64 * VectorKernel<float>.NR * sizeof(float))));
        Assert.That(BlockedGemm<float, VectorKernel<float>>.MC % VectorKernel<float>.MR, Is.EqualTo(0));
        Assert.That(BlockedGemm<double, Avx512Kernel<double>>.NC % Avx512Kernel<double>.NR, Is.EqualTo(0));
    }
}
