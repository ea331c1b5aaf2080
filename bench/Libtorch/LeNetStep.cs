using System.Diagnostics;
using Notebooks.Tensors;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;
using optim = Notebooks.Tensors.torch.optim;
using datasets = Notebooks.Tensors.torchvision.datasets;
using transforms = Notebooks.Tensors.torchvision.transforms;
using DataLoader = Notebooks.Tensors.torch.utils.data.DataLoader;
using TS = TorchSharp.torch;

namespace Notebooks.Bench.Libtorch;

/// <summary>
/// `lenet`: the LeNet-5 training step of issue #16 (batch 64, 1×28×28, two 5×5 convolutions with ReLU and 2×2 max
/// pooling, three Linear layers, cross-entropy, SGD with momentum: zero_grad, forward, loss, backward, step), ours and
/// libtorch's from the same weights and data (the first losses printed agree), then the layers' pieces one by one.
/// </summary>
internal static class LeNetStep
{
    /// <summary>The step's multiply-adds × 2: conv1 forward and weight gradient, conv2 and the Linears forward and both gradients.</summary>
    private const double Flops = 2.0 * 64 * (6 * 25 * 784 * 2 + 16 * 150 * 100 * 3 + (400 * 120 + 120 * 84 + 84 * 10) * 3);

    public static void Run(bool quick)
    {
        int rounds = quick ? 3 : 7;
        torch.manual_seed(0);
        var model = new nn.Sequential(new nn.Conv2d(1, 6, 5, padding: 2), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(6, 16, 5), new nn.ReLU(),
            new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10));
        var x = torch.randn(64, 1, 28, 28);
        var y = torch.randint(0, 10, [64]);
        var opt = new optim.SGD(model.parameters(), lr: 0.01, momentum: 0.9);
        float Ours()
        {
            opt.zero_grad();
            var loss = F.cross_entropy(model.call(x), y);
            loss.backward();
            opt.step();
            return loss.item<float>();
        }

        var tmodel = TS.nn.Sequential(TS.nn.Conv2d(1, 6, 5, padding: 2), TS.nn.ReLU(), TS.nn.MaxPool2d(2), TS.nn.Conv2d(6, 16, 5), TS.nn.ReLU(),
            TS.nn.MaxPool2d(2), TS.nn.Flatten(), TS.nn.Linear(400, 120), TS.nn.ReLU(), TS.nn.Linear(120, 84), TS.nn.ReLU(), TS.nn.Linear(84, 10));
        using (TS.no_grad())
        {
            var mine = model.named_parameters().ToDictionary(p => p.name, p => p.param);
            foreach (var (name, p) in tmodel.named_parameters()) p.copy_(Convert.ToTorch(mine[name]));
        }
        var tx = Convert.ToTorch(x);
        var ty = TS.tensor(y.ToArray<long>());
        var topt = TS.optim.SGD(tmodel.parameters(), 0.01, momentum: 0.9);
        float Torch()
        {
            using var scope = TS.NewDisposeScope();
            topt.zero_grad();
            var loss = TS.nn.functional.cross_entropy(tmodel.call(tx), ty);
            loss.backward();
            topt.step();
            return loss.item<float>();
        }

        Console.WriteLine($"first losses: ours {Ours():F6}, libtorch {Torch():F6} (same weights and data)");
        Table.Header("LeNet-5 training step, batch 64 (GFLOP/s: the step's GEMM work)");
        Table.Print(Pairing.Compare("LeNet step", Flops, () => Ours(), () => Torch(), rounds, targetMs: 150));

        // The pieces, forward and backward through each layer alone (inputs as the step sees them).
        var a1 = torch.randn(64, 6, 28, 28); var ta1 = Convert.ToTorch(a1);
        var c2in = torch.randn(64, 6, 14, 14).requires_grad_(); var tc2in = Convert.ToTorch(c2in).requires_grad_();
        var conv2 = (nn.Conv2d)model[3]; var tconv2 = (TorchSharp.Modules.Conv2d)tmodel.children().ElementAt(3);
        var g2 = torch.randn(64, 16, 10, 10); var tg2 = Convert.ToTorch(g2);
        Table.Print(Pairing.Compare("  conv2 forward (6→16, 14×14)", 2.0 * 64 * 16 * 150 * 100, () => { using (torch.no_grad()) conv2.call(c2in); },
            () => { using var s = TS.NewDisposeScope(); using (TS.no_grad()) tconv2.call(tc2in); }, rounds));
        Table.Print(Pairing.Compare("  conv2 forward+backward", 2.0 * 64 * 16 * 150 * 100 * 3, () => conv2.call(c2in).backward(g2),
            () => { using var s = TS.NewDisposeScope(); tconv2.call(tc2in).backward([tg2]); }, rounds));
        Table.Print(Pairing.Compare("  relu + max_pool2d forward", 0, () => { using (torch.no_grad()) F.max_pool2d(F.relu(a1), 2); },
            () => { using var s = TS.NewDisposeScope(); TS.nn.functional.max_pool2d(TS.nn.functional.relu(ta1), 2); }, rounds));

        // Batching an epoch of Fashion-MNIST (ToTensor + Normalize + stack) beside an epoch of training steps.
        if (Directory.Exists("/usr/share/datasets/fashion-mnist"))
        {
            var train = new datasets.FashionMNIST(train: true, transform: new transforms.Compose(new transforms.ToTensor(), new transforms.Normalize([0.2860], [0.3530])));
            var loader = new DataLoader(train, batch_size: 64, shuffle: true);
            int limit = quick ? 100 : (int)loader.len();
            var sw = Stopwatch.StartNew();
            int n = 0;
            foreach (var _ in loader) { if (++n == limit) break; }
            double batching = sw.Elapsed.TotalMilliseconds / n;
            sw.Restart();
            for (int s = 0; s < 10; s++) Ours();
            double step = sw.Elapsed.TotalMilliseconds / 10;
            Console.WriteLine($"Fashion-MNIST batching: {batching:F2} ms per batch of 64 ({n} batches) against {step:F2} ms per LeNet step: {batching / (batching + step):P1} of an epoch");
        }
    }
}

/// <summary>Our float32 tensors as libtorch's (same shape, same values).</summary>
internal static class Convert
{
    public static TS.Tensor ToTorch(Tensor t) => TS.tensor(t.detach().contiguous().reshape(-1).ToArray<float>(), t.shape.ToArray());
}
