using System.Diagnostics;
using Notebooks.Tensors;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;
using optim = Notebooks.Tensors.torch.optim;
using datasets = Notebooks.Tensors.torchvision.datasets;
using transforms = Notebooks.Tensors.torchvision.transforms;
using DataLoader = Notebooks.Tensors.torch.utils.data.DataLoader;
using TS = TorchSharp.torch;

// `dotnet run -c Release --project bench/cnn [-- --quick]`: the LeNet-5 training step (batch 64, 1×28×28, SGD with
// momentum: zero_grad, forward, cross_entropy, backward, step) of ours and of libtorch through TorchSharp, in one
// process, rounds interleaved (ours, then libtorch, then ours ...), so a busy machine slows both alike; the ratio is
// taken round by round. Then, if Fashion-MNIST is installed, what batching an epoch costs beside an epoch of steps.
bool quick = args.Contains("--quick");
int rounds = quick ? 3 : 7, steps = quick ? 5 : 20;
// --torch-threads N: libtorch's intra-op threads (default: one per core, as PyTorch). On a machine busy with other
// work, OpenMP's spinning threads can make libtorch far slower than with 1.
var tt = args.SkipWhile(a => a != "--torch-threads").Skip(1).FirstOrDefault();
int torchThreads = tt is null ? Environment.ProcessorCount : int.Parse(tt);
TS.set_num_threads(torchThreads);

torch.manual_seed(0);
var model = new nn.Sequential(new nn.Conv2d(1, 6, 5, padding: 2), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(6, 16, 5), new nn.ReLU(),
    new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10));
var x = torch.randn(64, 1, 28, 28);
var y = torch.randint(0, 10, [64]);
var opt = new optim.SGD(model.parameters(), lr: 0.01, momentum: 0.9);
double Ours()
{
    opt.zero_grad();
    var loss = F.cross_entropy(model.call(x), y);
    loss.backward();
    opt.step();
    return loss.item<float>();
}

// The same network in libtorch, with our initial weights and data.
var tmodel = TS.nn.Sequential(TS.nn.Conv2d(1, 6, 5, padding: 2), TS.nn.ReLU(), TS.nn.MaxPool2d(2), TS.nn.Conv2d(6, 16, 5), TS.nn.ReLU(),
    TS.nn.MaxPool2d(2), TS.nn.Flatten(), TS.nn.Linear(400, 120), TS.nn.ReLU(), TS.nn.Linear(120, 84), TS.nn.ReLU(), TS.nn.Linear(84, 10));
using (TS.no_grad())
{
    var ours = model.named_parameters().ToDictionary(p => p.name, p => p.param);
    foreach (var (name, p) in tmodel.named_parameters())
        p.copy_(TS.tensor(ours[name].detach().reshape(-1).ToArray<float>()).reshape(p.shape));
}
var tx = TS.tensor(x.reshape(-1).ToArray<float>()).reshape(64, 1, 28, 28);
var ty = TS.tensor(y.ToArray<long>());
var topt = TS.optim.SGD(tmodel.parameters(), 0.01, momentum: 0.9);
double Torch()
{
    using var scope = TS.NewDisposeScope();
    topt.zero_grad();
    var loss = TS.nn.functional.cross_entropy(tmodel.call(tx), ty);
    loss.backward();
    topt.step();
    return loss.item<float>();
}

Console.WriteLine($"first losses: ours {Ours():F6}, libtorch {Torch():F6} (same weights and data)");
for (int i = 0; i < 3; i++) { Ours(); Torch(); }   // warm-up: JIT, libtorch's first-call set-up

var ratios = new List<double>(); var oursMs = new List<double>(); var torchMs = new List<double>(); var alloc = new List<double>();
var proc = Process.GetCurrentProcess();
for (int r = 0; r < rounds; r++)
{
    long a0 = GC.GetAllocatedBytesForCurrentThread();
    var sw = Stopwatch.StartNew();
    for (int s = 0; s < steps; s++) Ours();
    double o = sw.Elapsed.TotalMilliseconds / steps;
    alloc.Add((GC.GetAllocatedBytesForCurrentThread() - a0) / (double)steps / (1 << 20));
    sw.Restart();
    for (int s = 0; s < steps; s++) Torch();
    double t = sw.Elapsed.TotalMilliseconds / steps;
    oursMs.Add(o); torchMs.Add(t); ratios.Add(o / t);
}
static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
proc.Refresh();
Console.WriteLine($"LeNet step, batch 64 (ours on {Environment.ProcessorCount} cores, libtorch with {torchThreads} threads):");
Console.WriteLine($"  ours     {Median(oursMs),8:F2} ms/step   managed allocation {Median(alloc):F2} MB/step");
Console.WriteLine($"  libtorch {Median(torchMs),8:F2} ms/step");
Console.WriteLine($"  ours / libtorch, median of {rounds} interleaved rounds: {Median(ratios):F2}   (each: {string.Join(", ", ratios.Select(v => v.ToString("F2")))})");
Console.WriteLine($"  peak working set of the process (both sides): {proc.PeakWorkingSet64 / (1 << 20)} MB");

// Batching an epoch of Fashion-MNIST (ToTensor + Normalize + stack) beside an epoch of training steps.
if (Directory.Exists("/usr/share/datasets/fashion-mnist"))
{
    var train = new datasets.FashionMNIST(train: true, transform: new transforms.Compose(new transforms.ToTensor(), new transforms.Normalize([0.2860], [0.3530])));
    var loader = new DataLoader(train, batch_size: 64, shuffle: true);
    int limit = quick ? 100 : (int)loader.len();
    var sw = Stopwatch.StartNew();
    int n = 0;
    foreach (var b in loader) { if (++n == limit) break; }
    double batching = sw.Elapsed.TotalMilliseconds / n;
    sw.Restart();
    for (int s = 0; s < steps; s++) Ours();
    double step = sw.Elapsed.TotalMilliseconds / steps;
    Console.WriteLine($"Fashion-MNIST batching: {batching:F2} ms per batch of 64 ({n} batches) against {step:F2} ms per LeNet step: {batching / (batching + step):P1} of an epoch");
}
