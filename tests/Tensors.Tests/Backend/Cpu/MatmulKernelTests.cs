using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// The CPU matmul kernels against a double-precision triple loop, over shapes that hit every path (direct loops,
/// packed blocks with ragged tiles, several KC/MC/NC blocks, threads) and operand layouts the packing must read
/// through (transposed, gapped, offset, broadcast batch, strided destination).
/// </summary>
public class MatmulKernelTests
{
    public enum Layout { RowMajor, ColMajor, Gapped, BroadcastBatch }

    private static readonly (int B, int M, int N, int K)[] Shapes =
    [
        (1, 1, 1, 1), (1, 1, 1, 0), (2, 3, 4, 0), (1, 0, 3, 4), (1, 3, 0, 4), (1, 5, 7, 3),
        (1, 6, 32, 64), (1, 7, 33, 65), (1, 300, 1, 2), (1, 1, 300, 200), (3, 17, 19, 23),
        (1, 97, 65, 300), (2, 64, 64, 64), (1, 130, 260, 520), (1, 211, 2100, 70), (1, 1100, 40, 90), (12, 20, 30, 40),
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var dt in new[] { DType.Float32, DType.Float64, DType.Int64, DType.Int32 })
            foreach (var s in Shapes)
                foreach (var (la, lb) in new[] { (Layout.RowMajor, Layout.RowMajor), (Layout.ColMajor, Layout.RowMajor), (Layout.RowMajor, Layout.ColMajor), (Layout.ColMajor, Layout.ColMajor), (Layout.Gapped, Layout.Gapped), (Layout.BroadcastBatch, Layout.RowMajor), (Layout.RowMajor, Layout.BroadcastBatch) })
                {
                    if (dt.IsIntegral && (long)s.M * s.N * s.K > 2_000_000) continue;
                    yield return new TestCaseData(dt.Name, s.B, s.M, s.N, s.K, la, lb).SetName($"{dt.Name} {s.B}x[{s.M}x{s.K}]·[{s.K}x{s.N}] {la}·{lb}");
                }
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTripleLoop(string dtype, int B, int M, int N, int K, Layout la, Layout lb)
    {
        var dt = new[] { DType.Float32, DType.Float64, DType.Int64, DType.Int32 }.First(d => d.Name == dtype);
        var rng = new System.Random(M * 7919 + N * 104729 + K * 31 + B + (int)la * 3 + (int)lb);
        var a = Make(dt, B, M, K, la, rng);
        var b = Make(dt, B, K, N, lb, rng);
        // A transposed destination checks that C is written through its strides too.
        var dst = la == Layout.ColMajor && lb == Layout.ColMajor ? Make(dt, B, M, N, Layout.ColMajor, rng) : Make(dt, B, M, N, Layout.RowMajor, rng);
        Backends.Cpu.Matmul(a.Buffer, b.Buffer, dst.Buffer);
        Check(a, b, dst, B, M, N, K);
    }

    [Test]
    public void PublicMatmulThroughTransposedViews()
    {
        torch.manual_seed(1);
        foreach (var n in new[] { 5, 70, 300 })
        {
            var x = torch.randn(n + 3, n); var y = torch.randn(n + 1, n + 3);
            var r = x.t().matmul(y.t());
            var xs = x.ToArray<float>(); var ys = y.ToArray<float>(); var rs = r.ToArray<float>();
            Assert.That(r.shape.ToArray(), Is.EqualTo(new long[] { n, n + 1 }));
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n + 1; j++)
                {
                    double s = 0, abs = 0;
                    for (int k = 0; k < n + 3; k++) { var p = (double)xs[k * n + i] * ys[j * (n + 3) + k]; s += p; abs += Math.Abs(p); }
                    Assert.That(rs[i * (n + 1) + j], Is.EqualTo(s).Within(1e-6 * (n + 3) * abs + 1e-6), $"n={n} [{i},{j}]");
                }
        }
    }

    /// <summary>A [B, R, C] operand with the given layout over a fresh storage filled with small random values.</summary>
    private static Tensor Make(DType dt, int B, int R, int C, Layout layout, System.Random rng)
    {
        int batches = layout == Layout.BroadcastBatch ? 1 : B;
        long per = layout == Layout.Gapped ? (long)R * (2 * C + 1) : (long)R * C;
        long count = batches * per + (layout == Layout.Gapped ? 3 : 0);
        var storage = CpuStorage.Allocate(dt, Math.Max(count, 1));
        var values = new double[count];
        for (long i = 0; i < count; i++) values[i] = dt.is_floating_point ? rng.NextDouble() * 2 - 1 : rng.Next(-5, 6);
        var t = new Tensor(storage, [count], [1], 0);
        Backends.Cpu.Copy((new Tensor(CpuStorage.Allocate<double>(count), [count], [1], 0).Also(v => Backends.Cpu.Upload<double>(values, v.Buffer))).Buffer, t.Buffer);
        long[] strides = layout switch
        {
            Layout.RowMajor => [per, C, 1],
            Layout.ColMajor => [per, 1, R],
            Layout.Gapped => [per, 2 * C + 1, 2],
            _ => [0, C, 1],
        };
        return new Tensor(storage, [B, R, C], strides, layout == Layout.Gapped ? 3 : 0);
    }

    private static double At(Tensor t, int b, int i, int j, double[] flat) => flat[t._offset + b * t._strides[0] + i * t._strides[1] + j * t._strides[2]];

    private static double[] Flat(Tensor t)
    {
        var n = t._storage.Count;
        var d = new Tensor(CpuStorage.Allocate<double>(n), [n], [1], 0);
        Backends.Cpu.Copy((new Tensor(t._storage, [n], [1], 0)).Buffer, d.Buffer);
        var r = new double[n];
        Backends.Cpu.Download<double>(d.Buffer, r);
        return r;
    }

    private static void Check(Tensor a, Tensor b, Tensor c, int B, int M, int N, int K)
    {
        var fa = Flat(a); var fb = Flat(b); var fc = Flat(c);
        double eps = c.dtype == DType.Float32 ? 1.2e-7 : c.dtype == DType.Float64 ? 2.3e-16 : 0;
        for (int bi = 0; bi < B; bi++)
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++)
                {
                    double s = 0, abs = 0;
                    for (int k = 0; k < K; k++) { var p = At(a, bi, i, k, fa) * At(b, bi, k, j, fb); s += p; abs += Math.Abs(p); }
                    var got = At(c, bi, i, j, fc);
                    if (Math.Abs(got - s) > 2 * (K + 1) * eps * abs)
                        Assert.Fail($"[{bi},{i},{j}]: got {got}, expected {s} (Σ|aᵢₖbₖⱼ| = {abs})");
                }
    }
}

internal static class TestExtensions
{
    public static T Also<T>(this T x, Action<T> f) { f(x); return x; }
}
