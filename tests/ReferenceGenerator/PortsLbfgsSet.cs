using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Notebooks.ReferenceGenerator;

/// <summary>
/// libtorch's L-BFGS (torch::optim::LBFGS, the C++ port of torch/optim/lbfgs.py, through TorchSharp) on fixed float64
/// problems, without line search (TorchSharp binds no line_search_fn): the loss each step(closure) returns and the
/// parameters after it. Set name "ports_lbfgs".
/// </summary>
public class PortsLbfgsSet : IReferenceSet
{
    public string Name => "ports_lbfgs";

    public string About =>
        "tests/ReferenceGenerator/PortsLbfgsSet.cs: libtorch 2.10 torch::optim::LBFGS through TorchSharp 0.107, float64, one thread, no line search. " +
        "rosenbrock: x = [-1.5, 2.0], f = (1-x0)^2 + 100 (x1-x0^2)^2. regression: W (3,2) = arange(6)/10-0.2, b (2) = [0.1,-0.1], X (8,3) = sin(arange(24)), " +
        "Y (8,2) = cos(arange(16)), loss = mean((X W + b - Y)^2). Each case: options, the loss returned by each step and the flattened parameters after it.";

    private static double[] Values(Tensor t) => t.detach().contiguous().data<double>().ToArray();

    public object Build()
    {
        torch.set_num_threads(1);
        var cases = new List<Dictionary<string, object>>();
        foreach (var (lr, maxIter, history, steps) in new[] { (1.0, 20, 100, 4), (0.5, 5, 3, 6), (1.0, 4, 2, 5) })
        {
            cases.Add(Rosenbrock(lr, maxIter, history, steps));
            cases.Add(Regression(lr, maxIter, history, steps));
        }
        return cases;
    }

    private static Dictionary<string, object> Run(string name, Parameter[] ps, Func<Tensor> loss, double lr, int maxIter, int history, int steps)
    {
        var opt = torch.optim.LBFGS(ps, lr, maxIter, null, 1e-7, 1e-9, history);
        var losses = new List<double>();
        var after = new List<double[]>();
        for (int s = 0; s < steps; s++)
        {
            var l = opt.step(() => { opt.zero_grad(); var v = loss(); v.backward(); return v; });
            losses.Add(l.item<double>());
            after.Add(ps.SelectMany(p => Values(p)).ToArray());
        }
        return new()
        {
            ["name"] = name, ["lr"] = lr, ["max_iter"] = maxIter, ["history_size"] = history,
            ["losses"] = losses.ToArray(), ["params_after"] = after.ToArray(),
        };
    }

    private static Dictionary<string, object> Rosenbrock(double lr, int maxIter, int history, int steps)
    {
        var x = new Parameter(torch.tensor(new[] { -1.5, 2.0 }, ScalarType.Float64));
        return Run("rosenbrock", [x], () => (1 - x[0]).pow(2) + 100 * (x[1] - x[0].pow(2)).pow(2), lr, maxIter, history, steps);
    }

    private static Dictionary<string, object> Regression(double lr, int maxIter, int history, int steps)
    {
        var W = new Parameter(torch.arange(6, ScalarType.Float64).reshape(3, 2) / 10 - 0.2);
        var b = new Parameter(torch.tensor(new[] { 0.1, -0.1 }, ScalarType.Float64));
        var X = torch.sin(torch.arange(24, ScalarType.Float64)).reshape(8, 3);
        var Y = torch.cos(torch.arange(16, ScalarType.Float64)).reshape(8, 2);
        return Run("regression", [W, b], () => (X.matmul(W) + b - Y).pow(2).mean(), lr, maxIter, history, steps);
    }
}
