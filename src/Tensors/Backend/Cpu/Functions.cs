using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Notebooks.Tensors.Backend.Cpu;

// Element functions as static-abstract structs: the JIT specialises each kernel per (type, function) pair,
// so the inner loops have no virtual calls. Contig is the vectorised path for unit-stride operands.

internal interface IUnaryFn<T>
{
    static abstract T Apply(T x);
    static abstract bool Contig(ReadOnlySpan<T> x, Span<T> d);
    /// <summary>
    /// False where <see cref="Contig"/> may round differently from <see cref="Apply"/> (vectorised exp/log): which
    /// elements reach it depends on the loop order, so the loop driver must then keep its dims in memory order.
    /// </summary>
    static virtual bool ContigExact => true;
}

internal interface IBinaryFn<T>
{
    static abstract T Apply(T a, T b);
    static abstract bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d);
    static abstract bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d);
    /// <summary>
    /// True where <see cref="ApplyV"/> computes exactly what <see cref="Apply"/> does, lane by lane (IEEE add, sub,
    /// mul, div, NaN-propagating max/min on float32/float64): short rows and broadcast rows then vectorise inline.
    /// </summary>
    static virtual bool HasVector => false;
    static virtual Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => throw new NotSupportedException();
}

/// <summary>float32/float64, the types whose vector lanes round exactly as the scalar operators do.</summary>
internal static class VecType
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Float<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);
}

internal interface ICompareFn<T>
{
    static abstract bool Apply(T a, T b);
}

