namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for one-input math (`self: grad * ...`), rounding, relu, and the ops that pick one input
// per element (maximum/minimum, clamp, where, atan2). Each formula saves only what it reads: exp keeps its result,
// log its input, as the generated nodes do.
internal static partial class Derivatives
{
    private const double Ln2 = 0.6931471805599453, Ln10 = 2.302585092994046, TwoOverSqrtPi = 1.1283791670955126;

    public static readonly Derivative
        Exp = new("ExpBackward0", (Saves.Result, static c => c.grad * c.result)),
        Exp2 = new("Exp2Backward0", (Saves.Result, static c => c.grad * c.result * Ln2)),
        Expm1 = new("Expm1Backward0", (Saves.Result, static c => c.grad * (c.result + 1))),
        Log = new("LogBackward0", (Saves.Self, static c => c.grad / c.self)),
        Log2 = new("Log2Backward0", (Saves.Self, static c => c.grad / (c.self * Ln2))),
        Log10 = new("Log10Backward0", (Saves.Self, static c => c.grad / (c.self * Ln10))),
        Log1p = new("Log1PBackward0", (Saves.Self, static c => c.grad / (c.self + 1))),
        Sqrt = new("SqrtBackward0", (Saves.Result, static c => c.grad / (c.result * 2))),
        Rsqrt = new("RsqrtBackward0", (Saves.Result, static c => c.grad * c.result.pow(3) * -0.5)),
        Reciprocal = new("ReciprocalBackward0", (Saves.Result, static c => { var y = c.result; return -c.grad * y * y; })),
        Sin = new("SinBackward0", (Saves.Self, static c => c.grad * c.self.cos())),
        Cos = new("CosBackward0", (Saves.Self, static c => c.grad * -c.self.sin())),
        Tan = new("TanBackward0", (Saves.Result, static c => { var y = c.result; return c.grad * (y * y + 1); })),
        Asin = new("AsinBackward0", (Saves.Self, static c => { var x = c.self; return c.grad * (-(x * x) + 1).rsqrt(); })),
        Acos = new("AcosBackward0", (Saves.Self, static c => { var x = c.self; return -c.grad * (-(x * x) + 1).rsqrt(); })),
        Atan = new("AtanBackward0", (Saves.Self, static c => { var x = c.self; return c.grad / (x * x + 1); })),
        Sinh = new("SinhBackward0", (Saves.Self, static c => c.grad * c.self.cosh())),
        Cosh = new("CoshBackward0", (Saves.Self, static c => c.grad * c.self.sinh())),
        Tanh = new("TanhBackward0", (Saves.Result, static c => { var y = c.result; return c.grad * (-(y * y) + 1); })),
        Sigmoid = new("SigmoidBackward0", (Saves.Result, static c => { var y = c.result; return c.grad * (-y + 1) * y; })),
        Erf = new("ErfBackward0", (Saves.Self, static c => { var x = c.self; return c.grad * (-(x * x)).exp() * TwoOverSqrtPi; })),
        Erfc = new("ErfcBackward0", (Saves.Self, static c => { var x = c.self; return c.grad * (-(x * x)).exp() * -TwoOverSqrtPi; })),
        Abs = new("AbsBackward0", (Saves.Self, static c => c.grad * c.self.sign())),
        Sign = new("SignBackward0", (Saves.None, ZeroLikeGrad)),
        Floor = new("FloorBackward0", (Saves.None, ZeroLikeGrad)),
        Ceil = new("CeilBackward0", (Saves.None, ZeroLikeGrad)),
        Trunc = new("TruncBackward0", (Saves.None, ZeroLikeGrad)),
        Round = new("RoundBackward0", (Saves.None, ZeroLikeGrad)),
        RoundDecimals = new("RoundBackward1", (Saves.None, static c => c.zeros(0))),
        Frac = new("FracBackward0", (Saves.None, static c => c.grad)),
        // threshold_backward(grad, result, 0); the scratch scalar may stand in for the wrapped 0, so the result is kept.
        Relu = new("ReluBackward0", (Saves.Result, static c =>
        {
            var y = c.result;
            return Tensor.ReluBackwardRaw(c.grad, y) ?? torch.where(y.gt(0), c.grad, torch.zeros_like(c.grad));
        })),
        // Ties split the gradient evenly, as PyTorch's maximum/minimum backward does.
        Maximum = new("MaximumBackward0",
            (Saves.Self | Saves.Other, static c => c.grad * (c.self.gt(c.other).to(c.grad.dtype) + c.self.eq(c.other).to(c.grad.dtype) * 0.5)),
            (Saves.Self | Saves.Other, static c => c.grad * (-c.self.gt(c.other).to(c.grad.dtype) - c.self.eq(c.other).to(c.grad.dtype) * 0.5 + 1))),
        Minimum = new("MinimumBackward0",
            (Saves.Self | Saves.Other, static c => c.grad * (c.self.lt(c.other).to(c.grad.dtype) + c.self.eq(c.other).to(c.grad.dtype) * 0.5)),
            (Saves.Self | Saves.Other, static c => c.grad * (-c.self.lt(c.other).to(c.grad.dtype) - c.self.eq(c.other).to(c.grad.dtype) * 0.5 + 1))),
        // clamp(self, min, max) with numbers (state: the (min, max) pair): the gradient passes where min <= x <= max.
        Clamp = new("ClampBackward1", (Saves.Self, ClampGrad)),
        ClampMin = new("ClampMinBackward0", (Saves.Self, ClampGrad)),
        ClampMax = new("ClampMaxBackward0", (Saves.Self, ClampGrad)),
        // where(condition, self, other): the condition is extra 0.
        Where = new("WhereBackward0",
            (Saves.Extra0, static c => torch.where(c.extra(0), c.grad, torch.zeros_like(c.grad))),
            (Saves.Extra0, static c => torch.where(c.extra(0), torch.zeros_like(c.grad), c.grad))),
        Atan2 = new("Atan2Backward0",
            (Saves.Self | Saves.Other, static c => { var y = c.self; var x = c.other; return c.grad * x / (x * x + y * y); }),
            (Saves.Self | Saves.Other, static c => { var y = c.self; var x = c.other; return c.grad * -y / (x * x + y * y); }));

    private static Tensor ZeroLikeGrad(BackwardContext c) => torch.zeros_like(c.grad);

    private static Tensor ClampGrad(BackwardContext c)
    {
        var x = c.self;
        var (min, max) = c.state<(Scalar?, Scalar?)>();
        var mask = torch.ones_like(x, dtype: torch.@bool);
        if (min is { } lo) mask = mask.logical_and(x.ge(lo));
        if (max is { } hi) mask = mask.logical_and(x.le(hi));
        return torch.where(mask, c.grad, torch.zeros_like(c.grad));
    }
}
