using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Notebooks.Tensors;
using F = Notebooks.Tensors.torch.nn.functional;
using nn = Notebooks.Tensors.torch.nn;
using optim = Notebooks.Tensors.torch.optim;

namespace Notebooks.GpuCheck;

/// <summary>
/// <c>GpuCheck bench [--small]</c>: the figures bench/gpu/torch_bench.py measures with PyTorch, under the same names
/// and sizes, as one JSON object on stdout. Every timed region starts and ends with torch.cuda.synchronize(), after a
/// warm-up that also loads every kernel.
/// </summary>
internal static class Bench
{
    // Each timed batch runs at least this long (the --small smoke run only proves the path executes).
    private static double _minBatchSeconds = 0.5;

    public static int Run(bool small)
    {
        if (small) _minBatchSeconds = 0.02;
        var cuda = torch.device("cuda");
        var results = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        long[] sizes = small ? [32, 64] : [4096, 8192];
        foreach (var n in sizes)
        {
            torch.manual_seed(0);
            var a = torch.randn([n, n], device: cuda);
            var b = torch.randn([n, n], device: cuda);
            double flops = 2.0 * n * n * n;
            foreach (var tf32 in new[] { false, true })
            {
                torch.backends.cuda.matmul.allow_tf32 = tf32;
                results[Progress($"matmul_f32_{n}{(tf32 ? "_tf32" : "")}_tflops")] = flops / Seconds(() => a.matmul(b)) / 1e12;
            }
            torch.backends.cuda.matmul.allow_tf32 = false;
            var ah = a.half(); var bh = b.half();
            results[Progress($"matmul_f16_{n}_tflops")] = Try(() => flops / Seconds(() => ah.matmul(bh)) / 1e12);
        }

        long count = small ? 1L << 16 : 1L << 28;
        var x = torch.randn([count], device: cuda);
        var y = torch.randn([count], device: cuda);
        // Compulsory traffic: read two operands, write one result; sum reads one.
        results[Progress("add_f32_gbps")] = 3.0 * 4 * count / Seconds(() => x.add(y)) / 1e9;
        results[Progress("sum_f32_gbps")] = 4.0 * count / Seconds(() => x.sum()) / 1e9;
        results[Progress("train_step_us")] = TrainStep(cuda, small) * 1e6;

        var report = new Dictionary<string, object?>
        {
            ["impl"] = "notebooks-dotnet",
            ["device"] = torch.cuda.get_device_name(),
            ["small"] = small,
            // null when cuBLAS ran the products; else why the ILGPU tiled kernel did.
            ["cublas_unavailable"] = Tensors.Backend.Gpu.GpuBackend.Instance.CuBlasUnavailable,
            ["results"] = results,
        };
        Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    /// <summary>Lesson 001's step on the GPU: X [300, 2] → nn.Linear(2, 1), mse_loss, backward, SGD step (seconds per step).</summary>
    private static double TrainStep(Device cuda, bool small)
    {
        torch.manual_seed(0);
        var X = torch.randn([300, 2], device: cuda);
        var w = torch.tensor(new[,] { { 2.0f }, { -3.4f } }).to(cuda);
        var Y = X.matmul(w).add(4.2).add(torch.randn([300, 1], device: cuda).mul(0.01));
        var model = new nn.Linear(2, 1);
        model.to(cuda);
        var opt = new optim.SGD(model.parameters(), lr: 0.03);
        return Seconds(() =>
        {
            var loss = F.mse_loss(model.call(X), Y);
            opt.zero_grad();
            loss.backward();
            opt.step();
            return loss;
        }, small ? 5 : 50);
    }

    /// <summary>
    /// Seconds per call: two warm-up calls, then batches of calls (doubling) until one batch takes at least 0.5 s;
    /// the best of three such batches.
    /// </summary>
    private static double Seconds(Func<Tensor> body, int minIters = 1)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 2; i++) body();
        torch.cuda.synchronize();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm-up {clock.Elapsed.TotalSeconds:F2} s"));
        int iters = minIters;
        double per = double.MaxValue;
        for (int round = 0; round < 3;)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < iters; i++) body();
            torch.cuda.synchronize();
            double s = sw.Elapsed.TotalSeconds;
            if (s < _minBatchSeconds && iters < 1 << 20) { iters *= 2; continue; }
            per = Math.Min(per, s / iters);
            round++;
        }
        return per;
    }

    private static string Progress(string figure)
    {
        Console.Error.WriteLine(figure);
        return figure;
    }

    private static double? Try(Func<double> f)
    {
        try { return f(); }
        catch (NotSupportedException e)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"skipped: {e.Message}"));
            return null;
        }
    }
}
