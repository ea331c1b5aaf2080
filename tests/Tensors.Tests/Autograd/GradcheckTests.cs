using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Autograd;

/// <summary>
/// Every differentiable op against central finite differences (torch.autograd.gradcheck, PyTorch's defaults
/// eps=1e-6, atol=1e-5, rtol=1e-3, float64), over broadcasting, transposed (non-contiguous) inputs and each
/// reduction dim; then second derivatives with gradgradcheck.
/// </summary>
public class GradcheckTests
{
    private static Generator Gen() => new Generator().manual_seed(7);

    /// <summary>A float64 leaf: standard normal (or uniform in (lo, hi)), transposed when asked so it is non-contiguous.</summary>
    private static Tensor In(Generator g, long[] shape, bool transposed = false, double lo = double.NaN, double hi = 0)
    {
        var s = transposed ? shape.Reverse().ToArray() : shape;
        var t = double.IsNaN(lo) ? torch.randn(s, dtype: torch.float64, generator: g) : torch.rand(s, dtype: torch.float64, generator: g) * (hi - lo) + lo;
        if (transposed) t = t.t();
        return t.detach().requires_grad_();
    }

    public record Case(string Name, Func<Tensor[], Tensor> F, Func<Generator, Tensor[]> Inputs)
    {
        public override string ToString() => Name;
    }

    private static Case U(string name, Func<Tensor, Tensor> f, double lo = double.NaN, double hi = 0) =>
        new(name, xs => f(xs[0]), g => [In(g, [3, 4], false, lo, hi)]);
    private static Case UT(string name, Func<Tensor, Tensor> f, double lo = double.NaN, double hi = 0) =>
        new(name + " (transposed)", xs => f(xs[0]), g => [In(g, [3, 4], true, lo, hi)]);
    private static Case B(string name, Func<Tensor, Tensor, Tensor> f, long[] a, long[] b, bool tb = false, double lo = double.NaN, double hi = 0) =>
        new($"{name} {string.Join("x", a)},{string.Join("x", b)}{(tb ? "ᵀ" : "")}", xs => f(xs[0], xs[1]), g => [In(g, a, false, lo, hi), In(g, b, tb, lo, hi)]);

    private static IEnumerable<Case> Unary()
    {
        (string, Func<Tensor, Tensor>, double, double)[] ops =
        [
            ("exp", x => x.exp(), double.NaN, 0), ("exp2", x => x.exp2(), double.NaN, 0), ("expm1", x => x.expm1(), double.NaN, 0),
            ("log", x => x.log(), 0.5, 2), ("log2", x => x.log2(), 0.5, 2), ("log10", x => x.log10(), 0.5, 2), ("log1p", x => x.log1p(), 0.5, 2),
            ("sqrt", x => x.sqrt(), 0.5, 2), ("rsqrt", x => x.rsqrt(), 0.5, 2), ("reciprocal", x => x.reciprocal(), 0.5, 2),
            ("sin", x => x.sin(), double.NaN, 0), ("cos", x => x.cos(), double.NaN, 0), ("tan", x => x.tan(), -1, 1),
            ("asin", x => x.asin(), -0.9, 0.9), ("acos", x => x.acos(), -0.9, 0.9), ("atan", x => x.atan(), double.NaN, 0),
            ("sinh", x => x.sinh(), double.NaN, 0), ("cosh", x => x.cosh(), double.NaN, 0), ("tanh", x => x.tanh(), double.NaN, 0),
            ("sigmoid", x => x.sigmoid(), double.NaN, 0), ("erf", x => x.erf(), double.NaN, 0), ("erfc", x => x.erfc(), double.NaN, 0),
            ("abs", x => x.abs(), double.NaN, 0), ("neg", x => -x, double.NaN, 0), ("relu", x => x.relu(), double.NaN, 0),
            ("square", x => x.square(), double.NaN, 0), ("pow 3", x => x.pow(3), double.NaN, 0), ("pow -1.5", x => x.pow(-1.5), 0.5, 2),
            ("pow 0.5", x => x.pow(0.5), 0.5, 2), ("pow 0", x => x.pow(0), double.NaN, 0), ("2 ** x", x => torch.pow(2.0, x), double.NaN, 0),
            ("x * 3", x => x * 3, double.NaN, 0), ("x / 3", x => x / 3, double.NaN, 0), ("3 / x", x => 3 / x, 0.5, 2),
            ("x + 1", x => x + 1, double.NaN, 0), ("1 - x", x => 1 - x, double.NaN, 0), ("clone", x => x.clone(), double.NaN, 0),
            ("clamp", x => x.clamp(-0.5, 0.5), double.NaN, 0), ("clamp min", x => x.clamp_min(0.1), double.NaN, 0), ("clamp max", x => x.clamp_max(0.1), double.NaN, 0),
            ("floor", x => x.floor(), double.NaN, 0), ("sign", x => x.sign(), double.NaN, 0), ("frac", x => x.frac(), double.NaN, 0),
            ("lerp", x => x.lerp(x * x, 0.3), double.NaN, 0), ("lerp 0.7", x => x.lerp(x.exp(), 0.7), double.NaN, 0), ("to float64 (contiguous)", x => x.contiguous(), double.NaN, 0),
        ];
        foreach (var (n, f, lo, hi) in ops) { yield return U(n, f, lo, hi); yield return UT(n, f, lo, hi); }
    }

