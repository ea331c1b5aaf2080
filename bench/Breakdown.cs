using Notebooks.Tensors;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;
using optim = Notebooks.Tensors.torch.optim;

namespace Notebooks.Bench;

/// <summary>
/// Where a small training step's time and allocations go: each piece of lesson 001's steps timed and counted on
/// its own, with the inputs it would see inside the step. The pieces do not add up exactly to the step (each is
/// warmed and timed in isolation), but they show which ops and which overheads dominate.
/// </summary>
internal static class Breakdown
{
    public static void Run(Report report, bool quick)
    {
        int reps = quick ? 3 : 7;
        void Piece(string name, Action body)
        {
            double t = Measure.Best(body, reps, 30);
            report.Add("breakdown", name, t * 1e6, "µs", $"{Measure.AllocatedBytes(body, 200):F0} B allocated");
        }

        torch.manual_seed(0);
        var X = torch.randn(300, 2);
        var y = X.matmul(torch.tensor(new float[] { 2f, -3.4f })) + 4.2;
        var w = torch.randn([2], requires_grad: true);
        var bias = torch.zeros([1], requires_grad: true);
        Tensor Loss1() => (X.matmul(w) + bias - y).pow(2).mean();
        var mv = X.matmul(w);
        var lin = mv + bias;
        var diff = lin - y;
        var sq = diff.pow(2);
        Piece("1L X.matmul(w) [300,2]·[2]", () => X.matmul(w));
        Piece("1L + bias [300]+[1]", () => { var _ = mv + bias; });
        Piece("1L - y [300]", () => { var _ = lin - y; });
        Piece("1L .pow(2)", () => diff.pow(2));
        Piece("1L .mean()", () => sq.mean());
        Piece("1L forward (all)", () => Loss1());
        Piece("1L forward+backward", () => Loss1().backward());
        Loss1().backward();
        Piece("1L SGD update + zero_ (no_grad)", () =>
        {
            using (torch.no_grad())
            {
                w -= 0.0 * w.grad!;
                bias -= 0.0 * bias.grad!;
                w.grad!.zero_();
                bias.grad!.zero_();
            }
        });

        var w1 = (torch.randn(2, 10) * 0.5).requires_grad_();
        var b1 = torch.zeros([10], requires_grad: true);
        var w2 = (torch.randn(10) * 0.5).requires_grad_();
        var b2 = torch.zeros([1], requires_grad: true);
        var mm = X.matmul(w1);
        var pre = mm + b1;
        var h = pre.relu();
        Tensor Loss2() => ((X.matmul(w1) + b1).relu().matmul(w2) + b2 - y).pow(2).mean();
        Piece("2L X.matmul(w1) [300,2]·[2,10]", () => X.matmul(w1));
        Piece("2L + b1 [300,10]+[10]", () => { var _ = mm + b1; });
        Piece("2L .relu() [300,10]", () => pre.relu());
        Piece("2L h.matmul(w2) [300,10]·[10]", () => h.matmul(w2));
        Piece("2L forward (all)", () => Loss2());
        Piece("2L forward+backward", () => Loss2().backward());

        // The lesson's form: a module called through Module.call, F.mse_loss and optim.SGD.
        torch.manual_seed(0);
        var model = new nn.Linear(2, 1);
        var opt = new optim.SGD(model.parameters(), lr: 0.03);
        var yc = y.unsqueeze(1);
        Piece("nn Linear.call(X)", () => model.call(X));
        Piece("nn F.mse_loss fwd", () => F.mse_loss(model.call(X), yc));
        Piece("nn opt.zero_grad()", () => opt.zero_grad());
        F.mse_loss(model.call(X), yc).backward();
        Piece("nn opt.step()", () => opt.step());
    }

    /// <summary>Lesson 001's step as the lesson writes it: nn.Linear called through Module.call, mse_loss, optim.SGD.</summary>
    public static Action NnStep()
    {
        torch.manual_seed(0);
        var X = torch.randn(300, 2);
        var y = (X.matmul(torch.tensor(new float[] { 2f, -3.4f })) + 4.2).unsqueeze(1);
        var model = new nn.Linear(2, 1);
        var opt = new optim.SGD(model.parameters(), lr: 0.03);
        return () =>
        {
            opt.zero_grad();
            var loss = F.mse_loss(model.call(X), y);
            loss.backward();
            opt.step();
        };
    }
}
