using System.Diagnostics;
using Notebooks.Tensors;
using TS = TorchSharp;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;
using optim = Notebooks.Tensors.torch.optim;

namespace Notebooks.Bench.Libtorch;

/// <summary>
/// One LSTM training step, the issue's size: sequence 35, batch 32, input 128, hidden 128, one layer, a Linear(128, 1)
/// head on every step's output, MSE against a random target, SGD(lr=0.01): zero_grad, forward, loss, backward, step.
/// Ours (Notebooks.Tensors) and libtorch's (TorchSharp 0.107 / libtorch 2.10, CPU, which runs float32 LSTMs through
/// oneDNN) start from the same weights and data; the first step's losses are printed side by side as a check.
/// </summary>
internal static class LstmStep
{
    const int Seq = 35, Batch = 32, Input = 128, Hidden = 128;

    sealed class Ours
    {
        public readonly nn.LSTM Lstm = new(Input, Hidden);
        public readonly nn.Linear Head = new(Hidden, 1);
        public readonly optim.SGD Opt;
        public readonly Tensor X, Y;

        public Ours()
        {
            Opt = new optim.SGD(Lstm.parameters().Concat(Head.parameters()), lr: 0.01);
            X = torch.randn(Seq, Batch, Input);
            Y = torch.randn(Seq, Batch, 1);
        }

        public float Step()
        {
            Opt.zero_grad();
            var (output, _) = Lstm.call(X);
            var loss = F.mse_loss(Head.call(output), Y);
            loss.backward();
            Opt.step();
            return loss.item<float>();
        }
    }

    sealed class Theirs
    {
        public readonly TS.Modules.LSTM Lstm = TS.torch.nn.LSTM(Input, Hidden);
        public readonly TS.Modules.Linear Head = TS.torch.nn.Linear(Hidden, 1);
        public readonly TS.torch.optim.Optimizer Opt;
        public readonly TS.torch.Tensor X, Y;

        public Theirs(Ours from)
        {
            // Our weights, in PyTorch's parameter order (the names and shapes are the same).
            using (TS.torch.no_grad())
            {
                foreach (var (mine, theirs) in from.Lstm.parameters().Concat(from.Head.parameters()).Zip(Lstm.parameters().Concat(Head.parameters())))
                    theirs.copy_(Copy(mine));
            }
            Opt = TS.torch.optim.SGD(Lstm.parameters().Concat(Head.parameters()), 0.01);
            X = Copy(from.X);
            Y = Copy(from.Y);
        }

        static TS.torch.Tensor Copy(Tensor t) => TS.torch.tensor(t.detach().contiguous().reshape(-1).ToArray<float>(), t.shape.ToArray());

        public float Step()
        {
            using var scope = TS.torch.NewDisposeScope();
            Opt.zero_grad();
            var (output, _, _) = Lstm.call(X);
            var loss = TS.torch.nn.functional.mse_loss(Head.call(output), Y);
            loss.backward();
            Opt.step();
            return loss.item<float>();
        }
    }

    public sealed record Result(double OursMs, double TorchMs, double Ratio, double OursAllocMB, float LossOurs, float LossTorch, int Rounds)
    {
        public override string ToString() =>
            $"LSTM step (seq {Seq}, batch {Batch}, input {Input}, hidden {Hidden}, Linear head, MSE, SGD), {Environment.ProcessorCount} cores, median of {Rounds} interleaved rounds:\n" +
            $"  ours    {OursMs,8:F2} ms/step   managed allocation {OursAllocMB:F1} MB/step\n" +
            $"  libtorch{TorchMs,8:F2} ms/step\n" +
            $"  ours / libtorch time: {Ratio:F2}   (first-step loss: ours {LossOurs:R}, libtorch {LossTorch:R})";
    }

    public static Result Time(bool quick)
    {
        torch.manual_seed(0);
        TS.torch.set_num_threads(Environment.ProcessorCount);
        var ours = new Ours();
        var theirs = new Theirs(ours);
        float l0 = ours.Step(), t0 = theirs.Step();
        for (int i = 0; i < (quick ? 2 : 10); i++) { ours.Step(); theirs.Step(); }

        int rounds = quick ? 3 : 15, perRound = quick ? 2 : 4;
        var mine = new List<double>(); var libt = new List<double>(); var ratios = new List<double>();
        long allocated = 0; int allocSteps = 0;
        for (int r = 0; r < rounds; r++)
        {
            double a = 0, b = 0;
            // Alternate which side goes first, so a slow phase of the shared machine hits both alike.
            for (int side = 0; side < 2; side++)
            {
                bool doOurs = (side == 0) == (r % 2 == 0);
                long before = GC.GetTotalAllocatedBytes(precise: true);
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < perRound; i++) { if (doOurs) ours.Step(); else theirs.Step(); }
                double ms = sw.Elapsed.TotalMilliseconds / perRound;
                if (doOurs) { a = ms; allocated += GC.GetTotalAllocatedBytes(precise: true) - before; allocSteps += perRound; }
                else b = ms;
            }
            mine.Add(a); libt.Add(b); ratios.Add(a / b);
        }
        return new Result(Median(mine), Median(libt), Median(ratios), allocated / (double)allocSteps / (1 << 20), l0, t0, rounds);
    }

    public static string Header =>
        $"LSTM step (seq {Seq}, batch {Batch}, input {Input}, hidden {Hidden}, Linear head, MSE, SGD), {Environment.ProcessorCount} cores";

    /// <summary>
    /// One side alone in its process: mean ms/step after the first step, the process's peak working set (managed +
    /// native) and its growth while stepping, our managed allocation per step, and the first step's loss.
    /// </summary>
    public static string Alone(string side, int steps, int torchThreads)
    {
        torch.manual_seed(0);
        TS.torch.set_num_threads(torchThreads);
        var ours = new Ours();
        Func<float> step = ours.Step;
        if (side == "torch") step = new Theirs(ours).Step;
        GC.Collect();
        long baseline = Process.GetCurrentProcess().WorkingSet64;
        float first = step();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        for (int i = 1; i < steps; i++) step();
        double ms = sw.Elapsed.TotalMilliseconds / (steps - 1);
        double alloc = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)(steps - 1) / (1 << 20);
        var p = Process.GetCurrentProcess();
        p.Refresh();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return string.Join(' ', ms.ToString("F2", inv), (p.PeakWorkingSet64 / (double)(1 << 20)).ToString("F1", inv),
            ((p.PeakWorkingSet64 - baseline) / (double)(1 << 20)).ToString("F1", inv), alloc.ToString("F1", inv), first.ToString("R", inv));
    }

    static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