    private static IEnumerable<Case> Binary()
    {
        (string, Func<Tensor, Tensor, Tensor>, double, double)[] ops =
        [
            ("add", (a, b) => a + b, double.NaN, 0), ("add alpha", (a, b) => a.add(b, alpha: 2.5), double.NaN, 0),
            ("sub", (a, b) => a - b, double.NaN, 0), ("sub alpha", (a, b) => a.sub(b, alpha: 2.5), double.NaN, 0),
            ("mul", (a, b) => a * b, double.NaN, 0), ("div", (a, b) => a / b, 0.5, 2), ("pow", (a, b) => a.pow(b), 0.5, 2),
            ("maximum", (a, b) => a.maximum(b), double.NaN, 0), ("minimum", (a, b) => a.minimum(b), double.NaN, 0),
            ("atan2", (a, b) => a.atan2(b), 0.5, 2), ("where", (a, b) => torch.where(a.gt(b), a, b), double.NaN, 0),
            ("clamp tensors", (a, b) => a.clamp(b - 0.5, b + 0.5), double.NaN, 0),
        ];
        long[][][] shapes = [[[3, 4], [3, 4]], [[3, 4], [4]], [[3, 1], [1, 4]], [[2, 3, 4], [3, 1]], [[3, 4], []]];
        foreach (var (n, f, lo, hi) in ops)
        {
            foreach (var s in shapes) yield return B(n, f, s[0], s[1], false, lo, hi);
            yield return B(n, f, [3, 4], [3, 4], tb: true, lo, hi);
        }
    }

