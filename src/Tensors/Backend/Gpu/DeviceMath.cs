using ILGPU.Algorithms;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// Element functions for kernels, switched on the op code (the enums' values) so one kernel per dtype serves every op.
/// Semantics follow the CPU backend's Functions.cs; integer division by zero yields 0 instead of throwing (a kernel
/// cannot throw; CUDA PyTorch doesn't raise either).
/// </summary>
internal static class DeviceMath
{
    public static bool IsNaN(float x) => float.IsNaN(x);
    public static bool IsNaN(double x) => double.IsNaN(x);

    public static float UnaryF(int op, float x)
    {
        switch ((UnaryOp)op)
        {
            case UnaryOp.Neg: return -x;
            case UnaryOp.Abs: return x < 0 ? -x : x == 0 ? 0f : x;
            case UnaryOp.Sign: return IsNaN(x) ? x : x > 0 ? 1f : x < 0 ? -1f : 0f;
            case UnaryOp.Square: return x * x;
            case UnaryOp.Exp: return XMath.Exp(x);
            case UnaryOp.Exp2: return XMath.Exp2(x);
            case UnaryOp.Expm1: return (float)Expm1((double)x);
            case UnaryOp.Log: return XMath.Log(x);
            case UnaryOp.Log2: return XMath.Log2(x);
            case UnaryOp.Log10: return XMath.Log10(x);
            case UnaryOp.Log1p: return (float)Log1p((double)x);
            case UnaryOp.Sqrt: return XMath.Sqrt(x);
            case UnaryOp.Rsqrt: return 1f / XMath.Sqrt(x);
            case UnaryOp.Reciprocal: return 1f / x;
            case UnaryOp.Sin: return XMath.Sin(x);
            case UnaryOp.Cos: return XMath.Cos(x);
            case UnaryOp.Tan: return XMath.Tan(x);
            case UnaryOp.Asin: return XMath.Asin(x);
            case UnaryOp.Acos: return XMath.Acos(x);
            case UnaryOp.Atan: return XMath.Atan(x);
            case UnaryOp.Sinh: return XMath.Sinh(x);
            case UnaryOp.Cosh: return XMath.Cosh(x);
            case UnaryOp.Tanh: return XMath.Tanh(x);
            case UnaryOp.Sigmoid: return 1f / (1f + XMath.Exp(-x));
            case UnaryOp.Erf: return (float)Cpu.SpecialFunctions.Erf(x);
            case UnaryOp.Erfc: return (float)Cpu.SpecialFunctions.Erfc(x);
            case UnaryOp.Floor: return XMath.Floor(x);
            case UnaryOp.Ceil: return XMath.Ceiling(x);
            case UnaryOp.Round: return (float)RoundEven(x, 8388608.0);
            case UnaryOp.Trunc: return XMath.Truncate(x);
            case UnaryOp.Frac: return x - XMath.Truncate(x);
            default: return x;
        }
    }

    public static double UnaryD(int op, double x)
    {
        switch ((UnaryOp)op)
        {
            case UnaryOp.Neg: return -x;
            case UnaryOp.Abs: return x < 0 ? -x : x == 0 ? 0.0 : x;
            case UnaryOp.Sign: return IsNaN(x) ? x : x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
            case UnaryOp.Square: return x * x;
            case UnaryOp.Exp: return XMath.Exp(x);
            case UnaryOp.Exp2: return XMath.Exp2(x);
            case UnaryOp.Expm1: return Expm1(x);
            case UnaryOp.Log: return XMath.Log(x);
            case UnaryOp.Log2: return XMath.Log2(x);
            case UnaryOp.Log10: return XMath.Log10(x);
            case UnaryOp.Log1p: return Log1p(x);
            case UnaryOp.Sqrt: return XMath.Sqrt(x);
            case UnaryOp.Rsqrt: return 1.0 / XMath.Sqrt(x);
            case UnaryOp.Reciprocal: return 1.0 / x;
            case UnaryOp.Sin: return XMath.Sin(x);
            case UnaryOp.Cos: return XMath.Cos(x);
            case UnaryOp.Tan: return XMath.Tan(x);
            case UnaryOp.Asin: return XMath.Asin(x);
            case UnaryOp.Acos: return XMath.Acos(x);
            case UnaryOp.Atan: return XMath.Atan(x);
            case UnaryOp.Sinh: return XMath.Sinh(x);
            case UnaryOp.Cosh: return XMath.Cosh(x);
            case UnaryOp.Tanh: return XMath.Tanh(x);
            case UnaryOp.Sigmoid: return 1.0 / (1.0 + XMath.Exp(-x));
            case UnaryOp.Erf: return Cpu.SpecialFunctions.Erf(x);
            case UnaryOp.Erfc: return Cpu.SpecialFunctions.Erfc(x);
            case UnaryOp.Floor: return XMath.Floor(x);
            case UnaryOp.Ceil: return XMath.Ceiling(x);
            case UnaryOp.Round: return RoundEven(x, 4503599627370496.0);
            case UnaryOp.Trunc: return XMath.Truncate(x);
            case UnaryOp.Frac: return x - XMath.Truncate(x);
            default: return x;
        }
    }

