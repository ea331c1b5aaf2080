using Notebooks.Tensors;
using F = Notebooks.Tensors.torch.nn.functional;
using nn = Notebooks.Tensors.torch.nn;
using TS = TorchSharp.torch;

namespace Notebooks.Bench.Libtorch;

/// <summary>
/// `memory`: the memory-bound layers (max pooling, batch norm, relu) on a LeNet-sized and a larger activation, in GB/s
/// of compulsory traffic (each input element read once, each output written once) beside a plain copy of the same
/// bytes on as many threads (Span.CopyTo in parallel chunks) and beside libtorch.
/// </summary>
internal static class MemoryBound
{
    public static void Run(bool quick)
    {
        int rounds = quick ? 3 : 5;
        Console.WriteLine("-- memory-bound layers: GB/s of compulsory traffic (in + out), ours and libtorch, and ours as % of a parallel copy's GB/s");
        Console.WriteLine($"{"",-40} {"ours",8} {"libtorch",9} {"copy",8} {"ours/copy",9} {"ours/torch",10}");
        foreach (var shape in new long[][] { [64, 6, 28, 28], [32, 64, 56, 56] })
        {
            var x = torch.randn(shape); var tx = Convert.ToTorch(x);
            long n = x.numel(), outPool = n / 4;
            string s = $"[{string.Join(",", shape)}]";
            var bn = new nn.BatchNorm2d(shape[1]); bn.eval();
            var tbn = TS.nn.BatchNorm2d(shape[1]); tbn.eval();
            Line($"max_pool2d(2) {s}", 4.0 * (n + outPool) + 8.0 * outPool, n * 4,
                () => { using (torch.no_grad()) F.max_pool2d(x, 2); }, () => { using var d = TS.NewDisposeScope(); using (TS.no_grad()) TS.nn.functional.max_pool2d(tx, 2); }, rounds);
            Line($"batch_norm eval {s}", 8.0 * n, n * 4,
                () => { using (torch.no_grad()) bn.call(x); }, () => { using var d = TS.NewDisposeScope(); using (TS.no_grad()) tbn.call(tx); }, rounds);
            Line($"relu {s}", 8.0 * n, n * 4,
                () => { using (torch.no_grad()) F.relu(x); }, () => { using var d = TS.NewDisposeScope(); using (TS.no_grad()) TS.nn.functional.relu(tx); }, rounds);
        }
    }

    private static void Line(string name, double bytes, long copyBytes, Action ours, Action theirs, int rounds)
    {
        var r = Pairing.Compare(name, 0, ours, theirs, rounds);
        var src = new byte[copyBytes]; var dst = new byte[copyBytes];
        var copy = Pairing.Compare("copy", 0, () => ParallelCopy(src, dst), () => ParallelCopy(src, dst), rounds);
        double og = bytes / r.OursWall / 1e9, tg = bytes / r.TorchWall / 1e9, cg = 2.0 * copyBytes / copy.OursWall / 1e9;
        Console.WriteLine($"{name,-40} {og,8:F1} {tg,9:F1} {cg,8:F1} {100 * og / cg,8:F0}% {r.WallRatio,10:F2}");
    }

    private static void ParallelCopy(byte[] src, byte[] dst)
    {
        int threads = Environment.ProcessorCount, n = src.Length;
        Parallel.For(0, threads, t =>
        {
            int a = (int)((long)n * t / threads), b = (int)((long)n * (t + 1) / threads);
            src.AsSpan(a, b - a).CopyTo(dst.AsSpan(a, b - a));
        });
    }
}
