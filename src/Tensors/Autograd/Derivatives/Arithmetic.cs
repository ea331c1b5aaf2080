namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for add, sub, rsub, mul, div, neg, pow, remainder, fmod and lerp. `scalar` is the op's
// number argument (alpha, the exponent, lerp's weight).
internal static partial class Derivatives
{
    public static readonly Derivative
        Add = new("AddBackward0",
            (Saves.None, static c => c.grad),
            (Saves.None, static c => c.scalar.ToDouble() == 1 ? c.grad : c.grad * c.scalar)),
        Sub = new("SubBackward0",
            (Saves.None, static c => c.grad),
            (Saves.None, static c => c.scalar.ToDouble() == 1 ? -c.grad : c.grad * -c.scalar.ToDouble())),
        Rsub = new("RsubBackward1", (Saves.None, static c => -c.grad)),
        Mul = new("MulBackward0",
            (Saves.Other, static c => c.grad * c.other),
            (Saves.Self, static c => c.grad * c.self)),
        Div = new("DivBackward0",
            (Saves.Other, static c => c.grad / c.other),
            (Saves.Self | Saves.Other, static c => { var b = c.other; return -c.grad * c.self / (b * b); })),
        // div with rounding_mode: piecewise constant.
        DivRounding = new("DivBackward1", (Saves.None, static c => c.zeros(0)), (Saves.None, static c => c.zeros(1))),
        Neg = new("NegBackward0", (Saves.None, static c => -c.grad)),
        // pow(self, number): grad·exponent·self^(exponent-1), zero for exponent 0 (pow_backward).
        PowScalar = new("PowBackward0", (Saves.Self, static c => PowScalarBackward(c.grad, c.self, c.scalar.ToDouble()))),
        PowTensor = new("PowBackward1",
            // d/dx x^e = e·x^(e-1), defined as 0 where e == 0 (pow_backward_self).
            (Saves.Self | Saves.Other, static c =>
            {
                var x = c.self; var e = c.other;
                return c.grad * torch.where(e.eq(0.0), torch.zeros_like(x), e * x.pow(e - 1.0));
            }),
            // d/de x^e = x^e·log(x), 0 where x == 0 and e >= 0 (pow_backward_exponent).
            (Saves.Self | Saves.Other | Saves.Result, static c =>
            {
                var x = c.self; var e = c.other; var r = c.result;
                return c.grad * torch.where(x.eq(0.0).logical_and(e.ge(0.0)), torch.zeros_like(r), r * x.log());
            })),
        // remainder/fmod: d/dself = 1, d/dother = -floor(self/other) (trunc for fmod).
        Remainder = new("RemainderBackward0",
            (Saves.None, static c => c.grad),
            (Saves.Self | Saves.Other, static c => -c.grad * c.self.div(c.other, "floor"))),
        Fmod = new("FmodBackward0",
            (Saves.None, static c => c.grad),
            (Saves.Self | Saves.Other, static c => -c.grad * c.self.div(c.other, "trunc"))),
        // lerp(self, end, weight number): grad·(1 − w) and grad·w, w held in the tensors' precision (state: 1 − w).
        LerpScalar = new("LerpBackward0",
            (Saves.None, static c => c.grad * c.state<double>()),
            (Saves.None, static c => c.grad * c.scalar.Double)),
        LerpTensor = new("LerpBackward1",
            (Saves.Input2, static c => c.grad * (1 - c.input(2))),
            (Saves.Input2, static c => c.grad * c.input(2)),
            (Saves.Self | Saves.Other, static c => c.grad * (c.other - c.self)));

    private static Tensor PowScalarBackward(Tensor g, Tensor x, double e)
    {
        if (e == 0) return torch.zeros_like(g);
        if (e == 2 && Tensor.SquareBackwardRaw(g, x) is { } fast) return fast;
        return g * (e == 2 ? x * 2.0 : x.pow(e - 1) * e);
    }
}
