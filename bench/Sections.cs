using Notebooks.Tensors;

namespace Notebooks.Bench;

/// <summary>The benchmark groups; each reports its figures next to the reference measured in the same run.</summary>
internal static class Sections
{
    public static void Gemm(Report report, bool quick)
    {
        // Other work on a shared machine slows whatever runs beside it, so each GEMM timing is paired with an FMA
        // peak burst taken just before it and the ratio is the median over the pairs.
        var (peak, bits) = FmaPeak.Measure(quick ? 0.3 : 1.0);
        report.Add("cpu", $"FMA peak float32 ({bits}-bit, all cores)", peak, "GFLOP/s", "float64 peak is half");
        int[] sizes = quick ? [64, 128, 256] : [64, 128, 256, 512, 1024, 2048];
        foreach (var dt in new[] { torch.float32, torch.float64 })
            foreach (var n in sizes)
            {
                var a = torch.randn([n, n], dtype: dt);
                var b = torch.randn([n, n], dtype: dt);
                Measure.Best(() => a.matmul(b), 1, 1);
                var (gf, ratio) = Paired(() => a.matmul(b), 2.0 * n * n * n, dt == torch.float32 ? 1 : 2, quick ? 3 : n >= 2048 ? 3 : 5);
                report.Add("gemm", $"matmul {dt} {n}x{n}x{n}", gf, "GFLOP/s", $"{100 * ratio:F0}% of {(dt == torch.float32 ? "" : "f64 ")}FMA peak (paired median)");
            }
        // The transposed operand is read through its strides while packing: no copy.
        var m = quick ? 256 : 1024;
        var x = torch.randn(m, m); var y = torch.randn(m, m);
        var (tg, tr) = Paired(() => x.t().matmul(y.t()), 2.0 * m * m * m, 1, quick ? 3 : 5);
        report.Add("gemm", $"matmul float32 {m}³ aᵀ·bᵀ", tg, "GFLOP/s", $"{100 * tr:F0}% of FMA peak (paired median)");
    }

    /// <summary>Best GFLOP/s of <paramref name="body"/>, and the median ratio to an FMA-peak burst measured just before each timing.</summary>
    private static (double gflops, double ratio) Paired(Action body, double flops, int peakDivisor, int rounds)
    {
        var ratios = new List<double>();
        double best = 0;
        for (int i = 0; i < rounds; i++)
        {
            double p = FmaPeak.Measure(0.08).gflops / peakDivisor;
            double g = flops / Measure.Best(body, 2, 40, warm: false) / 1e9;
            best = Math.Max(best, g);
            ratios.Add(g / p);
        }
        ratios.Sort();
        return (best, ratios[ratios.Count / 2]);
    }

    public static void Pointwise(Report report, bool quick)
    {
        long n = quick ? 1L << 20 : 16L << 20;
        var a = torch.randn(n); var b = torch.randn(n);
        var src = new float[n]; var dst = new float[n];
        int reps = quick ? 3 : 7;
        double copy = Measure.Best(() => src.AsSpan().CopyTo(dst), reps, 100);
        double copyGBs = 8.0 * n / copy / 1e9;
        report.Add("memory", $"Span.CopyTo {n >> 20}M float32 (1 thread)", copyGBs, "GB/s", "read+write");
        int th = Environment.ProcessorCount;
        double pcopy = Measure.Best(() => Parallel.For(0, th, i =>
        {
            long lo = n * i / th, hi = n * (i + 1) / th;
            src.AsSpan((int)lo, (int)(hi - lo)).CopyTo(dst.AsSpan((int)lo));
        }), reps, 100);
        report.Add("memory", $"Span.CopyTo {n >> 20}M float32 ({th} threads)", 8.0 * n / pcopy / 1e9, "GB/s", "read+write");
        void Op(string name, Func<Tensor> f, int streams)
        {
            double t = Measure.Best(() => f(), reps, 100);
            double gbs = streams * 4.0 * n / t / 1e9;
            report.Add("pointwise", $"{name} {n >> 20}M float32", gbs, "GB/s", $"{100 * gbs / copyGBs:F0}% of 1-thread copy, {t * 1e3:F2} ms incl. allocating the result");
        }
        Op("a + b", () => a + b, 3);
        Op("a * b", () => a * b, 3);
        Op("a.exp()", () => a.exp(), 2);
        Op("a * 2.5", () => a * 2.5, 2);
        foreach (var (name, f) in new (string, Func<Tensor>)[] { ("a.sum()", () => a.sum()), ("a.mean()", () => a.mean()) })
        {
            double t = Measure.Best(() => f(), reps, 100);
            double gbs = 4.0 * n / t / 1e9;
            report.Add("reduce", $"{name} {n >> 20}M float32", gbs, "GB/s", $"{100 * gbs / copyGBs:F0}% of 1-thread copy");
        }
        var m2 = a.view(n / 1024, 1024);
        double ts = Measure.Best(() => m2.sum(0), reps, 100);
        report.Add("reduce", $"[{n / 1024},1024].sum(0) float32", 4.0 * n / ts / 1e9, "GB/s", "strided reduction");
    }

