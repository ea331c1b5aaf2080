using System.Text.Json.Nodes;
using optim = Notebooks.Tensors.torch.optim;

namespace Notebooks.Tensors.Tests.Optim;

/// <summary>
/// optim.LBFGS, torch/optim/lbfgs.py ported: without line search against libtorch's torch::optim::LBFGS
/// (torch_ports_lbfgs.json, float64: the loss each step returns and the parameters after it; within 1e-9, since the
/// dot products and sums may round in another order than libtorch's over up to 20 inner iterations of an ill-conditioned
/// problem), and with line_search_fn="strong_wolfe" by what the line search guarantees (TorchSharp binds no line search).
/// </summary>
public class LBFGSTests
{
    private static (Tensor[] ps, Func<Tensor> loss) Problem(string name)
    {
        if (name == "rosenbrock")
        {
            var x = torch.tensor(new[] { -1.5, 2.0 }, dtype: torch.float64).requires_grad_();
            return ([x], () => (1 - x[0]).pow(2) + 100 * (x[1] - x[0].pow(2)).pow(2));
        }
        var W = (torch.arange(6, dtype: torch.float64).reshape(3, 2) / 10 - 0.2).requires_grad_();
        var b = torch.tensor(new[] { 0.1, -0.1 }, dtype: torch.float64).requires_grad_();
        var X = torch.sin(torch.arange(24, dtype: torch.float64)).reshape(8, 3);
        var Y = torch.cos(torch.arange(16, dtype: torch.float64)).reshape(8, 2);
        return ([W, b], () => (X.matmul(W) + b - Y).pow(2).mean());
    }

    private static Func<Tensor> Closure(optim.Optimizer opt, Func<Tensor> loss) => () =>
    {
        opt.zero_grad();
        var v = loss();
        v.backward();
        return v;
    };

    public static IEnumerable<int> Cases() => Enumerable.Range(0, 6);

    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch_without_line_search(int index)
    {
        var c = JsonNode.Parse(File.ReadAllText(ReferenceData.File("torch_ports_lbfgs.json")))!["cases"]![index]!;
        var (ps, loss) = Problem(c["name"]!.GetValue<string>());
        var opt = new optim.LBFGS(ps, lr: c["lr"]!.GetValue<double>(), max_iter: c["max_iter"]!.GetValue<int>(), history_size: c["history_size"]!.GetValue<int>());
        var losses = c["losses"]!.AsArray();
        for (int s = 0; s < losses.Count; s++)
        {
            var returned = opt.step(Closure(opt, loss))!;
            Assert.That(returned.item<double>(), Is.EqualTo(losses[s]!.GetValue<double>()).Within(1e-9), $"{c["name"]} step {s}");
            var got = ps.SelectMany(p => p.detach().reshape(-1).ToArray<double>()).ToArray();
            var expected = c["params_after"]![s]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assert.That(got, Is.EqualTo(expected).Within(1e-9), $"{c["name"]} params after step {s}");
        }
    }

    [Test]
    public void Strong_wolfe_solves_rosenbrock()
    {
        var (ps, loss) = Problem("rosenbrock");
        var opt = new optim.LBFGS(ps, line_search_fn: "strong_wolfe");
        double previous = double.PositiveInfinity;
        for (int s = 0; s < 5; s++)
        {
            var returned = opt.step(Closure(opt, loss))!.item<double>();
            // Every accepted step satisfies the sufficient-decrease (Armijo) condition, so the loss never rises.
            Assert.That(returned, Is.LessThanOrEqualTo(previous));
            previous = returned;
        }
        Assert.That(loss().item<double>(), Is.LessThan(1e-8));
        Assert.That(ps[0].detach().ToArray<double>(), Is.EqualTo(new[] { 1.0, 1.0 }).Within(1e-4));
        var state = opt.state[ps[0]];
        Assert.That((long)state["func_evals"], Is.GreaterThan((long)state["n_iter"]), "the line search evaluates more than once per iteration somewhere");
    }

