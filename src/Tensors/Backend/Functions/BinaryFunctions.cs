using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Notebooks.Tensors.Backend.Functions;

// ---- binary arithmetic ----
internal struct AddFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a + b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { TensorPrimitives.Add(a, b, d); return true; }
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) { TensorPrimitives.Add(a, b, d); return true; }
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => a + b;
}
partial class BinaryOp
{
    public static readonly BinaryOp Add = new AddOp();
    private sealed class AddOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<AddFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<AddFn<T>>();
        public override BinaryOp OnBool => LogicalOr;
    }
}
internal struct SubFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a - b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { TensorPrimitives.Subtract(a, b, d); return true; }
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) { TensorPrimitives.Subtract(a, b, d); return true; }
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => a - b;
}
partial class BinaryOp
{
    public static readonly BinaryOp Sub = new SubOp();
    private sealed class SubOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<SubFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<SubFn<T>>();
    }
}
internal struct MulFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => a * b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { TensorPrimitives.Multiply(a, b, d); return true; }
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) { TensorPrimitives.Multiply(a, b, d); return true; }
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => a * b;
}
partial class BinaryOp
{
    public static readonly BinaryOp Mul = new MulOp();
    private sealed class MulOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<MulFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<MulFn<T>>();
        public override BinaryOp OnBool => LogicalAnd;
    }
}
/// <summary>Integer division truncating toward zero; a zero divisor gives 0 here (a kernel cannot throw, and CUDA PyTorch doesn't raise): the CPU backend checks for it first (Cpu/Guards.cs).</summary>
internal struct DivFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => T.IsZero(b) ? T.Zero : a / b;
}
internal struct FloatDivFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a / b;
    public static bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { TensorPrimitives.Divide(a, b, d); return true; }
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) { TensorPrimitives.Divide(a, b, d); return true; }
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => a / b;
}
partial class BinaryOp
{
    public static readonly BinaryOp Div = new DivOp();
    private sealed class DivOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<FloatDivFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<DivFn<T>>();
        public override IntegerCheck IntegerCheck => IntegerCheck.NonzeroDivisor;
    }
}
internal struct FloorDivideFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => Real.FromDouble<T>(Math.Floor(Real.ToDouble(a) / Real.ToDouble(b)));
}
internal struct IntFloorDivideFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsZero(b)) return T.Zero;
        var q = a / b;
        // C# truncates toward zero; Python floors.
        if (!T.IsZero(a - q * b) && (T.IsNegative(a) != T.IsNegative(b))) q -= T.One;
        return q;
    }
}
partial class BinaryOp
{
    public static readonly BinaryOp FloorDivide = new FloorDivideOp();
    private sealed class FloorDivideOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<FloorDivideFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<IntFloorDivideFn<T>>();
        public override IntegerCheck IntegerCheck => IntegerCheck.NonzeroDivisor;
    }
}
/// <summary>Python's modulo: the result takes the divisor's sign.</summary>
internal struct RemainderFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        double x = Real.ToDouble(a), y = Real.ToDouble(b);
        return Real.FromDouble<T>(x - Math.Floor(x / y) * y);
    }
}
internal struct IntRemainderFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsZero(b)) return T.Zero;
        var r = a % b;
        if (!T.IsZero(r) && (T.IsNegative(r) != T.IsNegative(b))) r += b;
        return r;
    }
}
partial class BinaryOp
{
    public static readonly BinaryOp Remainder = new RemainderOp();
    private sealed class RemainderOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<RemainderFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<IntRemainderFn<T>>();
        public override IntegerCheck IntegerCheck => IntegerCheck.NonzeroDivisor;
    }
}
/// <summary>C's fmod: the remainder of truncated division, with a's sign (exact).</summary>
internal struct FmodFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a % b;
}
internal struct IntFmodFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => T.IsZero(b) ? T.Zero : a % b;
}
partial class BinaryOp
{
    public static readonly BinaryOp Fmod = new FmodOp();
    private sealed class FmodOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<FmodFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<IntFmodFn<T>>();
        public override IntegerCheck IntegerCheck => IntegerCheck.NonzeroDivisor;
    }
}
internal struct PowFn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    // x ** 2 is x * x, as ATen's pow kernels compute it.
    public static T Apply(T a, T b) => b == T.One + T.One ? a * a : T.Pow(a, b);
    // x ** 2 vectorised (the product Apply computes).
    public static bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        if (VecType.Float<T>() && b == T.One + T.One) { TensorPrimitives.Multiply(a, a, d); return true; }
        return false;
    }
}
/// <summary>
/// Integer powers by squaring, wrapping as the type does. A negative exponent gives 1 for a base of 1, ±1 for -1 and 0
/// otherwise, as ATen's powi for a tensor exponent; the CPU refuses it first for PyTorch's scalar-exponent error.
/// </summary>
internal struct IntPowFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsNegative(b))
        {
            if (a == T.One) return T.One;
            if (Integers.IsMinusOne(a)) return T.IsZero(b & T.One) ? T.One : a;
            return T.Zero;
        }
        T r = T.One, x = a, e = b;
        while (e > T.Zero) { if (!T.IsZero(e & T.One)) r *= x; x *= x; e >>= 1; }
        return r;
    }
}
partial class BinaryOp
{
    public static readonly BinaryOp Pow = new PowOp();
    private sealed class PowOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<PowFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<IntPowFn<T>>();
        public override IntegerCheck IntegerCheck => IntegerCheck.NonNegativeExponent;
    }
}
internal struct Atan2Fn<T> : IBinaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Atan2(a, b);
}
partial class BinaryOp
{
    public static readonly BinaryOp Atan2 = new Atan2Op();
    private sealed class Atan2Op : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<Atan2Fn<T>>();
    }
}
internal struct MaximumFn<T> : IBinaryFn<T> where T : INumber<T>
{
    // NaN propagates, as torch.maximum does.
    public static T Apply(T a, T b) => T.IsNaN(a) ? a : T.IsNaN(b) ? b : a > b ? a : b;
    // Lane-wise the same choice: a when a is NaN or larger, else b (so NaN in b, and b on ties such as ±0).
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(~Vector256.Equals(a, a) | Vector256.GreaterThan(a, b), a, b);
}
partial class BinaryOp
{
    public static readonly BinaryOp Maximum = new MaximumOp();
    private sealed class MaximumOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<MaximumFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<MaximumFn<T>>();
        public override BinaryOp OnBool => LogicalOr;
    }
}
internal struct MinimumFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) ? a : T.IsNaN(b) ? b : a < b ? a : b;
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(~Vector256.Equals(a, a) | Vector256.LessThan(a, b), a, b);
}
partial class BinaryOp
{
    public static readonly BinaryOp Minimum = new MinimumOp();
    private sealed class MinimumOp : BinaryOp
    {
        public override bool Floating<T, U>(ref U u) => u.Use<MinimumFn<T>>();
        public override bool Integer<T, U>(ref U u) => u.Use<MinimumFn<T>>();
        public override BinaryOp OnBool => LogicalAnd;
    }
}
internal struct BitAndFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a & b;
}
partial class BinaryOp
{
    public static readonly BinaryOp BitwiseAnd = new BitwiseAndOp();
    private sealed class BitwiseAndOp : BinaryOp
    {
        public override bool Integer<T, U>(ref U u) => u.Use<BitAndFn<T>>();
        public override BinaryOp OnBool => LogicalAnd;
    }
}
internal struct BitOrFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a | b;
}
partial class BinaryOp
{
    public static readonly BinaryOp BitwiseOr = new BitwiseOrOp();
    private sealed class BitwiseOrOp : BinaryOp
    {
        public override bool Integer<T, U>(ref U u) => u.Use<BitOrFn<T>>();
        public override BinaryOp OnBool => LogicalOr;
    }
}
internal struct BitXorFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a ^ b;
}
partial class BinaryOp
{
    public static readonly BinaryOp BitwiseXor = new BitwiseXorOp();
    private sealed class BitwiseXorOp : BinaryOp
    {
        public override bool Integer<T, U>(ref U u) => u.Use<BitXorFn<T>>();
        public override BinaryOp OnBool => LogicalXor;
    }
}
internal struct ShlFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a << Integers.ShiftCount(b);
}
partial class BinaryOp
{
    public static readonly BinaryOp LeftShift = new LeftShiftOp();
    private sealed class LeftShiftOp : BinaryOp
    {
        public override bool Integer<T, U>(ref U u) => u.Use<ShlFn<T>>();
    }
}
internal struct ShrFn<T> : IBinaryFn<T> where T : IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a >> Integers.ShiftCount(b);
}
partial class BinaryOp
{
    public static readonly BinaryOp RightShift = new RightShiftOp();
    private sealed class RightShiftOp : BinaryOp
    {
        public override bool Integer<T, U>(ref U u) => u.Use<ShrFn<T>>();
    }
}

/// <summary>x² 's gradient g·(2x) in one pass: 2x is exact (x + x), so this is the product the two-step formula rounds.</summary>
internal struct SquareGradFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T g, T x) => g * (x + x);
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> g, Vector256<T> x) => g * (x + x);
}

/// <summary>ReLU's gradient, where(y &gt; 0, g, 0) in one pass: g where the result was positive, else +0.</summary>
internal struct ReluGradFn<T> : IBinaryFn<T> where T : INumber<T>
{
    public static T Apply(T g, T y) => y > T.Zero ? g : T.Zero;
    public static bool HasVector => VecType.Float<T>();
    public static Vector256<T> ApplyV(Vector256<T> g, Vector256<T> y) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<T>.Zero), g, Vector256<T>.Zero);
}