    public static void Overhead(Report report, bool quick)
    {
        var a = torch.randn(1); var b = torch.randn(1);
        double t = Measure.Best(() => { var _ = a + b; }, quick ? 3 : 9, 50);
        report.Add("overhead", "a + b, 1-element float32", t * 1e6, "µs", $"{Measure.AllocatedBytes(() => { var _ = a + b; }):F0} B allocated/op");
        double ts = Measure.Best(() => { var _ = a * 2.0; }, quick ? 3 : 9, 50);
        report.Add("overhead", "a * 2.0 (Python-scalar operand)", ts * 1e6, "µs", $"{Measure.AllocatedBytes(() => { var _ = a * 2.0; }):F0} B allocated/op");

        var x = torch.randn([], requires_grad: true);
        void Chain()
        {
            var y = x;
            for (int i = 0; i < 50; i++) { y = y * 1.0001; y = y + 0.0001; }
            y.backward();
        }
        double tc = Measure.Best(Chain, quick ? 3 : 7, 50);
        report.Add("autograd", "100-op scalar chain, forward+backward", tc * 1e6, "µs", $"{tc * 1e6 / 100:F2} µs/op");
    }

    public static void Training(Report report, bool quick)
    {
        torch.manual_seed(0);
        var X = torch.randn(300, 2);
        var y = X.matmul(torch.tensor(new float[] { 2f, -3.4f })) + 4.2;
        const double lr = 0.03;

        var w = torch.randn([2], requires_grad: true);
        var bias = torch.zeros([1], requires_grad: true);
        void OneLayer()
        {
            var loss = (X.matmul(w) + bias - y).pow(2).mean();
            loss.backward();
            using (torch.no_grad())
            {
                w -= lr * w.grad!;
                bias -= lr * bias.grad!;
                w.grad!.zero_();
                bias.grad!.zero_();
            }
        }
        double t1 = Measure.Best(OneLayer, quick ? 3 : 9, 100);
        report.Add("training", "one layer, [300,2] batch, step", t1 * 1e6, "µs", $"{Measure.AllocatedBytes(OneLayer, 200) / 1024:F1} KiB allocated/step");

        var w1 = (torch.randn(2, 10) * 0.5).requires_grad_();
        var b1 = torch.zeros([10], requires_grad: true);
        var w2 = (torch.randn(10) * 0.5).requires_grad_();
        var b2 = torch.zeros([1], requires_grad: true);
        Tensor[] ps = [w1, b1, w2, b2];
        void TwoLayer()
        {
            var h = (X.matmul(w1) + b1).relu();
            var loss = (h.matmul(w2) + b2 - y).pow(2).mean();
            loss.backward();
            using (torch.no_grad())
                foreach (var p in ps) { p.sub_(lr * p.grad!); p.grad!.zero_(); }
        }
        double t2 = Measure.Best(TwoLayer, quick ? 3 : 9, 100);
        report.Add("training", "two layers (2→10 ReLU→1), [300,2], step", t2 * 1e6, "µs", $"{Measure.AllocatedBytes(TwoLayer, 200) / 1024:F1} KiB allocated/step");

        var nnStep = Breakdown.NnStep();
        double t3 = Measure.Best(nnStep, quick ? 3 : 9, 100);
        report.Add("training", "nn.Linear(2,1).call + mse_loss + SGD, step", t3 * 1e6, "µs", $"{Measure.AllocatedBytes(nnStep, 200) / 1024:F1} KiB allocated/step");
    }
}
