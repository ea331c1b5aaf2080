namespace Notebooks.Tensors.Autograd;

// Gradients of ops that pick one of their inputs per element: maximum/minimum, clamp, where, atan2.

internal sealed class MaxMinBackward : Node
{
    private readonly string _name;
    private readonly InputMeta _a, _b;
    private SavedTensor _sa, _sb;
    private readonly bool _max;
    public MaxMinBackward(string name, Tensor a, Tensor b, bool max) : base([a, b])
    {
        _name = name; _max = max; _a = InputMeta.Of(a); _b = InputMeta.Of(b);
        _sa = new SavedTensor(a, this); _sb = new SavedTensor(b, this);
    }
    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        // Ties split the gradient evenly, as PyTorch's max/min backward does.
        var a = _sa.Unpack(); var b = _sb.Unpack(); var gr = g[0]!;
        var pick = (_max ? a.gt(b) : a.lt(b)).to(gr.dtype);
        var tie = a.eq(b).to(gr.dtype) * 0.5;
        return [NeedsGrad(0) ? _a.Fit(gr * (pick + tie)) : null, NeedsGrad(1) ? _b.Fit(gr * (-pick - tie + 1)) : null];
    }
    protected override void ReleaseSaved() { _sa.Release(); _sb.Release(); }
}

internal sealed class ClampBackward : Node
{
    private SavedTensor _x;
    private readonly Scalar? _min, _max;
    public ClampBackward(Tensor x, Scalar? min, Scalar? max) : base([x]) { _x = new SavedTensor(x, this); _min = min; _max = max; }
    public override string name() => _min is not null && _max is not null ? "ClampBackward1" : _min is not null ? "ClampMinBackward0" : "ClampMaxBackward0";
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var x = _x.Unpack(); var gr = g[0]!;
        var mask = torch.ones_like(x, dtype: torch.@bool);
        if (_min is { } lo) mask = mask.logical_and(x.ge(lo));
        if (_max is { } hi) mask = mask.logical_and(x.le(hi));
        return [torch.where(mask, gr, torch.zeros_like(gr)).to(x.dtype)];
    }
    protected override void ReleaseSaved() => _x.Release();
}

internal sealed class WhereBackward0 : Node
{
    private readonly InputMeta _a, _b;
    private SavedTensor _cond;
    public WhereBackward0(Tensor cond, Tensor a, Tensor b) : base([a, b])
    {
        _a = InputMeta.Of(a); _b = InputMeta.Of(b); _cond = new SavedTensor(cond, this);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var c = _cond.Unpack(); var gr = g[0]!; var z = torch.zeros_like(gr);
        return [NeedsGrad(0) ? _a.Fit(torch.where(c, gr, z)) : null, NeedsGrad(1) ? _b.Fit(torch.where(c, z, gr)) : null];
    }
    protected override void ReleaseSaved() => _cond.Release();
}

internal sealed class Atan2Backward0 : Node
{
    private readonly InputMeta _a, _b;
    private SavedTensor _sa, _sb;
    public Atan2Backward0(Tensor a, Tensor b) : base([a, b])
    {
        _a = InputMeta.Of(a); _b = InputMeta.Of(b); _sa = new SavedTensor(a, this); _sb = new SavedTensor(b, this);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var y = _sa.Unpack(); var x = _sb.Unpack(); var gr = g[0]!;
        var den = x * x + y * y;
        return [NeedsGrad(0) ? _a.Fit(gr * x / den) : null, NeedsGrad(1) ? _b.Fit(gr * -y / den) : null];
    }
    protected override void ReleaseSaved() { _sa.Release(); _sb.Release(); }
}
