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
internal struct AbsFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => T.IsNegative(x) ? -x : x;
}
internal struct SignFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => T.IsNaN(x) ? x : x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
}
internal struct SquareFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => x * x;
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Multiply(x, x, d); return true; }
}

// ---- floating unary ----
internal struct ExpFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Exp(x, d); return true; }
    public static bool ContigExact => false;
}
internal struct Exp2Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp2(x);
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
internal struct LogFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Log(x, d); return true; }
    public static bool ContigExact => false;
}
internal struct Log2Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log2(x);
}
internal struct Log10Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log10(x);
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
internal struct SqrtFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sqrt(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Sqrt(x, d); return true; }
}
internal struct RsqrtFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / T.Sqrt(x);
}
internal struct ReciprocalFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / x;
}
internal struct SinFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sin(x);
}
internal struct CosFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cos(x);
}
internal struct TanFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tan(x);
}
internal struct AsinFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Asin(x);
}
internal struct AcosFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Acos(x);
}
internal struct AtanFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Atan(x);
}
internal struct SinhFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sinh(x);
}
internal struct CoshFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cosh(x);
}
internal struct TanhFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tanh(x);
}
internal struct SigmoidFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / (T.One + T.Exp(-x));
}
internal struct ErfFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialFunctions.Erf(Real.ToDouble(x)));
}
internal struct ErfcFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialFunctions.Erfc(Real.ToDouble(x)));
}
internal struct FloorFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Floor(x);
}
internal struct CeilFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Ceiling(x);
}
internal struct RoundFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    // PyTorch rounds half to even (std::nearbyint).
    public static T Apply(T x) => T.Round(x, MidpointRounding.ToEven);
}
internal struct TruncFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Truncate(x);
}
internal struct FracFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => x - T.Truncate(x);
}
internal struct BitwiseNotFn<T> : IUnaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T x) => ~x;
}

