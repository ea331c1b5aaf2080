using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// torch.special's functions as Tensor methods (where PyTorch has them) and the binary math of issue #21. Each is an
// element function (Backend/Functions), a derivative row (Autograd/Derivatives/Special.cs) and this method.
public sealed partial class Tensor
{
    public Tensor lgamma() => FloatUnary(UnaryOp.Lgamma, D.Lgamma);
    public Tensor digamma() => FloatUnary(UnaryOp.Digamma, D.Digamma);
    public Tensor erfinv() => FloatUnary(UnaryOp.Erfinv, D.Erfinv);
    public Tensor i0() => FloatUnary(UnaryOp.I0, D.I0);
    public Tensor sinc() => FloatUnary(UnaryOp.Sinc, D.Sinc);

    /// <summary>ψ⁽ⁿ⁾(self); n is a non-negative integer ("polygamma(n, x) does not support negative n.").</summary>
    public Tensor polygamma(int n)
    {
        if (n < 0) throw new ArgumentException("polygamma(n, x) does not support negative n.");
        var x = CastRaw(Promotion.ToFloating(dtype));
        Tensor r;
        using (new NoGradScope()) r = BinaryRaw(BinaryOp.Polygamma, x, Wrap(n).CastRaw(x.dtype), x.dtype);
        return D.Polygamma.Record(r, this, scalar: n);
    }

    /// <summary>The multivariate log-gamma of dimension p: Σⱼ lgamma(self - j/2) + p(p-1)/4·log π (torch.mvlgamma).</summary>
    public Tensor mvlgamma(int p)
    {
        // aten/src/ATen/native/UnaryOps.cpp, mvlgamma_check.
        if (p < 1) throw new ArgumentException("p has to be greater than or equal to 1");
        if (le((p - 1) / 2.0).any().item<bool>())
            throw new ArgumentException("All elements must be greater than (p-1)/2");
        Tensor r;
        using (new NoGradScope())
        {
            var x = to(Promotion.ToFloating(dtype));
            r = x.lgamma();
            for (int j = 1; j < p; j++) r = r + (x - j / 2.0).lgamma();
            r = r + p * (p - 1) * Math.Log(Math.PI) / 4;
        }
        return D.Mvlgamma.Record(r, this, scalar: p);
    }

    /// <summary>log(z / (1 - z)), z = self clamped to [eps, 1 - eps] when eps is given.</summary>
    public Tensor logit(double? eps = null)
    {
        Tensor r;
        using (new NoGradScope())
        {
            var z = to(Promotion.ToFloating(dtype));
            if (eps is { } e) z = z.clamp(e, 1 - e);
            r = (z / (-z + 1)).log();
        }
        return D.Logit.Record(r, this, state: eps);
    }

    // ---- binary math ----

    /// <summary>A float op (integers promote to the default float dtype, as PyTorch's *_float ops).</summary>
    internal Tensor FloatBinary(BinaryOp op, Tensor other, Derivative d)
    {
        var dt = Promotion.ToFloating(Promotion.ResultType(this, other));
        return d.Record(BinaryRaw(op, this, other, dt), this, other);
    }

    /// <summary>An op that keeps the promoted dtype (integers reach the backend, which refuses them where ATen does).</summary>
    private Tensor PromotedBinary(BinaryOp op, Tensor other, Derivative d) =>
        d.Record(BinaryRaw(op, this, other, Promotion.ResultType(this, other)), this, other);

    public Tensor xlogy(Tensor other) => FloatBinary(BinaryOp.Xlogy, other, D.Xlogy);
    public Tensor xlogy(Scalar other) => xlogy(Wrap(other));
    public Tensor hypot(Tensor other) => PromotedBinary(BinaryOp.Hypot, other, D.Hypot);
    public Tensor logaddexp(Tensor other) => PromotedBinary(BinaryOp.Logaddexp, other, D.Logaddexp);
    public Tensor logaddexp2(Tensor other) => PromotedBinary(BinaryOp.Logaddexp2, other, D.Logaddexp2);
    public Tensor fmax(Tensor other) => PromotedBinary(BinaryOp.Fmax, other, D.Fmax);
    public Tensor fmin(Tensor other) => PromotedBinary(BinaryOp.Fmin, other, D.Fmin);
    public Tensor nextafter(Tensor other) => PromotedBinary(BinaryOp.Nextafter, other, D.Nextafter);
    public Tensor copysign(Tensor other) => FloatBinary(BinaryOp.Copysign, other, D.Copysign);

    public Tensor copysign(Scalar other)
    {
        var dt = Promotion.ToFloating(Promotion.ResultType(this, Wrap(other)));
        return D.CopysignScalar.Record(BinaryRaw(BinaryOp.Copysign, this, Wrap(other), dt), this);
    }

    /// <summary>0 where self &lt; 0, values where self is 0, 1 where self &gt; 0; both tensors of one dtype.</summary>
    public Tensor heaviside(Tensor values)
    {
        // aten/src/ATen/native/BinaryOps.cpp, heaviside's TORCH_CHECK.
        if (dtype != values.dtype) throw new ArgumentException("heaviside is not yet implemented for tensors with different dtypes");
        return PromotedBinary(BinaryOp.Heaviside, values, D.Heaviside);
    }

    /// <summary>self · 2^other (torch.ldexp is mul(input, pow(2.0, other))).</summary>
    public Tensor ldexp(Tensor other) => mul(torch.pow(2.0, other));

    /// <summary>pow in double precision (torch.float_power: both operands to float64).</summary>
    public Tensor float_power(Tensor exponent) => to(DType.Float64).pow(exponent.to(DType.Float64));
    public Tensor float_power(Scalar exponent) => to(DType.Float64).pow(exponent.ToDouble());
}
