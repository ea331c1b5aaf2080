using System.Numerics;

namespace Notebooks.Tensors.Backend.Functions;

/// <summary>What a backend does with an op's element function: run its loop (CPU) or launch its kernel (GPU).</summary>
internal interface IUnaryUser<T> { void Use<F>() where F : struct, IUnaryFn<T>; }
internal interface IBinaryUser<T> { void Use<F>() where F : struct, IBinaryFn<T>; }
internal interface ICompareUser<T> { void Use<F>() where F : struct, ICompareFn<T>; }

/// <summary>
/// The one map from op codes to element functions, used by both backends (the CPU at every element type, the GPU at
/// its compute types: float, double, long). False when the op is not defined for the type's category; the backend
/// then says so in PyTorch's "not implemented for" words.
/// </summary>
internal static class FunctionTable
{
    /// <param name="kernel">True for a GPU kernel: the ops ILGPU cannot compile take their KernelForms.cs form.</param>
    public static bool Floating<T, U>(UnaryOp op, ref U u, bool kernel = false) where T : IFloatingPointIeee754<T> where U : struct, IUnaryUser<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: u.Use<NegFn<T>>(); return true;
            case UnaryOp.Abs: u.Use<AbsFn<T>>(); return true;
            case UnaryOp.Sign: u.Use<SignFn<T>>(); return true;
            case UnaryOp.Square: u.Use<SquareFn<T>>(); return true;
            case UnaryOp.Exp: u.Use<ExpFn<T>>(); return true;
            case UnaryOp.Exp2: u.Use<Exp2Fn<T>>(); return true;
            case UnaryOp.Expm1: u.Use<Expm1Fn<T>>(); return true;
            case UnaryOp.Log: u.Use<LogFn<T>>(); return true;
            case UnaryOp.Log2: if (kernel) u.Use<KernelLog2Fn<T>>(); else u.Use<Log2Fn<T>>(); return true;
            case UnaryOp.Log10: u.Use<Log10Fn<T>>(); return true;
            case UnaryOp.Log1p: u.Use<Log1pFn<T>>(); return true;
            case UnaryOp.Sqrt: u.Use<SqrtFn<T>>(); return true;
            case UnaryOp.Rsqrt: u.Use<RsqrtFn<T>>(); return true;
            case UnaryOp.Reciprocal: u.Use<ReciprocalFn<T>>(); return true;
            case UnaryOp.Sin: u.Use<SinFn<T>>(); return true;
            case UnaryOp.Cos: u.Use<CosFn<T>>(); return true;
            case UnaryOp.Tan: u.Use<TanFn<T>>(); return true;
            case UnaryOp.Asin: u.Use<AsinFn<T>>(); return true;
            case UnaryOp.Acos: u.Use<AcosFn<T>>(); return true;
            case UnaryOp.Atan: u.Use<AtanFn<T>>(); return true;
            case UnaryOp.Sinh: u.Use<SinhFn<T>>(); return true;
            case UnaryOp.Cosh: u.Use<CoshFn<T>>(); return true;
            case UnaryOp.Tanh: u.Use<TanhFn<T>>(); return true;
            case UnaryOp.Sigmoid: u.Use<SigmoidFn<T>>(); return true;
            case UnaryOp.Erf: u.Use<ErfFn<T>>(); return true;
            case UnaryOp.Erfc: u.Use<ErfcFn<T>>(); return true;
            case UnaryOp.Floor: u.Use<FloorFn<T>>(); return true;
            case UnaryOp.Ceil: u.Use<CeilFn<T>>(); return true;
            case UnaryOp.Round: u.Use<RoundFn<T>>(); return true;
            case UnaryOp.Trunc: u.Use<TruncFn<T>>(); return true;
            case UnaryOp.Frac: u.Use<FracFn<T>>(); return true;
            case UnaryOp.Lgamma: u.Use<LgammaFn<T>>(); return true;
            case UnaryOp.Digamma: u.Use<DigammaFn<T>>(); return true;
            case UnaryOp.Erfinv: u.Use<ErfinvFn<T>>(); return true;
            case UnaryOp.I0: u.Use<I0Fn<T>>(); return true;
            case UnaryOp.I0e: u.Use<I0eFn<T>>(); return true;
            case UnaryOp.I1: u.Use<I1Fn<T>>(); return true;
            case UnaryOp.I1e: u.Use<I1eFn<T>>(); return true;
            case UnaryOp.Erfcx: u.Use<ErfcxFn<T>>(); return true;
            case UnaryOp.Ndtr: u.Use<NdtrFn<T>>(); return true;
            case UnaryOp.LogNdtr: u.Use<LogNdtrFn<T>>(); return true;
            case UnaryOp.Sinc: u.Use<SincFn<T>>(); return true;
            case UnaryOp.Entr: u.Use<EntrFn<T>>(); return true;
            default: return false;
        }
    }

    /// <summary>Integers; rounding an integer is the identity, which the backends do as a copy (not here).</summary>
    public static bool Integer<T, U>(UnaryOp op, ref U u) where T : IBinaryInteger<T> where U : struct, IUnaryUser<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: u.Use<NegFn<T>>(); return true;
            case UnaryOp.Abs: u.Use<AbsFn<T>>(); return true;
            case UnaryOp.Sign: u.Use<SignFn<T>>(); return true;
            case UnaryOp.Square: u.Use<SquareFn<T>>(); return true;
            case UnaryOp.BitwiseNot: u.Use<BitwiseNotFn<T>>(); return true;
            default: return false;
        }
    }

    public static bool Floating<T, U>(BinaryOp op, ref U u) where T : IFloatingPointIeee754<T> where U : struct, IBinaryUser<T>
    {
        switch (op)
        {
            case BinaryOp.Add: u.Use<AddFn<T>>(); return true;
            case BinaryOp.Sub: u.Use<SubFn<T>>(); return true;
            case BinaryOp.Mul: u.Use<MulFn<T>>(); return true;
            case BinaryOp.Div: u.Use<FloatDivFn<T>>(); return true;
            case BinaryOp.FloorDivide: u.Use<FloorDivideFn<T>>(); return true;
            case BinaryOp.Remainder: u.Use<RemainderFn<T>>(); return true;
            case BinaryOp.Fmod: u.Use<FmodFn<T>>(); return true;
            case BinaryOp.Pow: u.Use<PowFn<T>>(); return true;
            case BinaryOp.Atan2: u.Use<Atan2Fn<T>>(); return true;
            case BinaryOp.Maximum: u.Use<MaximumFn<T>>(); return true;
            case BinaryOp.Minimum: u.Use<MinimumFn<T>>(); return true;
            case BinaryOp.Fmax: u.Use<FmaxFn<T>>(); return true;
            case BinaryOp.Fmin: u.Use<FminFn<T>>(); return true;
            case BinaryOp.Heaviside: u.Use<HeavisideFn<T>>(); return true;
            case BinaryOp.Xlogy: u.Use<XlogyFn<T>>(); return true;
            case BinaryOp.Xlog1py: u.Use<Xlog1pyFn<T>>(); return true;
            case BinaryOp.Zeta: u.Use<ZetaFn<T>>(); return true;
            case BinaryOp.Polygamma: u.Use<PolygammaFn<T>>(); return true;
            case BinaryOp.Hypot: u.Use<HypotFn<T>>(); return true;
            case BinaryOp.Logaddexp: u.Use<LogaddexpFn<T>>(); return true;
            case BinaryOp.Logaddexp2: u.Use<Logaddexp2Fn<T>>(); return true;
            case BinaryOp.Copysign: u.Use<CopysignFn<T>>(); return true;
            case BinaryOp.Nextafter: u.Use<NextafterFn<T>>(); return true;
            default: return false;
        }
    }

    public static bool Integer<T, U>(BinaryOp op, ref U u) where T : IBinaryInteger<T> where U : struct, IBinaryUser<T>
    {
        switch (op)
        {
            case BinaryOp.Add: u.Use<AddFn<T>>(); return true;
            case BinaryOp.Sub: u.Use<SubFn<T>>(); return true;
            case BinaryOp.Mul: u.Use<MulFn<T>>(); return true;
            case BinaryOp.Div: u.Use<DivFn<T>>(); return true;
            case BinaryOp.FloorDivide: u.Use<IntFloorDivideFn<T>>(); return true;
            case BinaryOp.Remainder: u.Use<IntRemainderFn<T>>(); return true;
            case BinaryOp.Fmod: u.Use<IntFmodFn<T>>(); return true;
            case BinaryOp.Pow: u.Use<IntPowFn<T>>(); return true;
            case BinaryOp.Maximum: u.Use<MaximumFn<T>>(); return true;
            case BinaryOp.Minimum: u.Use<MinimumFn<T>>(); return true;
            case BinaryOp.BitwiseAnd: u.Use<BitAndFn<T>>(); return true;
            case BinaryOp.BitwiseOr: u.Use<BitOrFn<T>>(); return true;
            case BinaryOp.BitwiseXor: u.Use<BitXorFn<T>>(); return true;
            case BinaryOp.LeftShift: u.Use<ShlFn<T>>(); return true;
            case BinaryOp.RightShift: u.Use<ShrFn<T>>(); return true;
            case BinaryOp.Fmax: u.Use<MaximumFn<T>>(); return true;
            case BinaryOp.Fmin: u.Use<MinimumFn<T>>(); return true;
            case BinaryOp.Heaviside: u.Use<HeavisideFn<T>>(); return true;
            default: return false;
        }
    }

    public static bool Compare<T, U>(BinaryOp op, ref U u) where T : INumber<T> where U : struct, ICompareUser<T>
    {
        switch (op)
        {
            case BinaryOp.Eq: u.Use<EqFn<T>>(); return true;
            case BinaryOp.Ne: u.Use<NeFn<T>>(); return true;
            case BinaryOp.Lt: u.Use<LtFn<T>>(); return true;
            case BinaryOp.Le: u.Use<LeFn<T>>(); return true;
            case BinaryOp.Gt: u.Use<GtFn<T>>(); return true;
            case BinaryOp.Ge: u.Use<GeFn<T>>(); return true;
            case BinaryOp.LogicalAnd: u.Use<LogicalAndFn<T>>(); return true;
            case BinaryOp.LogicalOr: u.Use<LogicalOrFn<T>>(); return true;
            case BinaryOp.LogicalXor: u.Use<LogicalXorFn<T>>(); return true;
            default: return false;
        }
    }
}
