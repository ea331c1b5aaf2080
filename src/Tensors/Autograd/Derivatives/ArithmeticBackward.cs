namespace Notebooks.Tensors.Autograd;

// Derivative formulas of arithmetic (PyTorch's derivatives.yaml entries for add, sub, mul, div, pow, neg …),
// written with differentiable ops so create_graph gives higher derivatives.

internal sealed class AddBackward0 : Node
{
    private readonly InputMeta _a, _b;
    private readonly Scalar _alpha;
    public AddBackward0(Tensor a, Tensor b, Scalar alpha) : base([a, b]) { _a = InputMeta.Of(a); _b = InputMeta.Of(b); _alpha = alpha; }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        return [NeedsGrad(0) ? _a.Fit(gr) : null, NeedsGrad(1) ? _b.Fit(_alpha.ToDouble() == 1 ? gr : gr * _alpha) : null];
    }
}

internal sealed class SubBackward0 : Node
{
    private readonly InputMeta _a, _b;
    private readonly Scalar _alpha;
    public SubBackward0(Tensor a, Tensor b, Scalar alpha) : base([a, b]) { _a = InputMeta.Of(a); _b = InputMeta.Of(b); _alpha = alpha; }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        return [NeedsGrad(0) ? _a.Fit(gr) : null, NeedsGrad(1) ? _b.Fit(_alpha.ToDouble() == 1 ? -gr : gr * -_alpha.ToDouble()) : null];
    }
}

internal sealed class RsubBackward1 : Node
{
    private readonly InputMeta _a;
    public RsubBackward1(Tensor a) : base([a]) { _a = InputMeta.Of(a); }
    internal override Tensor?[] Apply(Tensor?[] g) => [_a.Fit(-g[0]!)];
}

internal sealed class MulBackward0 : Node
{
    private readonly InputMeta _a, _b;
    private SavedTensor _sa, _sb;
    public MulBackward0(Tensor a, Tensor b) : base([a, b])
    {
        _a = InputMeta.Of(a); _b = InputMeta.Of(b);
        if (NeedsGrad(1)) _sa = new SavedTensor(a, this);
        if (NeedsGrad(0)) _sb = new SavedTensor(b, this);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        return [NeedsGrad(0) ? _a.Fit(gr * _sb.Unpack()) : null, NeedsGrad(1) ? _b.Fit(gr * _sa.Unpack()) : null];
    }
    protected override void ReleaseSaved() { _sa.Release(); _sb.Release(); }
}

internal sealed class DivBackward0 : Node
{
    private readonly InputMeta _a, _b;
    private SavedTensor _sa, _sb;
    public DivBackward0(Tensor a, Tensor b) : base([a, b])
    {
        _a = InputMeta.Of(a); _b = InputMeta.Of(b);
        if (NeedsGrad(1)) _sa = new SavedTensor(a, this);
        _sb = new SavedTensor(b, this);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        var b = _sb.Unpack();
        return [NeedsGrad(0) ? _a.Fit(gr / b) : null, NeedsGrad(1) ? _b.Fit(-gr * _sa.Unpack() / (b * b)) : null];
    }
    protected override void ReleaseSaved() { _sa.Release(); _sb.Release(); }
}

internal sealed class NegBackward0 : Node
{
    public NegBackward0(Tensor a) : base([a]) { }
    internal override Tensor?[] Apply(Tensor?[] g) => [-g[0]!];
}

/// <summary>pow(self, exponent) with a number exponent.</summary>
internal sealed class PowBackward0 : Node
{
    private SavedTensor _self;
    private readonly Scalar _exp;
    public PowBackward0(Tensor self, Scalar exponent) : base([self]) { _self = new SavedTensor(self, this); _exp = exponent; }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var e = _exp.ToDouble();
        if (e == 0) return [torch.zeros_like(g[0]!)];
        var x = _self.Unpack();
        if (e == 2 && Tensor.SquareBackwardRaw(g[0]!, x) is { } fast) return [fast];
        var d = e == 2 ? x * 2.0 : x.pow(e - 1) * e;
        return [(g[0]! * d).to(x.dtype)];
    }
    protected override void ReleaseSaved() => _self.Release();
}

/// <summary>pow(self, exponent) with a tensor exponent.</summary>
internal sealed class PowBackward1 : Node
{
    private readonly InputMeta _a, _b;
    private SavedTensor _self, _exponent, _result;
    public PowBackward1(Tensor self, Tensor exponent, Tensor result) : base([self, exponent])
    {
        _a = InputMeta.Of(self); _b = InputMeta.Of(exponent);
        _self = new SavedTensor(self, this); _exponent = new SavedTensor(exponent, this); _result = new SavedTensor(result, this, isOutput: true);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        var x = _self.Unpack(); var e = _exponent.Unpack();
        Tensor? ga = null, gb = null;
        if (NeedsGrad(0))
        {
            // d/dx x^e = e·x^(e-1), defined as 0 where e == 0 (PyTorch's pow_backward_self).
            var d = torch.where(e.eq(0.0), torch.zeros_like(x), e * x.pow(e - 1.0));
            ga = _a.Fit(gr * d);
        }
        if (NeedsGrad(1))
        {
            // d/de x^e = x^e·log(x), 0 where x == 0 and e >= 0 (pow_backward_exponent).
            var r = _result.Unpack();
            var d = torch.where(x.eq(0.0).logical_and(e.ge(0.0)), torch.zeros_like(r), r * x.log());
            gb = _b.Fit(gr * d);
        }
        return [ga, gb];
    }
    protected override void ReleaseSaved() { _self.Release(); _exponent.Release(); _result.Release(); }
}
