namespace Notebooks.Tensors.Backend;

/// <summary>Element-wise functions of one argument. Float-only ones are only asked for on float dtypes.</summary>
internal enum UnaryOp
{
    // Any numeric dtype.
    Neg, Abs, Sign, Square,
    // Floating point only (integer inputs are promoted before they reach a backend).
    Exp, Exp2, Expm1, Log, Log2, Log10, Log1p, Sqrt, Rsqrt, Reciprocal,
    Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Sigmoid, Erf, Erfc,
    Floor, Ceil, Round, Trunc, Frac,
    // torch.special (floating point only).
    Lgamma, Digamma, Erfinv, I0, I0e, I1, I1e, Erfcx, Ndtr, LogNdtr, Sinc, Entr,
    // Integers and bool.
    BitwiseNot,
}

/// <summary>Element-wise functions of two arguments of the same (already promoted) dtype.</summary>
internal enum BinaryOp
{
    Add, Sub, Mul, Div, FloorDivide, Remainder, Fmod, Pow, Atan2, Maximum, Minimum,
    BitwiseAnd, BitwiseOr, BitwiseXor, LeftShift, RightShift,
    // Numbers of any kind.
    Fmax, Fmin, Heaviside,
    // Floating point only. Polygamma takes the order n as its second operand.
    Xlogy, Xlog1py, Zeta, Polygamma, Hypot, Logaddexp, Logaddexp2, Copysign, Nextafter,
    // Results are bool.
    Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, LogicalXor,
}

internal enum ReduceOp { Sum, Prod, Max, Min, All, Any }

internal enum ScanOp { CumSum, CumProd }

internal static class OpInfo
{
    public static bool IsComparison(BinaryOp op) => op >= BinaryOp.Eq;
}