    [Test]
    public void Strong_wolfe_reaches_the_least_squares_optimum()
    {
        // A quadratic: the minimum is the least-squares fit, [X 1] \ Y.
        var (ps, loss) = Problem("regression");
        var opt = new optim.LBFGS(ps, max_iter: 10, line_search_fn: "strong_wolfe");
        opt.step(Closure(opt, loss));
        var X = torch.sin(torch.arange(24, dtype: torch.float64)).reshape(8, 3);
        var Y = torch.cos(torch.arange(16, dtype: torch.float64)).reshape(8, 2);
        var A = torch.cat([X, torch.ones(8, 1, dtype: torch.float64)], 1);
        var best = torch.linalg.lstsq(A, Y).solution;
        var optimum = (A.matmul(best) - Y).pow(2).mean().item<double>();
        Assert.That(loss().item<double>(), Is.EqualTo(optimum).Within(1e-12));
    }

    [Test]
    public void Cubic_interpolation_finds_a_cubics_minimum()
    {
        // f(x) = x^3 - 3x (minimum at x = 1): from x1 = 0 (f 0, f' -3) and x2 = 2 (f 2, f' 9) the cubic is exact.
        var t = optim.StrongWolfe.CubicInterpolate(0.0, 0.0, torch.tensor(-3.0, dtype: torch.float64), 2.0, 2.0, torch.tensor(9.0, dtype: torch.float64));
        Assert.That((double)t.Scalar, Is.EqualTo(1.0).Within(1e-15));
        // The bounds clamp it; no real minimum (d2 < 0) gives the middle of the bounds.
        var clamped = optim.StrongWolfe.CubicInterpolate(0.0, 0.0, torch.tensor(-3.0, dtype: torch.float64), 2.0, 2.0, torch.tensor(9.0, dtype: torch.float64), (1.5, 4.0));
        Assert.That((double)clamped.Scalar, Is.EqualTo(1.5));
        // d1 = 15 + 15 - 3·(0 - 10)/(0 - 1) = 0, d1² - g1·g2 < 0.
        var middle = optim.StrongWolfe.CubicInterpolate(0.0, 0.0, torch.tensor(15.0, dtype: torch.float64), 1.0, 10.0, torch.tensor(15.0, dtype: torch.float64));
        Assert.That((double)middle.Scalar, Is.EqualTo(0.5));
    }

    [Test]
    public void Arguments_and_errors_as_PyTorchs()
    {
        var (ps, loss) = Problem("rosenbrock");
        var opt = new optim.LBFGS(ps, max_iter: 8);
        Assert.That(opt.param_groups[0]["max_eval"], Is.EqualTo(10), "max_eval defaults to max_iter * 5 // 4");
        Assert.That(opt.param_groups[0]["history_size"], Is.EqualTo(100));
        Assert.That(() => opt.step(), Throws.ArgumentException.With.Message.EqualTo("LBFGS.step() missing 1 required positional argument: 'closure'"));
        var bad = new optim.LBFGS(ps, line_search_fn: "backtracking");
        Assert.That(() => bad.step(Closure(bad, loss)), Throws.InvalidOperationException.With.Message.EqualTo("only 'strong_wolfe' is supported"));
        Assert.That(() => new optim.LBFGS([new optim.ParamGroup(ps), new optim.ParamGroup([torch.zeros(1).requires_grad_()])]),
            Throws.ArgumentException.With.Message.EqualTo("LBFGS doesn't support per-parameter options (parameter groups)"));
        // Already optimal: the closure runs once and the parameters stay.
        var x = torch.tensor(new[] { 1.0, 1.0 }, dtype: torch.float64).requires_grad_();
        var done = new optim.LBFGS([x]);
        int calls = 0;
        done.step(() => { calls++; done.zero_grad(); var v = (1 - x[0]).pow(2) + 100 * (x[1] - x[0].pow(2)).pow(2); v.backward(); return v; });
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(x.detach().ToArray<double>(), Is.EqualTo(new[] { 1.0, 1.0 }));
    }
}
