using TorchSharp;
using static TorchSharp.torch;

namespace Notebooks.ReferenceGenerator;

/// <summary>
/// torch.special and issue #21's binary math on wide ranges (poles, negatives, ±inf, nan, tiny and huge values), in
/// float32 and float64, and float64 gradients at smooth points: the values SpecialFunctionsTests compares against.
/// </summary>
public sealed class SpecialSet : IReferenceSet
{
    public string Name => "special";
    public string About => "torch.special / binary math values (float32 and float64 from the same double inputs) and float64 gradients of sum(f(x))";

    public static readonly double[] Wide = [double.NegativeInfinity, -1e10, -35.5, -10.5, -3.7, -2, -1, -0.5, -1e-300, 0, 1e-300, 1e-8, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 7.3, 10, 30.5, 100, 750, 1e5, 1e10, double.PositiveInfinity, double.NaN];
    public static readonly double[] Unit = [-1, -0.999999, -0.9, -0.5, -1e-10, 0, 1e-10, 0.3, 0.7, 0.75, 0.999999, 1, 1.5, double.NaN];
    public static readonly double[] Prob = [-0.5, 0, 1e-12, 0.001, 0.25, 0.5, 0.9, 0.999, 1, 2, double.NaN];
    public static readonly double[] Smooth = [-2.3, -0.7, 0.3, 0.9, 1.7, 4.2];
    public static readonly double[] SmoothPositive = [0.2, 0.45, 0.7, 1.3, 2.8, 6.1];
    public static readonly double[] A = [-3, -1.5, -0.0, 0, 0.5, 2, 4, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e300, -7];
    public static readonly double[] B = [2, -0.5, 1, -0.0, double.NaN, 0.5, 4, double.PositiveInfinity, 3, 1, 1e300, double.NegativeInfinity];

