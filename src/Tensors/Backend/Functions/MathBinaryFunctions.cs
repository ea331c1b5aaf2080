using System.Numerics;

namespace Notebooks.Tensors.Backend.Functions;

// Binary math of issue #21 and torch.special's two-argument functions, as ATen's CPU kernels define them
// (aten/src/ATen/native/cpu/BinaryOpsKernel.cpp).

/// <summary>x·log(y), 0 where x is 0 unless y is NaN.</summary>
internal struct XlogyFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x, T y) => T.IsNaN(y) ? y : T.IsZero(x) ? T.Zero : x * T.Log(y);
}
partial class BinaryOp
{
    public static readonly BinaryOp Xlogy = new XlogyOp();
    private sealed class XlogyOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<XlogyFn<T>>();
    }
}
/// <summary>x·log1p(y), 0 where x is 0 unless y is NaN.</summary>
internal struct Xlog1pyFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x, T y) => T.IsNaN(y) ? y : T.IsZero(x) ? T.Zero : x * Real.FromDouble<T>(SpecialMath.Log1p(Real.ToDouble(y)));
}
partial class BinaryOp
{
    public static readonly BinaryOp Xlog1py = new Xlog1pyOp();
    private sealed class Xlog1pyOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<Xlog1pyFn<T>>();
    }
}
/// <summary>Hurwitz zeta ζ(x, q).</summary>
internal struct ZetaFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x, T q) => Real.FromDouble<T>(SpecialMath.Zeta(Real.ToDouble(x), Real.ToDouble(q)));
}
partial class BinaryOp
{
    public static readonly BinaryOp Zeta = new ZetaOp();
    private sealed class ZetaOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<ZetaFn<T>>();
    }
}
/// <summary>ψ⁽ⁿ⁾(x), the order n (an integer) as the second operand.</summary>
internal struct PolygammaFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x, T n)
    {
        int order = (int)Real.ToDouble(n);
        return order == 1 ? Trigamma(x) : Real.FromDouble<T>(SpecialMath.Polygamma(order, Real.ToDouble(x)));
    }

    /// <summary>ATen's calc_trigamma in T's own precision (its float kernel computes in float, poles included).</summary>
    private static T Trigamma(T x)
    {
        T sign = T.One, result = T.Zero, half = Real.Of<T>(0.5), pi = Real.Of<T>(Math.PI);
        if (x < half)
        {
            sign = -T.One;
            T s = T.Sin(pi * x);
            result -= pi * pi / (s * s);
            x = T.One - x;
        }
        for (int i = 0; i < 6; i++) { result += T.One / (x * x); x += T.One; }
        T ixx = T.One / (x * x);
        result += (T.One + T.One / (Real.Of<T>(2) * x) + ixx * (Real.Of<T>(1.0 / 6) - ixx * (Real.Of<T>(1.0 / 30) - ixx * Real.Of<T>(1.0 / 42)))) / x;
        return sign * result;
    }
}
partial class BinaryOp
{
    public static readonly BinaryOp Polygamma = new PolygammaOp();
    private sealed class PolygammaOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<PolygammaFn<T>>();
    }
}
/// <summary>√(a² + b²) without overflow: inf if either is inf (even with a NaN), as C's hypot.</summary>
internal struct HypotFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        T x = T.Abs(a), y = T.Abs(b);
        if (T.IsInfinity(x) || T.IsInfinity(y)) return T.PositiveInfinity;
        if (T.IsNaN(x) || T.IsNaN(y)) return T.NaN;
        T m = x > y ? x : y, n = x > y ? y : x;
        if (T.IsZero(m)) return T.Zero;
        T r = n / m;
        return m * T.Sqrt(T.One + r * r);
    }
}
partial class BinaryOp
{
    public static readonly BinaryOp Hypot = new HypotOp();
    private sealed class HypotOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<HypotFn<T>>();
    }
}
/// <summary>log(eᵃ + eᵇ) = max + log1p(e^-|a-b|); equal infinities give themselves.</summary>
internal struct LogaddexpFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsInfinity(a) && a == b) return a;
        T m = a > b ? a : b;
        if (T.IsNaN(a) || T.IsNaN(b)) return T.NaN;
        return m + Real.FromDouble<T>(SpecialMath.Log1p(Real.ToDouble(T.Exp(-T.Abs(a - b)))));
    }
}
partial class BinaryOp
{
    public static readonly BinaryOp Logaddexp = new LogaddexpOp();
    private sealed class LogaddexpOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<LogaddexpFn<T>>();
    }
}
/// <summary>log2(2ᵃ + 2ᵇ) = max + log1p(2^-|a-b|)/ln 2.</summary>
internal struct Logaddexp2Fn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsInfinity(a) && a == b) return a;
        T m = a > b ? a : b;
        if (T.IsNaN(a) || T.IsNaN(b)) return T.NaN;
        return m + Real.FromDouble<T>(SpecialMath.Log1p(Real.ToDouble(T.Exp2(-T.Abs(a - b)))) / 0.69314718055994530942);
    }
}
partial class BinaryOp
{
    public static readonly BinaryOp Logaddexp2 = new Logaddexp2Op();
    private sealed class Logaddexp2Op : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<Logaddexp2Fn<T>>();
    }
}
/// <summary>C's fmax: a NaN loses to a number (unlike maximum, which propagates it).</summary>
internal struct FmaxFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) ? b : T.IsNaN(b) ? a : a > b ? a : b;
}
partial class BinaryOp
{
    public static readonly BinaryOp Fmax = new FmaxOp();
    private sealed class FmaxOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<FmaxFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<MaximumFn<T>>();
    }
}
internal struct FminFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) ? b : T.IsNaN(b) ? a : a < b ? a : b;
}
partial class BinaryOp
{
    public static readonly BinaryOp Fmin = new FminOp();
    private sealed class FminOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<FminFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<MinimumFn<T>>();
    }
}
/// <summary>|a| with b's sign bit (so -0.0 and -NaN count as negative).</summary>
internal struct CopysignFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.IsNegative(a) == T.IsNegative(b) ? a : -a;
}
partial class BinaryOp
{
    public static readonly BinaryOp Copysign = new CopysignOp();
    private sealed class CopysignOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<CopysignFn<T>>();
    }
}
/// <summary>The next representable value after a toward b.</summary>
internal struct NextafterFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsNaN(a) || T.IsNaN(b)) return T.NaN;
        if (a == b) return b;
        return Real.Step(a, up: a < b);
    }
}
partial class BinaryOp
{
    public static readonly BinaryOp Nextafter = new NextafterOp();
    private sealed class NextafterOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<NextafterFn<T>>();
    }
}
/// <summary>b where a is 0, else 1 for a &gt; 0 and 0 otherwise (NaN gives 0, as ATen's heaviside).</summary>
internal struct HeavisideFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.IsZero(a) ? b : a > T.Zero ? T.One : T.Zero;
}
partial class BinaryOp
{
    public static readonly BinaryOp Heaviside = new HeavisideOp();
    private sealed class HeavisideOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<HeavisideFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<HeavisideFn<T>>();
    }
}
