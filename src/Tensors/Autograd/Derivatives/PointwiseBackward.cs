namespace Notebooks.Tensors.Autograd;

/// <summary>
/// The derivative table of one-input pointwise ops: name, then d(out)/d(in) as a formula of the incoming gradient,
/// the input and the result (derivatives.yaml's <c>self: grad * ...</c> lines). Formulas are static lambdas, so a
/// recorded node is a single allocation.
/// </summary>
internal sealed class PointwiseBackward : Node
{
    private readonly string _name;
    private readonly Func<Tensor, Tensor, Tensor, Tensor> _formula;
    private SavedTensor _x, _y;
    private readonly DType _inType;

    public PointwiseBackward(string name, Tensor x, Tensor y, Func<Tensor, Tensor, Tensor, Tensor> formula, bool needsX, bool needsY)
        : base([x])
    {
        _name = name; _formula = formula; _inType = x.dtype;
        if (needsX) _x = new SavedTensor(x, this);
        if (needsY) _y = new SavedTensor(y, this, isOutput: true);
    }

    public override string name() => _name;

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var x = _x.IsNull ? null! : _x.Unpack();
        var y = _y.IsNull ? null! : _y.Unpack();
        var r = _formula(g[0]!, x, y);
        return [r.dtype == _inType ? r : r.to(_inType)];
    }

    protected override void ReleaseSaved() { _x.Release(); _y.Release(); }
}

/// <summary>Formulas for <see cref="PointwiseBackward"/>, one per op (g = incoming gradient, x = input, y = result).</summary>
internal static class PointwiseDerivatives
{
    private const double Ln2 = 0.6931471805599453, Ln10 = 2.302585092994046, TwoOverSqrtPi = 1.1283791670955126;

    public static readonly Func<Tensor, Tensor, Tensor, Tensor>
        Exp = static (g, _, y) => g * y,
        Exp2 = static (g, _, y) => g * y * Ln2,
        Expm1 = static (g, _, y) => g * (y + 1),
        Log = static (g, x, _) => g / x,
        Log2 = static (g, x, _) => g / (x * Ln2),
        Log10 = static (g, x, _) => g / (x * Ln10),
        Log1p = static (g, x, _) => g / (x + 1),
        Sqrt = static (g, _, y) => g / (y * 2),
        Rsqrt = static (g, _, y) => g * y.pow(3) * -0.5,
        Reciprocal = static (g, _, y) => -g * y * y,
        Sin = static (g, x, _) => g * x.cos(),
        Cos = static (g, x, _) => g * -x.sin(),
        Tan = static (g, _, y) => g * (y * y + 1),
        Asin = static (g, x, _) => g * (-(x * x) + 1).rsqrt(),
        Acos = static (g, x, _) => -g * (-(x * x) + 1).rsqrt(),
        Atan = static (g, x, _) => g / (x * x + 1),
        Sinh = static (g, x, _) => g * x.cosh(),
        Cosh = static (g, x, _) => g * x.sinh(),
        Tanh = static (g, _, y) => g * (-(y * y) + 1),
        Sigmoid = static (g, _, y) => g * (-y + 1) * y,
        Erf = static (g, x, _) => g * (-(x * x)).exp() * TwoOverSqrtPi,
        Erfc = static (g, x, _) => g * (-(x * x)).exp() * -TwoOverSqrtPi,
        Abs = static (g, x, _) => g * x.sign(),
        Zero = static (g, _, _) => torch.zeros_like(g),
        Identity = static (g, _, _) => g,
        Relu = static (g, _, y) => Tensor.ReluBackwardRaw(g, y) ?? torch.where(y.gt(0), g, torch.zeros_like(g));
}
