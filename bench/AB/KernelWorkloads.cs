using Notebooks.Tensors;

namespace Notebooks.Bench.AB;

/// <summary>
/// The CPU kernels' workloads (GEMM at issue #17's small sizes and the training shapes, issue #16's LSTM step), for
/// a paired before/after of the GEMM, the worker team or the fused LSTM: pick them with the fourth argument, e.g.
/// <c>Mm64f:200,Mm256f:5,HWt:50,Lstm:2</c>. Run with DOTNET_PROCESSOR_COUNT=1 for the one-thread figures. Built
/// on first use, so the default (per-op) run does not pay for them.
/// </summary>
public static partial class Workloads
{
    private sealed class Kernels
    {
        public readonly Tensor F64a = torch.randn(64, 64), F64b = torch.randn(64, 64), F128a = torch.randn(128, 128), F128b = torch.randn(128, 128);
        public readonly Tensor F256a = torch.randn(256, 256), F256b = torch.randn(256, 256);
        public readonly Tensor D64a, D64b, D256a, D256b;
        public readonly Tensor H = torch.randn(32, 128), Whh = torch.randn(512, 128), Xm = torch.randn(64, 784), Wm = torch.randn(256, 784);
        public readonly Tensor Lx = torch.randn(35, 32, 128), Ly = torch.randn(35, 32, 1);
        public readonly torch.nn.LSTM Lstm = new(128, 128);
        public readonly torch.nn.Linear Head = new(128, 1);
        public readonly torch.optim.SGD Opt;

        public Kernels()
        {
            D64a = F64a.to(torch.float64); D64b = F64b.to(torch.float64); D256a = F256a.to(torch.float64); D256b = F256b.to(torch.float64);
            Opt = new torch.optim.SGD(Lstm.parameters().Concat(Head.parameters()), lr: 0.01);
        }
    }

    private static Kernels? _k;
    private static Kernels K => _k ??= new Kernels();

    public static void Mm64f(int n) { var k = K; for (int i = 0; i < n; i++) k.F64a.mm(k.F64b); }
    public static void Mm128f(int n) { var k = K; for (int i = 0; i < n; i++) k.F128a.mm(k.F128b); }
    public static void Mm256f(int n) { var k = K; for (int i = 0; i < n; i++) k.F256a.mm(k.F256b); }
    public static void Mm64d(int n) { var k = K; for (int i = 0; i < n; i++) k.D64a.mm(k.D64b); }
    public static void Mm256d(int n) { var k = K; for (int i = 0; i < n; i++) k.D256a.mm(k.D256b); }

    /// <summary>h·W_hhᵀ [32,128]·[128,512] through the transposed weight, as mm sees it.</summary>
    public static void HWt(int n) { var k = K; for (int i = 0; i < n; i++) k.H.mm(k.Whh.t()); }

    /// <summary>An nn.Linear(784, 256) forward's product, x·Wᵀ on a batch of 64.</summary>
    public static void XWt(int n) { var k = K; for (int i = 0; i < n; i++) k.Xm.mm(k.Wm.t()); }

    /// <summary>Issue #16's LSTM forward alone (no grad).</summary>
    public static void LstmFwd(int n) { var k = K; for (int i = 0; i < n; i++) using (torch.no_grad()) k.Lstm.call(k.Lx); }

    /// <summary>Issue #16's LSTM training step: seq 35, batch 32, 128 → 128, Linear head, MSE, SGD.</summary>
    public static void Lstm(int n)
    {
        var k = K;
        for (int i = 0; i < n; i++)
        {
            k.Opt.zero_grad();
            var (output, _) = k.Lstm.call(k.Lx);
            torch.nn.functional.mse_loss(k.Head.call(output), k.Ly).backward();
            k.Opt.step();
        }
    }
}