    private static IEnumerable<Case> Reductions()
    {
        (string, Func<Tensor, int, Tensor>)[] perDim =
        [
            ("sum", (x, d) => x.sum(d)), ("sum keepdim", (x, d) => x.sum(d, keepdim: true)), ("mean", (x, d) => x.mean(d)),
            ("prod", (x, d) => x.prod(d)), ("amax", (x, d) => x.amax(d)), ("amin", (x, d) => x.amin(d)),
            ("max(dim)", (x, d) => x.max(d).values), ("min(dim) keepdim", (x, d) => x.min(d, keepdim: true).values),
            ("std", (x, d) => x.std(d)), ("var", (x, d) => x.var(d)), ("var unbiased=false", (x, d) => x.var(d, unbiased: false)),
            ("var correction=1.5 keepdim", (x, d) => x.var([d], correction: 1.5, keepdim: true)), ("std correction=0", (x, d) => x.std([d], correction: 0)),
            ("var_mean", (x, d) => x.var_mean(d) is var (v, m) ? v + m * m : null!), ("std_mean keepdim", (x, d) => x.std_mean(d, keepdim: true) is var (s, m) ? s * m : null!),
            ("norm", (x, d) => x.norm(2, [d])), ("norm 1", (x, d) => x.norm(1, [d])), ("norm 3", (x, d) => x.norm(3, [d])),
            ("logsumexp", (x, d) => x.logsumexp(d)), ("softmax", (x, d) => x.softmax(d)), ("log_softmax", (x, d) => x.log_softmax(d)),
            ("cumsum", (x, d) => x.cumsum(d)), ("cumprod", (x, d) => x.cumprod(d)),
        ];
        foreach (var (n, f) in perDim)
            foreach (var dim in new[] { -1, 0, 1, 2 })
                yield return new($"{n} dim {dim}", xs => f(xs[0], dim), g => [In(g, [2, 3, 4])]);
        foreach (var (n, f) in perDim)
            for (int dim = 0; dim < 2; dim++)
            {
                int d = dim;
                yield return new($"{n} dim {d} (transposed)", xs => f(xs[0], d), g => [In(g, [3, 4], transposed: true)]);
            }
        (string, Func<Tensor, Tensor>)[] all =
        [
            ("sum()", x => x.sum()), ("mean()", x => x.mean()), ("prod()", x => x.prod()), ("amax()", x => x.amax()), ("max()", x => x.max()),
            ("min()", x => x.min()), ("std()", x => x.std()), ("var()", x => x.var()),
            ("var(correction=0)", x => x.var(correction: 0)), ("std_mean()", x => x.std_mean() is var (s, m) ? s * m.exp() : null!),
            ("var_mean() variance only", x => x.var_mean().Item1), ("std_mean() mean only", x => x.std_mean().Item2), ("norm()", x => x.norm()), ("trace", x => x.trace()),
            ("sum dims 0,2", x => x.reshape(3, 2, 2).sum([0L, 2])), ("mean dims -1,0 keepdim", x => x.reshape(3, 2, 2).mean([-1L, 0], keepdim: true)),
            ("logsumexp dims", x => x.reshape(3, 2, 2).logsumexp([0L, 1])),
            ("var dims 0,2", x => x.reshape(3, 2, 2).var([0L, 2])), ("std_mean dims -1,0 keepdim", x => x.reshape(3, 2, 2).std_mean([-1L, 0], keepdim: true) is var (s, m) ? s + m : null!),
        ];
        foreach (var (n, f) in all)
        {
            yield return U(n, f);
            yield return UT(n, f);
        }
        yield return U("prod() with a zero", x => (x * torch.tensor(new double[,] { { 1, 0, 1, 1 }, { 1, 1, 1, 1 }, { 1, 1, 1, 1 } })).prod());
        yield return U("cumprod(1) with a zero", x => (x * torch.tensor(new double[,] { { 1, 0, 1, 1 }, { 1, 1, 1, 0 }, { 1, 1, 1, 1 } })).cumprod(1));
        yield return U("prod(1) with a zero", x => (x * torch.tensor(new double[,] { { 1, 0, 1, 1 }, { 1, 1, 1, 1 }, { 1, 1, 1, 1 } })).prod(1));
    }

    private static IEnumerable<Case> Linear()
    {
        yield return B("mm", (a, b) => a.mm(b), [3, 4], [4, 2]);
        yield return B("mm", (a, b) => a.mm(b), [3, 4], [4, 2], tb: true);
        yield return B("bmm", (a, b) => a.bmm(b), [2, 3, 4], [2, 4, 2]);
        yield return B("mv", (a, b) => a.mv(b), [3, 4], [4]);
        yield return B("dot", (a, b) => a.dot(b), [4], [4]);
        yield return B("outer", (a, b) => a.outer(b), [3], [4]);
        yield return B("matmul 1D@2D", (a, b) => a.matmul(b), [4], [4, 3]);
        yield return B("matmul 2D@1D", (a, b) => a.matmul(b), [3, 4], [4]);
        yield return B("matmul batched broadcast", (a, b) => a.matmul(b), [2, 3, 4], [4, 2]);
        yield return B("matmul 1D@3D", (a, b) => a.matmul(b), [4], [2, 4, 3]);
        yield return U("diag of matrix", x => x.diag());
        yield return U("diag offset 1", x => x.diag(1));
        yield return new("diag of vector", xs => xs[0].diag(), g => [In(g, [3])]);
        yield return U("diagonal", x => x.diagonal());
        yield return U("diagonal -1", x => x.diagonal(-1));
        yield return U("tril", x => x.tril());
        yield return U("triu 1", x => x.triu(1));
        yield return UT("tril", x => x.tril());
    }

