namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for torch.special and the binary math of issue #21 (formulas as there and in
// FunctionsManual.cpp; names as the generated nodes print them, "special_" ops as Special…Backward0).
internal static partial class Derivatives
{
    private const double SqrtPi = 1.7724538509055160273, Sqrt2Pi = 2.5066282746310005024;

    public static readonly Derivative
        Lgamma = new("LgammaBackward0", (Saves.Self, static c => c.grad * c.self.digamma())),
        Digamma = new("DigammaBackward0", (Saves.Self, static c => c.grad * torch.polygamma(1, c.self))),
        // polygamma(n, self): self: grad * polygamma(n + 1, self); n is the scalar.
        Polygamma = new("PolygammaBackward0", (Saves.Self, static c => c.grad * torch.polygamma((int)c.scalar.ToDouble() + 1, c.self))),
        // mvlgamma(self, p): mvlgamma_backward, the sum over j < p of digamma(self - j/2); p is the scalar.
        Mvlgamma = new("MvlgammaBackward0", (Saves.Self, static c => c.grad * MvlgammaDigammaSum(c.self, (int)c.scalar.ToDouble()))),
        Erfinv = new("ErfinvBackward0", (Saves.Self, static c => c.grad * c.self.erfinv().pow(2).exp() * (0.5 * SqrtPi))),
        // logit_backward: grad / (x (1 - x)), zero outside [eps, 1 - eps] with eps, NaN outside [0, 1] without (state: eps).
        Logit = new("LogitBackward0", (Saves.Self, static c => LogitBackward(c.grad, c.self, c.state<double?>()))),
        I0 = new("I0Backward0", (Saves.Self, static c => c.grad * torch.special.i1(c.self))),
        I0e = new("SpecialI0EBackward0", (Saves.Self | Saves.Result, static c => c.grad * (torch.special.i1e(c.self) - c.self.sign() * c.result))),
        // i1_backward: i0(x) - i1(x)/x, with 0.5 at x = 0.
        I1 = new("SpecialI1Backward0", (Saves.Self | Saves.Result, static c =>
        {
            var x = c.self;
            return c.grad * torch.where(x.eq(0), torch.full_like(x, 0.5), x.i0() - c.result / x);
        })),
        // i1e_backward: i0e(x) - i1e(x)·(sgn(x) + 1/x), with 0.5 at x = 0.
        I1e = new("SpecialI1EBackward0", (Saves.Self | Saves.Result, static c =>
        {
            var x = c.self;
            return c.grad * torch.where(x.eq(0), torch.full_like(x, 0.5), torch.special.i0e(x) - c.result * (x.sign() + x.reciprocal()));
        })),
        Erfcx = new("SpecialErfcxBackward0", (Saves.Self | Saves.Result, static c => c.grad * (c.self * c.result * 2.0 - 2.0 / SqrtPi))),
        Ndtr = new("SpecialNdtrBackward0", (Saves.Self, static c => c.grad * (c.self.square() * -0.5).exp() * (1 / Sqrt2Pi))),
        LogNdtr = new("SpecialLogNdtrBackward0", (Saves.Self | Saves.Result, static c =>
            c.grad / Sqrt2Pi * (c.result + c.self.pow(2) / 2).neg().exp())),
        // sinc_backward: (cos(πx)·πx - sin(πx)) / (πx²), 0 at x = 0.
        Sinc = new("SincBackward0", (Saves.Self, static c =>
        {
            var x = c.self;
            var px = x * Math.PI;
            var d = (px.cos() * px - px.sin()) / (px * x);
            return c.grad * torch.where(x.eq(0), torch.zeros_like(x), d);
        })),
        Entr = new("SpecialEntrBackward0", (Saves.Self, static c => c.grad * -(c.self.log() + 1))),
        // xlogy: self: grad * xlogy(self != 0, other), other: grad * self / other.
        Xlogy = new("XlogyBackward0",
            (Saves.Self | Saves.Other, static c => c.grad * torch.xlogy(c.self.ne(0).to(c.other.dtype), c.other)),
            (Saves.Self | Saves.Other, static c => c.grad * c.self / c.other)),
        Xlog1py = new("SpecialXlog1PyBackward0",
            (Saves.Self | Saves.Other, static c => c.grad * torch.special.xlog1py(c.self.ne(0).to(c.other.dtype), c.other)),
            (Saves.Self | Saves.Other, static c => c.grad * c.self / (c.other + 1))),
        // special_zeta: self: not_implemented, other: grad * -self * special_zeta(self + 1., other).
        Zeta = new("SpecialZetaBackward0",
            (Saves.None, static c => throw NotImplemented("special_zeta")),
            (Saves.Self | Saves.Other, static c => c.grad * -c.self * torch.special.zeta(c.self + 1.0, c.other))),
        Hypot = new("HypotBackward0",
            (Saves.Self | Saves.Result, static c => c.grad * c.self / c.result),
            (Saves.Other | Saves.Result, static c => c.grad * c.other / c.result)),
        Logaddexp = new("LogaddexpBackward0",
            (Saves.Self | Saves.Other, static c => c.grad / ((c.other - c.self).exp() + 1)),
            (Saves.Self | Saves.Other, static c => c.grad / ((c.self - c.other).exp() + 1))),
        Logaddexp2 = new("Logaddexp2Backward0",
            (Saves.Self | Saves.Other, static c => c.grad / (torch.pow(2, c.other - c.self) + 1)),
            (Saves.Self | Saves.Other, static c => c.grad / (torch.pow(2, c.self - c.other) + 1))),
        // fmax: self: grad.masked_fill((self >= other).logical_or_(other.isnan()).logical_not_(), 0), other the rest.
        Fmax = new("FmaxBackward0",
            (Saves.Self | Saves.Other, static c => c.grad.masked_fill(c.self.ge(c.other).logical_or(c.other.isnan()).logical_not(), 0)),
            (Saves.Self | Saves.Other, static c => c.grad.masked_fill(c.self.ge(c.other).logical_or(c.other.isnan()), 0))),
        Fmin = new("FminBackward0",
            (Saves.Self | Saves.Other, static c => c.grad.masked_fill(c.self.le(c.other).logical_or(c.other.isnan()).logical_not(), 0)),
            (Saves.Self | Saves.Other, static c => c.grad.masked_fill(c.self.le(c.other).logical_or(c.other.isnan()), 0))),
        // copysign_tensor_self_backward: grad · result / self where self ≠ 0, else 0; other: zeros.
        Copysign = new("CopysignBackward0",
            (Saves.Self | Saves.Result, static c => CopysignSelfBackward(c.grad, c.self, c.result)),
            (Saves.None, static c => c.zeros(1))),
        CopysignScalar = new("CopysignBackward1", (Saves.Self | Saves.Result, static c => CopysignSelfBackward(c.grad, c.self, c.result))),
        Nextafter = new("NextafterBackward0",
            (Saves.None, static c => throw NotImplemented("nextafter")),
            (Saves.None, static c => throw NotImplemented("nextafter"))),
        Heaviside = new("HeavisideBackward0",
            (Saves.None, static c => throw NotImplemented("heaviside")),
            (Saves.None, static c => throw NotImplemented("heaviside")));

    /// <summary>derivatives.yaml's not_implemented(name): torch/csrc/autograd/FunctionsManual.cpp's wording.</summary>
    private static Exception NotImplemented(string name) => new NotImplementedException($"the derivative for '{name}' is not implemented.");

    private static Tensor LogitBackward(Tensor g, Tensor x, double? eps)
    {
        var d = g / (x * (-x + 1));
        if (eps is { } e) return torch.where(x.lt(e).logical_or(x.gt(1 - e)), torch.zeros_like(x), d);
        return torch.where(x.lt(0).logical_or(x.gt(1)), torch.full_like(x, double.NaN), d);
    }

    private static Tensor CopysignSelfBackward(Tensor g, Tensor self, Tensor result)
    {
        var ratio = result / self;
        return g * torch.where(self.eq(0), torch.zeros_like(ratio), ratio);
    }

    private static Tensor MvlgammaDigammaSum(Tensor x, int p)
    {
        var s = x.digamma();
        for (int j = 1; j < p; j++) s = s + (x - j / 2.0).digamma();
        return s;
    }
}