// ---- numeric unary (any INumber) ----
internal struct NegFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => -x;
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) { TensorPrimitives.Negate(x, d); return true; }
}
internal struct AbsFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => T.IsNegative(x) ? -x : x;
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct SignFn<T> : IUnaryFn<T> where T : INumber<T>
{
    public static T Apply(T x) => T.IsNaN(x) ? x : x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
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
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct Expm1Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    // exp(x) - 1 loses everything for tiny x; use the series where it matters.
    public static T Apply(T x)
    {
        var ax = T.Abs(x);
        if (ax < T.CreateTruncating(1e-5)) return x + x * x / T.CreateTruncating(2) + x * x * x / T.CreateTruncating(6);
        return T.CreateTruncating(Math.Exp(double.CreateTruncating(x)) - 1.0);
    }
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
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
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct Log10Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log10(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct Log1pFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(Log1p(double.CreateTruncating(x)));
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
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
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct ReciprocalFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / x;
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct SinFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sin(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct CosFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cos(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct TanFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tan(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct AsinFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Asin(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct AcosFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Acos(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct AtanFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Atan(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct SinhFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sinh(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct CoshFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cosh(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct TanhFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tanh(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct SigmoidFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / (T.One + T.Exp(-x));
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct ErfFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(SpecialFunctions.Erf(double.CreateTruncating(x)));
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct ErfcFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(SpecialFunctions.Erfc(double.CreateTruncating(x)));
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct FloorFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Floor(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct CeilFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Ceiling(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct RoundFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    // PyTorch rounds half to even (std::nearbyint).
    public static T Apply(T x) => T.Round(x, MidpointRounding.ToEven);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct TruncFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Truncate(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct FracFn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => x - T.Truncate(x);
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}
internal struct BitwiseNotFn<T> : IUnaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T x) => ~x;
    public static bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
}

// ---- binary arithmetic ----
internal struct AddFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a + b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { TensorPrimitives.Add(a, b, d); return true; }
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) { TensorPrimitives.Add(a, b, d); return true; }
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => a + b;
}
internal struct SubFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a - b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { TensorPrimitives.Subtract(a, b, d); return true; }
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) { TensorPrimitives.Subtract(a, b, d); return true; }
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => a - b;
}
internal struct MulFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a * b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { TensorPrimitives.Multiply(a, b, d); return true; }
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) { TensorPrimitives.Multiply(a, b, d); return true; }
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => a * b;
}
internal struct DivFn<T> : IBinaryFn<T> where T : INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply(T a, T b)
    {
        if (T.IsZero(b) && IntegerOps.IsIntegral<T>()) throw new DivideByZeroException("ZeroDivisionError");
        return a / b;
    }
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct FloatDivFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a / b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { TensorPrimitives.Divide(a, b, d); return true; }
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) { TensorPrimitives.Divide(a, b, d); return true; }
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => a / b;
}
internal struct FloorDivideFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsZero(b) && IntegerOps.IsIntegral<T>()) throw new DivideByZeroException("ZeroDivisionError");
        if (!IntegerOps.IsIntegral<T>())
            return T.CreateTruncating(Math.Floor(double.CreateTruncating(a) / double.CreateTruncating(b)));
        var q = a / b;
        // C# truncates toward zero; Python floors.
        if (!T.IsZero(a - q * b) && (T.IsNegative(a) != T.IsNegative(b))) q -= T.One;
        return q;
    }
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct RemainderFn<T> : IBinaryFn<T> where T : INumber<T>
{
    // Python's modulo: the result takes the divisor's sign.
    public static T Apply(T a, T b)
    {
        if (T.IsZero(b) && IntegerOps.IsIntegral<T>()) throw new DivideByZeroException("ZeroDivisionError");
        if (!IntegerOps.IsIntegral<T>())
        {
            double x = double.CreateTruncating(a), y = double.CreateTruncating(b);
            var m = x - Math.Floor(x / y) * y;
            return T.CreateTruncating(m);
        }
        var r = a % b;
        if (!T.IsZero(r) && (T.IsNegative(r) != T.IsNegative(b))) r += b;
        return r;
    }
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct FmodFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsZero(b) && IntegerOps.IsIntegral<T>()) throw new DivideByZeroException("ZeroDivisionError");
        return a % b;
    }
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct PowFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b)
    {
        if (IntegerOps.IsIntegral<T>())
        {
            long e = long.CreateTruncating(b), x = long.CreateTruncating(a);
            if (e < 0)
            {
                if (x == 1) return T.One;
                if (x == -1) return (e & 1) == 0 ? T.One : -T.One;
                throw new ArgumentException("Integers to negative integer powers are not allowed.");
            }
            long r = 1;
            while (e > 0) { if ((e & 1) != 0) r *= x; x *= x; e >>= 1; }
            return T.CreateTruncating(r);
        }
        if (typeof(T) == typeof(float))
        {
            float fa = float.CreateTruncating(a), fb = float.CreateTruncating(b);
            if (fb == 2f) return T.CreateTruncating(fa * fa);
            return T.CreateTruncating(MathF.Pow(fa, fb));
        }
        double da = double.CreateTruncating(a), db = double.CreateTruncating(b);
        if (db == 2.0) return T.CreateTruncating(da * da);
        return T.CreateTruncating(Math.Pow(da, db));
    }
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    // x ** 2 is x * x (as Apply computes it, and ATen's pow_tensor_scalar kernel), vectorised.
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        if ((typeof(T) == typeof(float) || typeof(T) == typeof(double)) && b == T.CreateTruncating(2))
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(a, a, d);
            return true;
        }
        return false;
    }
}
internal struct Atan2Fn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Atan2(a, b);
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct MaximumFn<T> : IBinaryFn<T> where T : INumber<T>
{
    // NaN propagates, as torch.maximum does.
    public static T Apply(T a, T b) => T.IsNaN(a) ? a : T.IsNaN(b) ? b : a > b ? a : b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
    // Lane-wise the same choice: a when a is NaN or larger, else b (so NaN in b, and b on ties such as ±0).
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(~Vector256.Equals(a, a) | Vector256.GreaterThan(a, b), a, b);
}
internal struct MinimumFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) ? a : T.IsNaN(b) ? b : a < b ? a : b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(~Vector256.Equals(a, a) | Vector256.LessThan(a, b), a, b);
}
internal struct BitAndFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a & b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct BitOrFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a | b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct BitXorFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a ^ b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct ShlFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a << int.CreateTruncating(b);
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}
internal struct ShrFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a >> int.CreateTruncating(b);
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
}

/// <summary>x² 's gradient g·(2x) in one pass: 2x is exact (x + x), so this is the product the two-step formula rounds.</summary>
internal struct SquareGradFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T g, T x) => g * (x + x);
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> g, Vector256<T> x) => g * (x + x);
}

/// <summary>ReLU's gradient, where(y &gt; 0, g, 0) in one pass: g where the result was positive, else +0.</summary>
internal struct ReluGradFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T g, T y) => y > T.Zero ? g : T.Zero;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> g, Vector256<T> y) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<T>.Zero), g, Vector256<T>.Zero);
}

// ---- comparisons (result bool) ----
internal struct EqFn<T> : ICompareFn<T> where T : IEqualityOperators<T, T, bool> { public static bool Apply(T a, T b) => a == b; }
internal struct NeFn<T> : ICompareFn<T> where T : IEqualityOperators<T, T, bool> { public static bool Apply(T a, T b) => a != b; }
internal struct LtFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a < b; }
internal struct LeFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a <= b; }
internal struct GtFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a > b; }
internal struct GeFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a >= b; }
internal struct LogicalAndFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) && !T.IsZero(b); }
internal struct LogicalOrFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) || !T.IsZero(b); }
internal struct LogicalXorFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) != !T.IsZero(b); }

internal static class IntegerOps
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsIntegral<T>() =>
        typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) ||
        typeof(T) == typeof(sbyte) || typeof(T) == typeof(byte);
}
