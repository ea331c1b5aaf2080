using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Notebooks.Tensors.Backend.Functions;

// ---- numeric unary (any INumber) ----
internal struct NegFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => -x;
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Negate(x, d); return true; }
}
partial class UnaryOp
{
    public static readonly UnaryOp Neg = new NegOp();
    private sealed class NegOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<NegFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<NegFn<T>>();
    }
}
internal struct AbsFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => T.IsNegative(x) ? -x : x;
}
partial class UnaryOp
{
    public static readonly UnaryOp Abs = new AbsOp();
    private sealed class AbsOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<AbsFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<AbsFn<T>>();
    }
}
internal struct SignFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => T.IsNaN(x) ? x : x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
}
partial class UnaryOp
{
    public static readonly UnaryOp Sign = new SignOp();
    private sealed class SignOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<SignFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<SignFn<T>>();
    }
}
internal struct SquareFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => x * x;
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Multiply(x, x, d); return true; }
}
partial class UnaryOp
{
    public static readonly UnaryOp Square = new SquareOp();
    private sealed class SquareOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<SquareFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<SquareFn<T>>();
    }
}

// ---- floating unary ----
internal struct ExpFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Exp(x, d); return true; }
    public static bool ContigExact => false;
}
partial class UnaryOp
{
    public static readonly UnaryOp Exp = new ExpOp();
    private sealed class ExpOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<ExpFn<T>>();
    }
}
internal struct Exp2Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp2(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Exp2 = new Exp2Op();
    private sealed class Exp2Op : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<Exp2Fn<T>>();
    }
}
internal struct Expm1Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    // exp(x) - 1 loses everything for tiny x; use the series where it matters.
    public static T Apply(T x)
    {
        var ax = T.Abs(x);
        if (ax < Real.Of<T>(1e-5)) return x + x * x / Real.Of<T>(2) + x * x * x / Real.Of<T>(6);
        return Real.FromDouble<T>(Math.Exp(Real.ToDouble(x)) - 1.0);
    }
}
partial class UnaryOp
{
    public static readonly UnaryOp Expm1 = new Expm1Op();
    private sealed class Expm1Op : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<Expm1Fn<T>>();
    }
}
internal struct LogFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Log(x, d); return true; }
    public static bool ContigExact => false;
}
partial class UnaryOp
{
    public static readonly UnaryOp Log = new LogOp();
    private sealed class LogOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<LogFn<T>>();
    }
}
internal struct Log2Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log2(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Log2 = new Log2Op();
    private sealed class Log2Op : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<Log2Fn<T>>();
        public override bool KernelFloating<T, U>(ref U u) => u.Use<KernelLog2Fn<T>>();
    }
}
internal struct Log10Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log10(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Log10 = new Log10Op();
    private sealed class Log10Op : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<Log10Fn<T>>();
    }
}
internal struct Log1pFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(Log1p(Real.ToDouble(x)));
    // log(1+x) accurate for small x (Goldberg's trick: the rounding error of 1+x cancels).
    private static double Log1p(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
partial class UnaryOp
{
    public static readonly UnaryOp Log1p = new Log1pOp();
    private sealed class Log1pOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<Log1pFn<T>>();
    }
}
internal struct SqrtFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sqrt(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Sqrt(x, d); return true; }
}
partial class UnaryOp
{
    public static readonly UnaryOp Sqrt = new SqrtOp();
    private sealed class SqrtOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<SqrtFn<T>>();
    }
}
internal struct RsqrtFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / T.Sqrt(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Rsqrt = new RsqrtOp();
    private sealed class RsqrtOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<RsqrtFn<T>>();
    }
}
internal struct ReciprocalFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / x;
}
partial class UnaryOp
{
    public static readonly UnaryOp Reciprocal = new ReciprocalOp();
    private sealed class ReciprocalOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<ReciprocalFn<T>>();
    }
}
internal struct SinFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sin(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Sin = new SinOp();
    private sealed class SinOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<SinFn<T>>();
    }
}
internal struct CosFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cos(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Cos = new CosOp();
    private sealed class CosOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<CosFn<T>>();
    }
}
internal struct TanFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tan(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Tan = new TanOp();
    private sealed class TanOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<TanFn<T>>();
    }
}
internal struct AsinFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Asin(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Asin = new AsinOp();
    private sealed class AsinOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<AsinFn<T>>();
    }
}
internal struct AcosFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Acos(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Acos = new AcosOp();
    private sealed class AcosOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<AcosFn<T>>();
    }
}
internal struct AtanFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Atan(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Atan = new AtanOp();
    private sealed class AtanOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<AtanFn<T>>();
    }
}
internal struct SinhFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sinh(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Sinh = new SinhOp();
    private sealed class SinhOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<SinhFn<T>>();
    }
}
internal struct CoshFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cosh(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Cosh = new CoshOp();
    private sealed class CoshOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<CoshFn<T>>();
    }
}
internal struct TanhFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tanh(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Tanh = new TanhOp();
    private sealed class TanhOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<TanhFn<T>>();
    }
}
internal struct SigmoidFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / (T.One + T.Exp(-x));
}
partial class UnaryOp
{
    public static readonly UnaryOp Sigmoid = new SigmoidOp();
    private sealed class SigmoidOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<SigmoidFn<T>>();
    }
}
internal struct ErfFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialFunctions.Erf(Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp Erf = new ErfOp();
    private sealed class ErfOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<ErfFn<T>>();
    }
}
internal struct ErfcFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialFunctions.Erfc(Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp Erfc = new ErfcOp();
    private sealed class ErfcOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<ErfcFn<T>>();
    }
}
internal struct FloorFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Floor(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Floor = new FloorOp();
    private sealed class FloorOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<FloorFn<T>>();
        public override bool IdentityOnIntegers => true;
    }
}
internal struct CeilFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Ceiling(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Ceil = new CeilOp();
    private sealed class CeilOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<CeilFn<T>>();
        public override bool IdentityOnIntegers => true;
    }
}
internal struct RoundFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    // PyTorch rounds half to even (std::nearbyint).
    public static T Apply(T x) => T.Round(x, MidpointRounding.ToEven);
}
partial class UnaryOp
{
    public static readonly UnaryOp Round = new RoundOp();
    private sealed class RoundOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<RoundFn<T>>();
        public override bool IdentityOnIntegers => true;
    }
}
internal struct TruncFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Truncate(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Trunc = new TruncOp();
    private sealed class TruncOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<TruncFn<T>>();
        public override bool IdentityOnIntegers => true;
    }
}
internal struct FracFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => x - T.Truncate(x);
}
partial class UnaryOp
{
    public static readonly UnaryOp Frac = new FracOp();
    private sealed class FracOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<FracFn<T>>();
    }
}
internal struct BitwiseNotFn<T> : IUnaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T x) => ~x;
}
partial class UnaryOp
{
    public static readonly UnaryOp BitwiseNot = new BitwiseNotOp();
    private sealed class BitwiseNotOp : UnaryOp
    {
        public override bool Integer<T, U>(ref U u) => u.Use<BitwiseNotFn<T>>();
        public override bool LogicalNotOnBool => true;
    }
}