    private static IEnumerable<Case> Shapes()
    {
        (string, Func<Tensor, Tensor>)[] ops =
        [
            ("view", x => x.contiguous().view(2, 6)), ("reshape", x => x.reshape(6, 2)), ("flatten", x => x.flatten()),
            ("permute", x => x.permute(1, 0)), ("transpose", x => x.transpose(0, 1)), ("t", x => x.t()),
            ("expand", x => x.unsqueeze(0).expand(2, 3, 4)), ("squeeze", x => x.unsqueeze(1).squeeze()), ("squeeze dim", x => x.unsqueeze(1).squeeze(1)),
            ("unsqueeze", x => x.unsqueeze(-1)), ("slice", x => x.slice(1, 1, 4, 2)), ("narrow", x => x.narrow(0, 1, 2)),
            ("select", x => x.select(1, 2)), ("flip", x => x.flip(0, 1)), ("roll", x => x.roll(1, 1)), ("roll 2 dims", x => x.roll([1L, -2], [0L, 1])),
            ("repeat", x => x.repeat(2, 1, 3)), ("cat", x => torch.cat([x, x * 2], 1)), ("stack", x => torch.stack([x, x.exp()], 1)),
            ("split", x => x.split(3, 1)[0] * x.split(3, 1)[1].sum()), ("chunk", x => x.chunk(2, 0)[1]),
            ("gather", x => x.gather(1, torch.tensor(new long[,] { { 0, 0 }, { 3, 1 }, { 2, 2 } }))),
            ("index_select", x => x.index_select(1, torch.tensor(new long[] { 3, 0, 3 }))),
            ("scatter src", x => torch.zeros(3, 5, dtype: torch.float64).scatter(1, torch.tensor(new long[,] { { 0, 1 }, { 2, 3 }, { 4, 0 } }), x.slice(1, 0, 2))),
            ("scatter self", x => x.scatter(1, torch.tensor(new long[,] { { 0 }, { 2 }, { 3 } }), 0.0)),
            ("scatter_add", x => x.scatter_add(1, torch.tensor(new long[,] { { 0, 0 }, { 2, 3 }, { 1, 1 } }), x.slice(1, 1, 3))),
            ("expand_as then sum", x => x.sum(0).expand_as(x) * x),
            ("movedim", x => x.reshape(3, 2, 2).movedim(0, 2)),
        ];
        foreach (var (n, f) in ops) { yield return U(n, f); yield return UT(n, f); }
        yield return B("cat two inputs", (a, b) => torch.cat([a, b], 0), [2, 4], [3, 4]);
        yield return B("stack two inputs", (a, b) => torch.stack([a, b]), [3, 4], [3, 4], tb: true);
    }

    private static IEnumerable<Case> InPlace()
    {
        (string, Func<Tensor, Tensor>)[] ops =
        [
            ("add_", x => x * 1 is var y ? y.add_(x) : y), ("mul_ scalar", x => (x * 1).mul_(3)), ("mul_ tensor", x => (x * 1).mul_(x.exp())),
            ("div_", x => (x * 1).div_(x.exp())), ("exp_", x => (x * 1).exp_()), ("sigmoid_", x => (x * 1).sigmoid_()), ("relu_", x => (x * 1).relu_()),
            ("pow_", x => (x * 1).pow_(2)), ("clamp_", x => (x * 1).clamp_(-0.5, 0.5)), ("copy_", x => torch.zeros(3, 4, dtype: torch.float64).copy_(x * 2)),
            ("zero_ then add", x => (x * 1).zero_() + x), ("fill_ on a slice", x => (x * 1) is var y ? (y.slice(1, 0, 2).fill_(0) is var _ ? y : y) : y),
            ("mul_ through a view", x => (x * 1) is var y ? (y.select(0, 1).mul_(4) is var _ ? y : y) : y),
            ("add_ through a transposed view", x => (x * 1) is var y ? (y.t().slice(0, 1, 3).add_(y.t().slice(0, 0, 2)) is var _ ? y : y) : y),
            ("masked_fill_", x => (x * 1).masked_fill_(x.gt(0), 0.5)),
        ];
        foreach (var (n, f) in ops) { yield return U(n, f); yield return UT(n, f); }
    }

