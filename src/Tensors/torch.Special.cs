using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// torch.special (torch/special/__init__.py) and the top-level forms of its functions and of issue #21's binary math.
public static partial class torch
{
    public static Tensor lgamma(Tensor input) => input.lgamma();
    public static Tensor digamma(Tensor input) => input.digamma();
    public static Tensor polygamma(int n, Tensor input) => input.polygamma(n);
    public static Tensor mvlgamma(Tensor input, int p) => input.mvlgamma(p);
    public static Tensor erfinv(Tensor input) => input.erfinv();
    public static Tensor logit(Tensor input, double? eps = null) => input.logit(eps);
    public static Tensor i0(Tensor input) => input.i0();
    public static Tensor sinc(Tensor input) => input.sinc();
    public static Tensor xlogy(Tensor input, Tensor other) => input.xlogy(other);
    public static Tensor xlogy(Tensor input, Scalar other) => input.xlogy(other);
    public static Tensor xlogy(Scalar input, Tensor other) => Tensor.Wrap(input, other.device).xlogy(other);
    public static Tensor hypot(Tensor input, Tensor other) => input.hypot(other);
    public static Tensor logaddexp(Tensor input, Tensor other) => input.logaddexp(other);
    public static Tensor logaddexp2(Tensor input, Tensor other) => input.logaddexp2(other);
    public static Tensor fmax(Tensor input, Tensor other) => input.fmax(other);
    public static Tensor fmin(Tensor input, Tensor other) => input.fmin(other);
    public static Tensor copysign(Tensor input, Tensor other) => input.copysign(other);
    public static Tensor copysign(Tensor input, Scalar other) => input.copysign(other);
    public static Tensor nextafter(Tensor input, Tensor other) => input.nextafter(other);
    public static Tensor heaviside(Tensor input, Tensor values) => input.heaviside(values);
    public static Tensor ldexp(Tensor input, Tensor other) => input.ldexp(other);
    public static Tensor float_power(Tensor input, Tensor exponent) => input.float_power(exponent);
    public static Tensor float_power(Tensor input, Scalar exponent) => input.float_power(exponent);

    /// <summary>torch.special: SciPy's special functions. Aliases call the same op (and record the same grad_fn).</summary>
    public static class special
    {
        public static Tensor entr(Tensor input) => Float(input, UnaryOp.Entr, D.Entr);
        public static Tensor erf(Tensor input) => input.erf();
        public static Tensor erfc(Tensor input) => input.erfc();
        public static Tensor erfcx(Tensor input) => Float(input, UnaryOp.Erfcx, D.Erfcx);
        public static Tensor erfinv(Tensor input) => input.erfinv();
        public static Tensor expit(Tensor input) => input.sigmoid();
        public static Tensor exp2(Tensor input) => input.exp2();
        public static Tensor expm1(Tensor input) => input.expm1();
        public static Tensor log1p(Tensor input) => input.log1p();
        public static Tensor logit(Tensor input, double? eps = null) => input.logit(eps);
        public static Tensor round(Tensor input, int decimals = 0) => input.round(decimals);
        public static Tensor gammaln(Tensor input) => input.lgamma();
        public static Tensor digamma(Tensor input) => input.digamma();
        public static Tensor psi(Tensor input) => input.digamma();
        public static Tensor polygamma(int n, Tensor input) => input.polygamma(n);
        public static Tensor multigammaln(Tensor input, int p) => input.mvlgamma(p);
        public static Tensor i0(Tensor input) => input.i0();
        public static Tensor i0e(Tensor input) => Float(input, UnaryOp.I0e, D.I0e);
        public static Tensor i1(Tensor input) => Float(input, UnaryOp.I1, D.I1);
        public static Tensor i1e(Tensor input) => Float(input, UnaryOp.I1e, D.I1e);
        public static Tensor ndtr(Tensor input) => Float(input, UnaryOp.Ndtr, D.Ndtr);
        public static Tensor log_ndtr(Tensor input) => Float(input, UnaryOp.LogNdtr, D.LogNdtr);
        public static Tensor sinc(Tensor input) => input.sinc();
        public static Tensor xlogy(Tensor input, Tensor other) => input.xlogy(other);
        public static Tensor xlogy(Tensor input, Scalar other) => input.xlogy(other);
        public static Tensor xlogy(Scalar input, Tensor other) => torch.xlogy(input, other);
        public static Tensor xlog1py(Tensor input, Tensor other) => FloatBinary(input, other, BinaryOp.Xlog1py, D.Xlog1py);
        public static Tensor xlog1py(Tensor input, Scalar other) => xlog1py(input, Tensor.Wrap(other));
        public static Tensor xlog1py(Scalar input, Tensor other) => xlog1py(Tensor.Wrap(input, other.device), other);
        public static Tensor zeta(Tensor input, Tensor other) => FloatBinary(input, other, BinaryOp.Zeta, D.Zeta);
        public static Tensor zeta(Tensor input, Scalar other) => zeta(input, Tensor.Wrap(other));
        public static Tensor zeta(Scalar input, Tensor other) => zeta(Tensor.Wrap(input, other.device), other);
        public static Tensor softmax(Tensor input, int dim, DType? dtype = null) => input.softmax(dim, dtype);
        public static Tensor log_softmax(Tensor input, int dim, DType? dtype = null) => input.log_softmax(dim, dtype);
        public static Tensor logsumexp(Tensor input, int dim, bool keepdim = false) => input.logsumexp(dim, keepdim);
        public static Tensor logsumexp(Tensor input, long[] dim, bool keepdim = false) => input.logsumexp(dim, keepdim);

        // special_* ops with no Tensor method in PyTorch: Tensor's float-op path, with their own rows.
        private static Tensor Float(Tensor x, UnaryOp op, Autograd.Derivative d) => x.FloatUnary(op, d);

        private static Tensor FloatBinary(Tensor a, Tensor b, BinaryOp op, Autograd.Derivative d) => a.FloatBinary(op, b, d);
    }
}
