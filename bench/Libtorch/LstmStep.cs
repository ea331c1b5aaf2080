using Notebooks.Tensors;
using TS = TorchSharp;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;
using optim = Notebooks.Tensors.torch.optim;

namespace Notebooks.Bench.Libtorch;

/// <summary>
/// `lstm`: one LSTM training step, issue #16's size: sequence 35, batch 32, input 128, hidden 128, one layer, a
/// Linear(128, 1) head on every step's output, MSE against a random target, SGD(lr=0.01): zero_grad, forward, loss,
/// backward, step. Ours and libtorch's (float32 LSTMs run through oneDNN there) start from the same weights and data;
/// the first step's losses are printed side by side. Then the recurrent products alone.
/// </summary>
internal static class LstmStep
{
    const int Seq = 35, Batch = 32, Input = 128, Hidden = 128;

    /// <summary>Per time step: the gates' two products forward, and in backward the gates' gradient through both weights and into x and h.</summary>
    private const double Flops = 2.0 * Seq * Batch * 4 * Hidden * (Input + Hidden) * 3;

    public static void Run(bool quick)
    {
        int rounds = quick ? 3 : 7;
        torch.manual_seed(0);
        var lstm = new nn.LSTM(Input, Hidden);
        var head = new nn.Linear(Hidden, 1);
        var opt = new optim.SGD(lstm.parameters().Concat(head.parameters()), lr: 0.01);
        var x = torch.randn(Seq, Batch, Input);
        var y = torch.randn(Seq, Batch, 1);
        float Ours()
        {
            opt.zero_grad();
            var (output, _) = lstm.call(x);
            var loss = F.mse_loss(head.call(output), y);
            loss.backward();
            opt.step();
            return loss.item<float>();
        }

        var tlstm = TS.torch.nn.LSTM(Input, Hidden);
        var thead = TS.torch.nn.Linear(Hidden, 1);
        using (TS.torch.no_grad())
            foreach (var (mine, theirs) in lstm.parameters().Concat(head.parameters()).Zip(tlstm.parameters().Concat(thead.parameters())))
                theirs.copy_(Convert.ToTorch(mine));
        var topt = TS.torch.optim.SGD(tlstm.parameters().Concat(thead.parameters()), 0.01);
        var tx = Convert.ToTorch(x); var ty = Convert.ToTorch(y);
        float Torch()
        {
            using var scope = TS.torch.NewDisposeScope();
            topt.zero_grad();
            var (output, _, _) = tlstm.call(tx);
            var loss = TS.torch.nn.functional.mse_loss(thead.call(output), ty);
            loss.backward();
            topt.step();
            return loss.item<float>();
        }

        Console.WriteLine($"first losses: ours {Ours():R}, libtorch {Torch():R} (same weights and data)");
        Table.Header($"LSTM training step (seq {Seq}, batch {Batch}, input {Input}, hidden {Hidden}, Linear head, MSE, SGD)");
        Table.Print(Pairing.Compare("LSTM step", Flops, () => Ours(), () => Torch(), rounds, targetMs: 150));
        Table.Print(Pairing.Compare("  forward, no grad", Flops / 3, () => { using (torch.no_grad()) lstm.call(x); },
            () => { using var s = TS.torch.NewDisposeScope(); using (TS.torch.no_grad()) tlstm.call(tx); }, rounds));

        var h = torch.randn(Batch, Hidden); var w = torch.randn(4 * Hidden, Hidden); var wt = w.t(); var dg = torch.randn(Batch, 4 * Hidden);
        var th = Convert.ToTorch(h); var tw = Convert.ToTorch(w); var twt = tw.t(); var tdg = Convert.ToTorch(dg);
        Table.Print(Pairing.Compare("  h·W_hhᵀ [32,128]·[128,512]", 2.0 * Batch * Hidden * 4 * Hidden, () => h.mm(wt),
            () => { using var _ = TS.torch.NewDisposeScope(); th.mm(twt); }, rounds));
        Table.Print(Pairing.Compare("  dG·W_hh [32,512]·[512,128]", 2.0 * Batch * Hidden * 4 * Hidden, () => dg.mm(w),
            () => { using var _ = TS.torch.NewDisposeScope(); tdg.mm(tw); }, rounds));
    }
}
