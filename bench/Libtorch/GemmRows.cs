using Ours = Notebooks.Tensors.torch;
using TS = TorchSharp.torch;

namespace Notebooks.Bench.Libtorch;

/// <summary>`gemm`: matmul n³ for float32 and float64, the training loops' shapes, weight-gradient (transposed) shapes, batched, broadcast.</summary>
internal static class GemmRows
{
    public static void Run(bool quick)
    {
        int rounds = quick ? 3 : 5;
        Table.Header("matmul (a @ b)");
        int[] sizes = quick ? [64, 256, 1024] : [64, 128, 256, 512, 1024, 2048];
        foreach (var f64 in new[] { false, true })
            foreach (var n in sizes)
            {
                if (!Pairing.Selected($"{(f64 ? "f64" : "f32")} {n}³")) continue;
                var (a, b, x, y) = Pair([n, n], [n, n], f64);
                Table.Print(Pairing.Compare($"{(f64 ? "f64" : "f32")} {n}³", 2.0 * n * n * n, () => a.matmul(b), () => x.matmul(y).Dispose(),
                    n >= 2048 ? 3 : rounds), f64);
            }
        // Training-loop shapes (batch × in → out); the LeNet/MLP steps' weight gradients, aᵀ·b ([256,64]ᵀ×[64,784] is
        // the 784→256 layer's for a batch of 64); batched and broadcast products; both operands transposed.
        foreach (var (name, sa, sb, ta, tb) in new (string, long[], long[], bool, bool)[]
        {
            ("f32 [64,784]·[784,256]", [64, 784], [784, 256], false, false),
            ("f32 [32,128]·[128,512]", [32, 128], [128, 512], false, false),
            ("f32 [300,2]·[2,1]", [300, 2], [2, 1], false, false),
            ("f32 [256,64]ᵀ·[64,784]", [64, 256], [64, 784], true, false),
            ("f32 [64,120]ᵀ·[64,400]", [64, 120], [64, 400], true, false),
            ("f32 [784,64]·[64,256]", [784, 64], [64, 256], false, false),
            ("f32 [16,64,64]·[16,64,64]", [16, 64, 64], [16, 64, 64], false, false),
            ("f32 [8,128,256]·[256,64]", [8, 128, 256], [256, 64], false, false),
            ("f32 aᵀ·bᵀ 512³", [512, 512], [512, 512], true, true),
        })
        {
            if (!Pairing.Selected(name)) continue;
            var (a, b, x, y) = Pair(sa, sb, false);
            long m = ta ? sa[^1] : sa[^2], k = ta ? sa[^2] : sa[^1], n = tb ? sb[^2] : sb[^1];
            long batch = sa.Length == 3 ? sa[0] : 1;
            var at = ta ? a.t() : a; var bt = tb ? b.t() : b;
            var xt = ta ? x.t() : x; var yt = tb ? y.t() : y;
            Table.Print(Pairing.Compare(name, 2.0 * batch * m * n * k, () => at.matmul(bt), () => xt.matmul(yt).Dispose(), rounds));
        }
    }

    private static (Notebooks.Tensors.Tensor, Notebooks.Tensors.Tensor, TS.Tensor, TS.Tensor) Pair(long[] sa, long[] sb, bool f64)
    {
        var a = Ours.randn(sa, dtype: f64 ? Ours.float64 : Ours.float32);
        var b = Ours.randn(sb, dtype: f64 ? Ours.float64 : Ours.float32);
        var x = TS.randn(sa, dtype: f64 ? TS.float64 : TS.float32);
        var y = TS.randn(sb, dtype: f64 ? TS.float64 : TS.float32);
        return (a, b, x, y);
    }
}