    public object Build()
    {
        var unary = new Dictionary<string, (Func<Tensor, Tensor> f, double[] x)>
        {
            ["lgamma"] = (x => x.lgamma(), Wide),
            ["digamma"] = (x => x.digamma(), Wide),
            ["polygamma1"] = (x => torch.polygamma(x, 1), Wide),
            ["polygamma3"] = (x => torch.polygamma(x, 3), Wide),
            ["erfinv"] = (x => x.erfinv(), Unit),
            ["logit"] = (x => x.logit(), Prob),
            ["logit_eps"] = (x => x.logit(0.01), Prob),
            ["i0"] = (x => torch.special.i0(x), Wide),
            ["i0e"] = (x => torch.special.i0e(x), Wide),
            ["i1"] = (x => torch.special.i1(x), Wide),
            ["i1e"] = (x => torch.special.i1e(x), Wide),
            // No erfcx: TorchSharp 0.107's torch.special.erfcx computes erfc.
            ["ndtr"] = (x => torch.special.ndtr(x), Wide),
            ["sinc"] = (x => x.sinc(), Wide),
            ["entr"] = (x => torch.special.entr(x), Wide),
            ["multigammaln3"] = (x => torch.special.multigammaln(x, 3), [1.2, 1.5, 2.0, 3.7, 10.5, 100.0]),
        };
        var binary = new Dictionary<string, Func<Tensor, Tensor, Tensor>>
        {
            ["xlogy"] = (a, b) => torch.xlogy(a, b),
            ["xlog1py"] = (a, b) => torch.special.xlog1py(a, b),
            ["zeta"] = (a, b) => torch.special.zeta(a, b),
            ["hypot"] = (a, b) => torch.hypot(a, b),
            ["logaddexp"] = (a, b) => torch.logaddexp(a, b),
            ["logaddexp2"] = (a, b) => torch.logaddexp2(a, b),
            ["fmax"] = (a, b) => torch.fmax(a, b),
            ["fmin"] = (a, b) => torch.fmin(a, b),
            ["copysign"] = (a, b) => torch.copysign(a, b),
            ["nextafter"] = (a, b) => torch.nextafter(a, b),
            ["heaviside"] = (a, b) => torch.heaviside(a, b),
            ["ldexp"] = (a, b) => torch.ldexp(a, b),
        };
        var cases = new Dictionary<string, object>();
        foreach (var (name, (f, xs)) in unary)
        {
            cases[name] = new Dictionary<string, object>
            {
                ["x"] = xs.Enc(),
                ["float64"] = f(torch.tensor(xs, ScalarType.Float64)).data<double>().ToArray().Enc(),
                ["float32"] = f(torch.tensor(xs, ScalarType.Float64).to(ScalarType.Float32)).to(ScalarType.Float64).data<double>().ToArray().Enc(),
            };
        }
        foreach (var (name, f) in binary)
        {
            cases[name] = new Dictionary<string, object>
            {
                ["a"] = A.Enc(), ["b"] = B.Enc(),
                ["float64"] = f(torch.tensor(A, ScalarType.Float64), torch.tensor(B, ScalarType.Float64)).data<double>().ToArray().Enc(),
                ["float32"] = f(torch.tensor(A, ScalarType.Float64).to(ScalarType.Float32), torch.tensor(B, ScalarType.Float64).to(ScalarType.Float32)).to(ScalarType.Float64).data<double>().ToArray().Enc(),
            };
        }
        // Gradients of sum(f(x)) in float64 at smooth points.
        var grads = new Dictionary<string, object>();
        void Grad(string name, Func<Tensor, Tensor> f, double[] xs)
        {
            var x = torch.tensor(xs, ScalarType.Float64).requires_grad_();
            f(x).sum().backward();
            grads[name] = new Dictionary<string, object> { ["x"] = xs.Enc(), ["grad"] = x.grad!.data<double>().ToArray().Enc() };
        }
        Grad("lgamma", x => x.lgamma(), Smooth);
        Grad("digamma", x => x.digamma(), Smooth);
        Grad("polygamma2", x => torch.polygamma(x, 2), Smooth);
        Grad("erfinv", x => x.erfinv(), [-0.9, -0.3, 0.1, 0.5, 0.8]);
        Grad("logit", x => x.logit(), [0.1, 0.3, 0.6, 0.95]);
        Grad("logit_eps", x => x.logit(0.2), [0.1, 0.3, 0.6, 0.95]);
        Grad("i0", x => torch.special.i0(x), Smooth);
        Grad("i0e", x => torch.special.i0e(x), Smooth);
        Grad("i1", x => torch.special.i1(x), Smooth);
        Grad("i1e", x => torch.special.i1e(x), Smooth);
        Grad("ndtr", x => torch.special.ndtr(x), Smooth);
        Grad("sinc", x => x.sinc(), Smooth);
        Grad("entr", x => torch.special.entr(x), SmoothPositive);
        Grad("multigammaln3", x => torch.special.multigammaln(x, 3), [1.2, 1.5, 2.0, 3.7]);
        var sa = new[] { -1.3, 0.4, 2.2, 0.7 };
        var sb = new[] { 0.6, 1.9, 0.3, 2.5 };
        void Grad2(string name, Func<Tensor, Tensor, Tensor> f, double[] av, double[] bv)
        {
            var a = torch.tensor(av, ScalarType.Float64).requires_grad_();
            var b = torch.tensor(bv, ScalarType.Float64).requires_grad_();
            f(a, b).sum().backward();
            grads[name] = new Dictionary<string, object> { ["a"] = av, ["b"] = bv, ["grad_a"] = a.grad!.data<double>().ToArray().Enc(), ["grad_b"] = b.grad!.data<double>().ToArray().Enc() };
        }
        Grad2("xlogy", (a, b) => torch.xlogy(a, b), sa, sb);
        Grad2("xlog1py", (a, b) => torch.special.xlog1py(a, b), sa, sb);
        Grad2("hypot", (a, b) => torch.hypot(a, b), sa, sb);
        Grad2("logaddexp", (a, b) => torch.logaddexp(a, b), sa, sb);
        Grad2("logaddexp2", (a, b) => torch.logaddexp2(a, b), sa, sb);
        Grad2("fmax", (a, b) => torch.fmax(a, b), sa, sb);
        Grad2("fmin", (a, b) => torch.fmin(a, b), sa, sb);
        Grad2("copysign", (a, b) => torch.copysign(a, b), sa, sb);
        return new Dictionary<string, object> { ["values"] = cases, ["grads"] = grads };
    }
}

internal static class JsonDoubles
{
    /// <summary>JSON has no NaN or infinities: those go as the strings "nan", "inf", "-inf" (the tests read them back).</summary>
    public static object[] Enc(this double[] v) =>
        v.Select(d => double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : (object)d).ToArray();
}