    private static IEnumerable<Case> Losses()
    {
        yield return B("huber_loss", (a, b) => F.huber_loss(a, b, delta: 0.7), [3, 4], [3, 4]);
        yield return B("huber_loss sum", (a, b) => F.huber_loss(a, b, reduction: "sum", delta: 1.3), [3, 4], [3, 4], tb: true);
        yield return B("huber_loss none", (a, b) => F.huber_loss(a, b, reduction: "none", delta: 0.4), [5, 4], [5, 4]);
        yield return B("smooth_l1_loss", (a, b) => F.smooth_l1_loss(a, b), [5, 4], [5, 4]);
        yield return B("smooth_l1_loss sum", (a, b) => F.smooth_l1_loss(a, b, reduction: "sum", beta: 0.6), [3, 4], [3, 4], tb: true);
        yield return B("smooth_l1_loss none", (a, b) => F.smooth_l1_loss(a, b, reduction: "none", beta: 0.4), [3, 4], [3, 4]);
        yield return B("mse_loss", (a, b) => F.mse_loss(a, b), [3, 4], [3, 4]);
        yield return B("lerp tensor weight", (a, b) => a.lerp(b, (a * b).sigmoid()), [3, 4], [3, 4]);
    }

    private static IEnumerable<Case> All() => Unary().Concat(Binary()).Concat(Reductions()).Concat(Linear()).Concat(Shapes()).Concat(InPlace()).Concat(Losses());

    public static IEnumerable<TestCaseData> Cases() => All().Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(Cases))]
    public void Gradcheck(Case c) =>
        Assert.That(torch.autograd.gradcheck(c.F, c.Inputs(Gen())), Is.True);

    // Second derivatives: ops whose formulas are smooth where sampled (ties, kinks and integer steps are left out).
    private static readonly HashSet<string> NotTwiceDifferentiable =
        ["abs", "relu", "clamp", "clamp min", "clamp max", "floor", "sign", "frac", "maximum", "minimum", "where", "clamp tensors",
         "amax", "amin", "max(dim)", "min(dim) keepdim", "amax()", "max()", "min()", "norm 1", "relu_", "clamp_", "masked_fill_"];

    public static IEnumerable<TestCaseData> SecondOrderCases() =>
        All().Where(c => !NotTwiceDifferentiable.Any(n => c.Name == n || c.Name.StartsWith(n + " (") || c.Name.StartsWith(n + " dim") || c.Name.StartsWith(n + " 3x") || c.Name.StartsWith(n + " 2x")))
             .Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(SecondOrderCases))]
    public void Gradgradcheck(Case c) =>
        Assert.That(torch.autograd.gradgradcheck(c.F, c.Inputs(Gen())), Is.True);

    [Test]
    public void MismatchRaisesWithBothJacobians()
    {
        var x = torch.tensor(new[] { 1.0, 2.0 }, dtype: torch.float64, requires_grad: true);
        var e = Assert.Throws<torch.autograd.GradcheckError>(() => torch.autograd.gradcheck(WrongSquare.apply, x))!;
        Assert.That(e.Message, Is.EqualTo(
            "Jacobian mismatch for output 0 with respect to input 0,\n" +
            "numerical:tensor([[2.0000, 0.0000],\n        [0.0000, 4.0000]], dtype=torch.float64)\n" +
            "analytical:tensor([[1., 0.],\n        [0., 2.]], dtype=torch.float64)\n"));
        Assert.That(torch.autograd.gradcheck(WrongSquare.apply, x, raise_exception: false), Is.False);
    }

    /// <summary>x² with a backward that forgets the factor 2.</summary>
    private sealed class WrongSquare : torch.autograd.Function<WrongSquare>
    {
        public static Tensor forward(Notebooks.Tensors.Autograd.FunctionCtx ctx, Tensor x) { ctx.save_for_backward(x); return x * x; }
        public static Tensor backward(Notebooks.Tensors.Autograd.FunctionCtx ctx, Tensor g) => g * ctx.saved_tensors[0]!;
        public static Tensor apply(Tensor x) => torch.autograd.Function<WrongSquare>.apply(x);
    }
}