    public static long UnaryL(int op, long x) => (UnaryOp)op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => x < 0 ? -x : x,
        UnaryOp.Sign => x > 0 ? 1 : x < 0 ? -1 : 0,
        UnaryOp.Square => x * x,
        UnaryOp.BitwiseNot => ~x,
        _ => x,
    };

    public static float BinaryF(int op, float a, float b)
    {
        switch ((BinaryOp)op)
        {
            case BinaryOp.Add: return a + b;
            case BinaryOp.Sub: return a - b;
            case BinaryOp.Mul: return a * b;
            case BinaryOp.Div: return a / b;
            case BinaryOp.Pow: return b == 2f ? a * a : XMath.Pow(a, b);
            case BinaryOp.Atan2: return XMath.Atan2(a, b);
            case BinaryOp.Maximum: return IsNaN(a) ? a : IsNaN(b) ? b : a > b ? a : b;
            case BinaryOp.Minimum: return IsNaN(a) ? a : IsNaN(b) ? b : a < b ? a : b;
            // The division-based ones go through double as the CPU kernels do.
            default: return (float)BinaryD(op, a, b);
        }
    }

    public static double BinaryD(int op, double a, double b)
    {
        switch ((BinaryOp)op)
        {
            case BinaryOp.Add: return a + b;
            case BinaryOp.Sub: return a - b;
            case BinaryOp.Mul: return a * b;
            case BinaryOp.Div: return a / b;
            case BinaryOp.FloorDivide: return XMath.Floor(a / b);
            case BinaryOp.Remainder: return a - XMath.Floor(a / b) * b;
            case BinaryOp.Fmod: return Fmod(a, b);
            case BinaryOp.Pow: return b == 2.0 ? a * a : XMath.Pow(a, b);
            case BinaryOp.Atan2: return XMath.Atan2(a, b);
            case BinaryOp.Maximum: return IsNaN(a) ? a : IsNaN(b) ? b : a > b ? a : b;
            case BinaryOp.Minimum: return IsNaN(a) ? a : IsNaN(b) ? b : a < b ? a : b;
            default: return 0.0;
        }
    }

    public static long BinaryL(int op, long a, long b)
    {
        switch ((BinaryOp)op)
        {
            case BinaryOp.Add: return a + b;
            case BinaryOp.Sub: return a - b;
            case BinaryOp.Mul: return a * b;
            case BinaryOp.Div: return b == 0 ? 0 : a / b;
            case BinaryOp.FloorDivide:
                {
                    if (b == 0) return 0;
                    long q = a / b;
                    if (a - q * b != 0 && (a < 0) != (b < 0)) q -= 1;
                    return q;
                }
            case BinaryOp.Remainder:
                {
                    if (b == 0) return 0;
                    long r = a % b;
                    if (r != 0 && (r < 0) != (b < 0)) r += b;
                    return r;
                }
            case BinaryOp.Fmod: return b == 0 ? 0 : a % b;
            case BinaryOp.Pow:
                {
                    if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) == 0 ? 1 : -1) : 0;
                    long r = 1, x = a, e = b;
                    while (e > 0) { if ((e & 1) != 0) r *= x; x *= x; e >>= 1; }
                    return r;
                }
            case BinaryOp.Maximum: return a > b ? a : b;
            case BinaryOp.Minimum: return a < b ? a : b;
            case BinaryOp.BitwiseAnd: return a & b;
            case BinaryOp.BitwiseOr: return a | b;
            case BinaryOp.BitwiseXor: return a ^ b;
            case BinaryOp.LeftShift: return a << (int)b;
            case BinaryOp.RightShift: return a >> (int)b;
            default: return 0;
        }
    }

    public static bool CompareD(int op, double a, double b) => (BinaryOp)op switch
    {
        BinaryOp.Eq => a == b,
        BinaryOp.Ne => a != b,
        BinaryOp.Lt => a < b,
        BinaryOp.Le => a <= b,
        BinaryOp.Gt => a > b,
        BinaryOp.Ge => a >= b,
        BinaryOp.LogicalAnd => a != 0 && b != 0,
        BinaryOp.LogicalOr => a != 0 || b != 0,
        _ => (a != 0) != (b != 0),
    };

    public static bool CompareL(int op, long a, long b) => (BinaryOp)op switch
    {
        BinaryOp.Eq => a == b,
        BinaryOp.Ne => a != b,
        BinaryOp.Lt => a < b,
        BinaryOp.Le => a <= b,
        BinaryOp.Gt => a > b,
        BinaryOp.Ge => a >= b,
        BinaryOp.LogicalAnd => a != 0 && b != 0,
        BinaryOp.LogicalOr => a != 0 || b != 0,
        _ => (a != 0) != (b != 0),
    };

    private static double Fmod(double a, double b)
    {
        if (b == 0 || IsNaN(a) || IsNaN(b) || XMath.Abs(a) == double.PositiveInfinity) return double.NaN;
        if (XMath.Abs(b) == double.PositiveInfinity) return a;
        // C's fmod: the remainder of truncated division, with a's sign.
        double r = a - XMath.Truncate(a / b) * b;
        return r;
    }

    /// <summary>Half-to-even rounding (std::nearbyint); values at or beyond <paramref name="integral"/> are already integers.</summary>
    private static double RoundEven(double x, double integral)
    {
        if (!(XMath.Abs(x) < integral)) return x;
        double r = XMath.Floor(x + 0.5);
        if (r - x == 0.5 && r * 0.5 != XMath.Floor(r * 0.5)) r -= 1.0;
        return r;
    }

    // Kahan's tricks: accurate near 0 without a dedicated libm routine.
    private static double Expm1(double x)
    {
        double u = XMath.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (XMath.Abs(x) > 0.5) return um1;
        return um1 * x / XMath.Log(u);
    }

    private static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (XMath.Abs(x) > 0.5) return XMath.Log(u);
        return XMath.Log(u) * x / (u - 1.0);
    }
}
