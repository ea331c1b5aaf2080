using System.Diagnostics;
using Notebooks.Tensors;
using TS = TorchSharp;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Bench.Libtorch;

/// <summary>`profile`: where our LSTM step's time goes (the recurrent products alone, forward, backward), beside libtorch's same products.</summary>
internal static class Profile
{
    static double Ms(Action a, int n)
    {
        a();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) a();
        return sw.Elapsed.TotalMilliseconds / n;
    }

    public static void Run(int torchThreads)
    {
        TS.torch.set_num_threads(torchThreads);
        torch.manual_seed(0);
        var h = torch.randn(32, 128); var w = torch.randn(512, 128); var wt = w.t(); var dg = torch.randn(32, 512);
        var th = TS.torch.randn(32, 128); var tw = TS.torch.randn(512, 128); var twt = tw.t(); var tdg = TS.torch.randn(32, 512);
        Console.WriteLine($"h·Wᵀ [32,128]x[128,512]: ours {Ms(() => h.mm(wt), 2000) * 1000:F1} µs, libtorch {Ms(() => { using var _ = TS.torch.NewDisposeScope(); th.mm(twt); }, 2000) * 1000:F1} µs");
        Console.WriteLine($"dG·W [32,512]x[512,128]: ours {Ms(() => dg.mm(w), 2000) * 1000:F1} µs, libtorch {Ms(() => { using var _ = TS.torch.NewDisposeScope(); tdg.mm(tw); }, 2000) * 1000:F1} µs");
        var big = torch.randn(1120, 512); var x = torch.randn(1120, 128);
        var tbig = TS.torch.randn(1120, 512); var tx = TS.torch.randn(1120, 128);
        Console.WriteLine($"dGᵀ·X [512,1120]x[1120,128]: ours {Ms(() => big.t().mm(x), 50):F2} ms, libtorch {Ms(() => { using var _ = TS.torch.NewDisposeScope(); tbig.t().mm(tx); }, 50):F2} ms");
        var lstm = new nn.LSTM(128, 128); var head = new nn.Linear(128, 1);
        var X = torch.randn(35, 32, 128); var Y = torch.randn(35, 32, 1);
        Console.WriteLine($"forward, no grad: {Ms(() => { using (torch.no_grad()) lstm.call(X); }, 10):F1} ms");
        Console.WriteLine($"forward with graph: {Ms(() => lstm.call(X), 10):F1} ms");
        Console.WriteLine($"forward+backward: {Ms(() => { var (o, _) = lstm.call(X); F.mse_loss(head.call(o), Y).backward(); }, 10):F1} ms");
    }
}
