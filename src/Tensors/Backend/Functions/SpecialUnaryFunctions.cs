using System.Numerics;

namespace Notebooks.Tensors.Backend.Functions;

// torch.special's one-argument functions (and their top-level forms). Those computed in double round once to T.

internal struct LgammaFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.Lgamma(Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp Lgamma = new LgammaOp();
    private sealed class LgammaOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<LgammaFn<T>>();
    }
}
internal struct DigammaFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.Digamma(Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp Digamma = new DigammaOp();
    private sealed class DigammaOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<DigammaFn<T>>();
    }
}
internal struct I0Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.BesselI(0, Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp I0 = new I0Op();
    private sealed class I0Op : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<I0Fn<T>>();
    }
}
internal struct I0eFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.BesselIScaled(0, Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp I0e = new I0eOp();
    private sealed class I0eOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<I0eFn<T>>();
    }
}
internal struct I1Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.BesselI(1, Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp I1 = new I1Op();
    private sealed class I1Op : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<I1Fn<T>>();
    }
}
internal struct I1eFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.BesselIScaled(1, Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp I1e = new I1eOp();
    private sealed class I1eOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<I1eFn<T>>();
    }
}
internal struct ErfcxFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.Erfcx(Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp Erfcx = new ErfcxOp();
    private sealed class ErfcxOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<ErfcxFn<T>>();
    }
}
internal struct NdtrFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.Ndtr(Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp Ndtr = new NdtrOp();
    private sealed class NdtrOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<NdtrFn<T>>();
    }
}
internal struct LogNdtrFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(SpecialMath.LogNdtr(Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp LogNdtr = new LogNdtrOp();
    private sealed class LogNdtrOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<LogNdtrFn<T>>();
    }
}

/// <summary>sin(πx)/(πx), 1 at 0, in T's precision (ATen's sinc kernel).</summary>
internal struct SincFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x)
    {
        if (T.IsZero(x)) return T.One;
        T p = Real.Of<T>(Math.PI) * x;
        return T.Sin(p) / p;
    }
}
partial class UnaryOp
{
    public static readonly UnaryOp Sinc = new SincOp();
    private sealed class SincOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<SincFn<T>>();
    }
}

/// <summary>-x·log(x) for x &gt; 0, 0 at 0, -inf below (ATen's entr kernel).</summary>
internal struct EntrFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x)
    {
        if (T.IsNaN(x)) return x;
        if (x > T.Zero) return -x * T.Log(x);
        if (T.IsZero(x)) return T.Zero;
        return T.NegativeInfinity;
    }
}
partial class UnaryOp
{
    public static readonly UnaryOp Entr = new EntrOp();
    private sealed class EntrOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<EntrFn<T>>();
    }
}

/// <summary>
/// ATen's calc_erfinv (aten/src/ATen/native/Math.h): a rational first guess refined by two Newton steps, in T's own
/// precision as the CPU kernel computes it (erf itself in double, rounded to T).
/// </summary>
internal struct ErfinvFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    // libtorch 2.10's float erfinv is accurate to float (its float path rounds a more precise value): float computes
    // the double form and rounds once.
    public static T Apply(T y) => Real.FromDouble<T>(Calc(Real.ToDouble(y)));

    private static double Calc(double y) => ErfinvFn<double>.Core(y);

    internal static T Core(T y)
    {
        T ya = T.Abs(y);
        if (ya > T.One || T.IsNaN(y)) return T.NaN;
        if (ya == T.One) return T.IsNegative(y) ? T.NegativeInfinity : T.PositiveInfinity;
        T x;
        if (ya <= Real.Of<T>(0.7))
        {
            T z = y * y;
            T num = ((Real.Of<T>(-0.140543331) * z + Real.Of<T>(0.914624893)) * z + Real.Of<T>(-1.645349621)) * z + Real.Of<T>(0.886226899);
            T dem = (((Real.Of<T>(0.012229801) * z + Real.Of<T>(-0.329097515)) * z + Real.Of<T>(1.442710462)) * z + Real.Of<T>(-2.118377725)) * z + T.One;
            x = y * num / dem;
        }
        else
        {
            T z = T.Sqrt(-T.Log((T.One - ya) / Real.Of<T>(2)));
            T num = ((Real.Of<T>(1.641345311) * z + Real.Of<T>(3.429567803)) * z + Real.Of<T>(-1.624906493)) * z + Real.Of<T>(-1.970840454);
            T dem = (Real.Of<T>(1.637067800) * z + Real.Of<T>(3.543889200)) * z + T.One;
            x = (T.IsNegative(y) ? -T.Abs(num) : T.Abs(num)) / dem;
        }
        T k = Real.Of<T>(2) / Real.Of<T>(Math.Sqrt(Math.PI));
        x -= (Erf(x) - y) / (k * T.Exp(-x * x));
        x -= (Erf(x) - y) / (k * T.Exp(-x * x));
        return x;
    }

    private static T Erf(T x) => Real.FromDouble<T>(SpecialFunctions.Erf(Real.ToDouble(x)));
}
partial class UnaryOp
{
    public static readonly UnaryOp Erfinv = new ErfinvOp();
    private sealed class ErfinvOp : UnaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<ErfinvFn<T>>();
    }
}
