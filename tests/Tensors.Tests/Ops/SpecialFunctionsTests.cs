using System.Text.Json;

namespace Notebooks.Tensors.Tests.Ops;

/// <summary>
/// torch.special and issue #21's binary math against libtorch 2.10 (tests/ReferenceGenerator's SpecialSet: wide ranges
/// with poles, negatives, ±inf, NaN, tiny and huge values, float32 and float64), their gradients against libtorch's
/// and finite differences, PyTorch's grad_fn names (torch/csrc/autograd/generated names from
/// tools/autograd/derivatives.yaml) and dtype rules.
/// </summary>
public class SpecialFunctionsTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(ReferenceData.File("torch_special.json"))).RootElement.GetProperty("cases");

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
        ? v.GetString() switch { "nan" => double.NaN, "inf" => double.PositiveInfinity, _ => double.NegativeInfinity }
        : v.GetDouble()).ToArray();

    private static readonly Dictionary<string, Func<Tensor, Tensor>> Unary = new()
    {
        ["lgamma"] = x => x.lgamma(),
        ["digamma"] = x => torch.special.psi(x),
        ["polygamma1"] = x => torch.polygamma(1, x),
        ["polygamma3"] = x => torch.special.polygamma(3, x),
        ["erfinv"] = x => torch.special.erfinv(x),
        ["logit"] = x => x.logit(),
        ["logit_eps"] = x => torch.special.logit(x, 0.01),
        ["i0"] = x => x.i0(),
        ["i0e"] = x => torch.special.i0e(x),
        ["i1"] = x => torch.special.i1(x),
        ["i1e"] = x => torch.special.i1e(x),
        ["ndtr"] = x => torch.special.ndtr(x),
        ["sinc"] = x => torch.sinc(x),
        ["entr"] = x => torch.special.entr(x),
        ["multigammaln3"] = x => torch.special.multigammaln(x, 3),
    };

    private static readonly Dictionary<string, Func<Tensor, Tensor, Tensor>> Binary = new()
    {
        ["xlogy"] = torch.xlogy,
        ["xlog1py"] = torch.special.xlog1py,
        ["zeta"] = torch.special.zeta,
        ["hypot"] = torch.hypot,
        ["logaddexp"] = torch.logaddexp,
        ["logaddexp2"] = torch.logaddexp2,
        ["fmax"] = torch.fmax,
        ["fmin"] = torch.fmin,
        ["copysign"] = torch.copysign,
        ["nextafter"] = torch.nextafter,
        ["heaviside"] = torch.heaviside,
        ["ldexp"] = torch.ldexp,
    };

    public static IEnumerable<TestCaseData> UnaryCases() =>
        from n in Unary.Keys from dt in new[] { "float64", "float32" } select new TestCaseData(n, dt).SetName($"{n} {dt} matches libtorch");

    public static IEnumerable<TestCaseData> BinaryCases() =>
        from n in Binary.Keys from dt in new[] { "float64", "float32" } select new TestCaseData(n, dt).SetName($"{n} {dt} matches libtorch");

    private static DType Of(string dt) => dt == "float64" ? torch.float64 : torch.float32;

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryValues(string name, string dt)
    {
        var c = Root.GetProperty("values").GetProperty(name);
        var x = torch.tensor(Doubles(c.GetProperty("x")), dtype: torch.float64).to(Of(dt));
        AssertClose(Unary[name](x), Doubles(c.GetProperty(dt)), dt, Doubles(c.GetProperty("x")));
    }

    [TestCaseSource(nameof(BinaryCases))]
    public void BinaryValues(string name, string dt)
    {
        var c = Root.GetProperty("values").GetProperty(name);
        var a = torch.tensor(Doubles(c.GetProperty("a")), dtype: torch.float64).to(Of(dt));
        var b = torch.tensor(Doubles(c.GetProperty("b")), dtype: torch.float64).to(Of(dt));
        AssertClose(Binary[name](a, b), Doubles(c.GetProperty(dt)), dt, Doubles(c.GetProperty("a")));
    }

    private static void AssertClose(Tensor actual, double[] expected, string dt, double[] inputs)
    {
        Assert.That(actual.dtype, Is.EqualTo(Of(dt)));
        var got = actual.to(torch.float64).ToArray<double>();
        double rtol = dt == "float64" ? 1e-10 : 3e-6, atol = dt == "float64" ? 1e-13 : 1e-6;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], g = got[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(g) : double.IsInfinity(e) ? g == e : Math.Abs(g - e) <= atol + rtol * Math.Abs(e);
            Assert.That(ok, $"at input {inputs[i]}: expected {e:R}, got {g:R}");
        }
    }

    public static IEnumerable<string> UnaryGradCases() => Root.GetProperty("grads").EnumerateObject().Where(p => p.Value.TryGetProperty("x", out _)).Select(p => p.Name);

    public static IEnumerable<string> BinaryGradCases() => Root.GetProperty("grads").EnumerateObject().Where(p => p.Value.TryGetProperty("a", out _)).Select(p => p.Name);

    private static readonly Dictionary<string, Func<Tensor, Tensor>> UnaryGrad = new(Unary)
    {
        ["polygamma2"] = x => torch.polygamma(2, x),
        ["logit_eps"] = x => x.logit(0.2),
        ["log_ndtr"] = x => torch.special.log_ndtr(x),
    };

    [TestCaseSource(nameof(UnaryGradCases))]
    public void UnaryGradientMatchesLibtorch(string name)
    {
        var c = Root.GetProperty("grads").GetProperty(name);
        var x = torch.tensor(Doubles(c.GetProperty("x")), dtype: torch.float64).requires_grad_();
        UnaryGrad[name](x).sum().backward();
        AssertClose(x.grad!, Doubles(c.GetProperty("grad")), "float64", Doubles(c.GetProperty("x")));
    }

    [TestCaseSource(nameof(BinaryGradCases))]
    public void BinaryGradientMatchesLibtorch(string name)
    {
        var c = Root.GetProperty("grads").GetProperty(name);
        var a = torch.tensor(Doubles(c.GetProperty("a")), dtype: torch.float64).requires_grad_();
        var b = torch.tensor(Doubles(c.GetProperty("b")), dtype: torch.float64).requires_grad_();
        Binary[name](a, b).sum().backward();
        AssertClose(a.grad!, Doubles(c.GetProperty("grad_a")), "float64", Doubles(c.GetProperty("a")));
        AssertClose(b.grad!, Doubles(c.GetProperty("grad_b")), "float64", Doubles(c.GetProperty("b")));
    }

    private static IEnumerable<TestCaseData> Gradchecks()
    {
        TestCaseData U(string n, Func<Tensor, Tensor> f, double lo, double hi) => new TestCaseData(n, (Func<Tensor[], Tensor>)(xs => f(xs[0])), new[] { (lo, hi) }).SetName($"gradcheck {n}");
        TestCaseData B(string n, Func<Tensor, Tensor, Tensor> f, double lo, double hi, double lo2, double hi2) =>
            new TestCaseData(n, (Func<Tensor[], Tensor>)(xs => f(xs[0], xs[1])), new[] { (lo, hi), (lo2, hi2) }).SetName($"gradcheck {n}");
        yield return U("lgamma", x => x.lgamma(), 0.2, 5);
        yield return U("digamma", x => x.digamma(), 0.2, 5);
        yield return U("polygamma(2)", x => x.polygamma(2), 0.3, 5);
        yield return U("mvlgamma(2)", x => x.mvlgamma(2), 1, 4);
        yield return U("erfinv", x => x.erfinv(), -0.9, 0.9);
        yield return U("logit", x => x.logit(), 0.1, 0.9);
        yield return U("i0", x => x.i0(), -3, 3);
        yield return U("i0e", x => torch.special.i0e(x), 0.1, 3);
        yield return U("i1", x => torch.special.i1(x), -3, 3);
        yield return U("i1e", x => torch.special.i1e(x), 0.1, 3);
        yield return U("erfcx", x => torch.special.erfcx(x), -2, 5);
        yield return U("ndtr", x => torch.special.ndtr(x), -3, 3);
        yield return U("log_ndtr", x => torch.special.log_ndtr(x), -5, 3);
        yield return U("sinc", x => x.sinc(), 0.1, 2);
        yield return U("entr", x => torch.special.entr(x), 0.1, 2);
        yield return B("xlogy", torch.xlogy, -2, 2, 0.5, 3);
        yield return B("xlog1py", torch.special.xlog1py, -2, 2, 0.5, 3);
        yield return B("hypot", torch.hypot, 0.5, 2, -2, -0.5);
        yield return B("logaddexp", torch.logaddexp, -2, 2, -2, 2);
        yield return B("logaddexp2", torch.logaddexp2, -2, 2, -2, 2);
        yield return B("fmax", torch.fmax, -2, -0.5, 0.5, 2);
        yield return B("fmin", torch.fmin, -2, -0.5, 0.5, 2);
        yield return new TestCaseData("zeta (other)", (Func<Tensor[], Tensor>)(xs => torch.special.zeta(torch.full([3, 4], 2.5, dtype: torch.float64), xs[0])), new[] { (0.5, 3.0) }).SetName("gradcheck zeta (other)");
    }

    [TestCaseSource(nameof(Gradchecks))]
    public void GradcheckFloat64(string name, Func<Tensor[], Tensor> f, (double lo, double hi)[] ranges)
    {
        var g = new Generator().manual_seed(3);
        var inputs = ranges.Select(r => (torch.rand([3, 4], dtype: torch.float64, generator: g) * (r.hi - r.lo) + r.lo).requires_grad_()).ToArray();
        Assert.That(torch.autograd.gradcheck(f, inputs), Is.True);
    }

    [Test]
    public void GradFnNamesAreLibtorchs()
    {
        var x = torch.tensor(new[] { 0.3, 0.6 }, dtype: torch.float64).requires_grad_();
        var y = torch.tensor(new[] { 0.7, 1.2 }, dtype: torch.float64).requires_grad_();
        var names = new (Tensor t, string name)[]
        {
            (x.lgamma(), "LgammaBackward0"), (torch.special.gammaln(x), "LgammaBackward0"), (x.digamma(), "DigammaBackward0"),
            (torch.special.psi(x), "DigammaBackward0"), (x.polygamma(1), "PolygammaBackward0"), (x.erfinv(), "ErfinvBackward0"),
            (x.logit(), "LogitBackward0"), (torch.xlogy(x, y), "XlogyBackward0"), (torch.special.xlog1py(x, y), "SpecialXlog1PyBackward0"),
            (x.i0(), "I0Backward0"), (torch.special.i0e(x), "SpecialI0EBackward0"), (torch.special.i1(x), "SpecialI1Backward0"),
            (torch.special.i1e(x), "SpecialI1EBackward0"), (x.sinc(), "SincBackward0"), (torch.special.entr(x), "SpecialEntrBackward0"),
            (torch.special.erfcx(x), "SpecialErfcxBackward0"), (torch.special.log_ndtr(x), "SpecialLogNdtrBackward0"),
            (torch.hypot(x, y), "HypotBackward0"), (torch.logaddexp(x, y), "LogaddexpBackward0"), (torch.logaddexp2(x, y), "Logaddexp2Backward0"),
            (torch.fmax(x, y), "FmaxBackward0"), (torch.fmin(x, y), "FminBackward0"), (torch.copysign(x, y), "CopysignBackward0"),
            (torch.copysign(x, -1), "CopysignBackward1"), (torch.special.zeta(x + 2, y), "SpecialZetaBackward0"),
            (torch.nextafter(x, y), "NextafterBackward0"), (x.mvlgamma(1), "MvlgammaBackward0"), (torch.special.expit(x), "SigmoidBackward0"),
            (torch.ldexp(x, y), "MulBackward0"), (torch.float_power(x, y), "PowBackward1"),
        };
        foreach (var (t, name) in names) Assert.That(t.grad_fn!.name(), Is.EqualTo(name));
    }

    [Test]
    public void NotImplementedDerivativesSaySo()
    {
        // derivatives.yaml: nextafter's self/other and special_zeta's self are not_implemented(...).
        var x = torch.tensor(new[] { 2.5 }, dtype: torch.float64).requires_grad_();
        var q = torch.tensor(new[] { 1.5 }, dtype: torch.float64);
        var ex = Assert.Throws<NotImplementedException>(() => torch.special.zeta(x, q).sum().backward());
        Assert.That(ex!.Message, Is.EqualTo("the derivative for 'special_zeta' is not implemented."));
        var y = torch.tensor(new[] { 1.0 }, dtype: torch.float64).requires_grad_();
        ex = Assert.Throws<NotImplementedException>(() => torch.nextafter(y, q).sum().backward());
        Assert.That(ex!.Message, Is.EqualTo("the derivative for 'nextafter' is not implemented."));
    }

    [Test]
    public void DtypeRules()
    {
        // Integer inputs promote to the default float dtype for float ops (UnaryOps/BinaryOps' *_float iterators).
        var i = torch.tensor(new long[] { 1, 2, 3 });
        Assert.That(i.lgamma().dtype, Is.EqualTo(torch.float32));
        Assert.That(torch.xlogy(i, i).dtype, Is.EqualTo(torch.float32));
        Assert.That(torch.copysign(i, -1).dtype, Is.EqualTo(torch.float32));
        Assert.That(torch.special.zeta(i + 1, i).dtype, Is.EqualTo(torch.float32));
        Assert.That(torch.lgamma(i).ToArray<float>(), Is.EqualTo(new[] { 0f, 0f, (float)Math.Log(2) }));
        // fmax/fmin and heaviside keep integer dtypes; hypot/logaddexp dispatch on floating types only (ATen's "hypot_cpu").
        Assert.That(torch.fmax(i, torch.tensor(new long[] { 2, 2, 2 })).ToArray<long>(), Is.EqualTo(new long[] { 2, 2, 3 }));
        Assert.That(torch.heaviside(torch.tensor(new long[] { -1, 0, 5 }), torch.tensor(new long[] { 7, 7, 7 })).ToArray<long>(), Is.EqualTo(new long[] { 0, 7, 1 }));
        var ex = Assert.Throws<NotSupportedException>(() => torch.hypot(i, i));
        Assert.That(ex!.Message, Is.EqualTo("\"hypot_cpu\" not implemented for 'Long'"));
        // aten/src/ATen/native/BinaryOps.cpp, heaviside: TORCH_CHECK(self.dtype() == values.dtype(), ...).
        var ah = Assert.Throws<ArgumentException>(() => torch.heaviside(torch.tensor(new[] { 1.0f }), torch.tensor(new[] { 1.0 }, dtype: torch.float64)));
        Assert.That(ah!.Message, Is.EqualTo("heaviside is not yet implemented for tensors with different dtypes"));
        // float_power computes in double.
        Assert.That(torch.float_power(torch.tensor(new[] { 2f }), 0.5).dtype, Is.EqualTo(torch.float64));
        // polygamma / mvlgamma argument checks (UnaryOps.cpp).
        Assert.That(Assert.Throws<ArgumentException>(() => torch.polygamma(-1, i))!.Message, Is.EqualTo("polygamma(n, x) does not support negative n."));
        Assert.That(Assert.Throws<ArgumentException>(() => torch.mvlgamma(torch.tensor(new[] { 0.5 }), 2))!.Message, Is.EqualTo("All elements must be greater than (p-1)/2"));
    }

    [Test]
    public void FmaxIgnoresNanWhereMaximumPropagatesIt()
    {
        var a = torch.tensor(new[] { double.NaN, 1.0, double.NaN });
        var b = torch.tensor(new[] { 2.0, double.NaN, double.NaN });
        Assert.That(torch.fmax(a, b).ToArray<double>(), Is.EqualTo(new[] { 2.0, 1.0, double.NaN }));
        Assert.That(torch.fmin(a, b).ToArray<double>(), Is.EqualTo(new[] { 2.0, 1.0, double.NaN }));
        Assert.That(double.IsNaN(torch.maximum(a, b).ToArray<double>()[0]));
    }

    [Test]
    public void ErfcxIsExpSquareTimesErfc()
    {
        // TorchSharp 0.107 binds torch.special.erfcx to erfc, so the generator cannot ask libtorch: the definition
        // e^{x²}·erfc(x) where both are representable, and the asymptote 1/(x√π) far out (where erfc underflows).
        var x = torch.tensor(new[] { -3.0, -0.5, 0, 0.5, 2, 5, 9.5 }, dtype: torch.float64);
        var got = torch.special.erfcx(x).ToArray<double>();
        var direct = (x * x).exp().mul(x.erfc()).ToArray<double>();
        for (int k = 0; k < got.Length; k++) Assert.That(got[k], Is.EqualTo(direct[k]).Within(1e-12 * Math.Abs(direct[k])));
        Assert.That(torch.special.erfcx(torch.tensor(new[] { 1e8 }, dtype: torch.float64)).item<double>(), Is.EqualTo(1 / (1e8 * Math.Sqrt(Math.PI))).Within(1e-22));
        Assert.That(torch.special.erfcx(torch.tensor(new[] { double.PositiveInfinity, double.NegativeInfinity }, dtype: torch.float64)).ToArray<double>(),
            Is.EqualTo(new[] { 0.0, double.PositiveInfinity }));
    }

    [Test]
    public void LogNdtrMatchesLogOfNdtrAndStaysFiniteInTheTail()
    {
        // libtorch's values for log_ndtr are not reachable through TorchSharp: log(ndtr(x)) where ndtr does not underflow,
        // and the tail's asymptote -x²/2 - log(-x) - log(2π)/2 far below.
        var x = torch.tensor(new[] { -30.0, -5, -1.5, -1, 0, 2, 8 }, dtype: torch.float64);
        var got = torch.special.log_ndtr(x).ToArray<double>();
        var direct = torch.special.ndtr(x).log().ToArray<double>();
        for (int k = 0; k < got.Length; k++) Assert.That(got[k], Is.EqualTo(direct[k]).Within(1e-12 + 1e-12 * Math.Abs(direct[k])));
        double far = torch.special.log_ndtr(torch.tensor(new[] { -1e5 }, dtype: torch.float64)).item<double>();
        Assert.That(far, Is.EqualTo(-5e9 - Math.Log(1e5) - 0.5 * Math.Log(2 * Math.PI)).Within(1e-3));
    }
}
