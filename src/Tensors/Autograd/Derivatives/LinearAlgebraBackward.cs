namespace Notebooks.Tensors.Autograd;

internal sealed class MmBackward0 : Node
{
    private SavedTensor _a, _b;
    public MmBackward0(Tensor a, Tensor b) : base([a, b])
    {
        if (NeedsGrad(1)) _a = new SavedTensor(a, this);
        if (NeedsGrad(0)) _b = new SavedTensor(b, this);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        return [NeedsGrad(0) ? gr.mm(_b.Unpack().t()) : null, NeedsGrad(1) ? _a.Unpack().t().mm(gr) : null];
    }
    protected override void ReleaseSaved() { _a.Release(); _b.Release(); }
}

internal sealed class BmmBackward0 : Node
{
    private SavedTensor _a, _b;
    public BmmBackward0(Tensor a, Tensor b) : base([a, b])
    {
        if (NeedsGrad(1)) _a = new SavedTensor(a, this);
        if (NeedsGrad(0)) _b = new SavedTensor(b, this);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        return [NeedsGrad(0) ? gr.bmm(_b.Unpack().transpose(1, 2)) : null, NeedsGrad(1) ? _a.Unpack().transpose(1, 2).bmm(gr) : null];
    }
    protected override void ReleaseSaved() { _a.Release(); _b.Release(); }
}

internal sealed class MvBackward0 : Node
{
    private SavedTensor _a, _v;
    public MvBackward0(Tensor a, Tensor v) : base([a, v])
    {
        if (NeedsGrad(1)) _a = new SavedTensor(a, this);
        if (NeedsGrad(0)) _v = new SavedTensor(v, this);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        return [NeedsGrad(0) ? gr.unsqueeze(1) * _v.Unpack().unsqueeze(0) : null, NeedsGrad(1) ? _a.Unpack().t().mv(gr) : null];
    }
    protected override void ReleaseSaved() { _a.Release(); _v.Release(); }
}

internal sealed class DotBackward0 : Node
{
    private SavedTensor _a, _b;
    public DotBackward0(Tensor a, Tensor b) : base([a, b])
    {
        if (NeedsGrad(1)) _a = new SavedTensor(a, this);
        if (NeedsGrad(0)) _b = new SavedTensor(b, this);
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        return [NeedsGrad(0) ? gr * _b.Unpack() : null, NeedsGrad(1) ? gr * _a.Unpack() : null];
    }
    protected override void ReleaseSaved() { _a.Release(); _b.Release(); }
}

/// <summary>cat: each input gets its slice of the gradient along the joined dim.</summary>
internal sealed class CatBackward0 : Node
{
    private readonly long[] _sizes;
    private readonly int _dim;
    private readonly InputMeta[] _meta;
    public CatBackward0(Tensor[] inputs, int dim) : base(inputs)
    {
        _dim = dim;
        _sizes = new long[inputs.Length];
        _meta = new InputMeta[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            _sizes[i] = inputs[i]._shape.Length == 1 && inputs[i]._shape[0] == 0 ? 0 : inputs[i]._shape[dim];
            _meta[i] = InputMeta.Of(inputs[i]);
        }
    }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var r = new Tensor?[_sizes.Length];
        long at = 0;
        for (int i = 0; i < r.Length; i++)
        {
            if (NeedsGrad(i)) r[i] = _meta[i].Fit(g[0]!.slice(_dim, at, at + _sizes[i]));
            at += _sizes[i];
        }
        return r;
    }
}

internal sealed class StackBackward0 : Node
{
    private readonly int _dim;
    private readonly int _n;
    public StackBackward0(Tensor[] inputs, int dim) : base(inputs) { _dim = dim; _n = inputs.Length; }
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var r = new Tensor?[_n];
        for (int i = 0; i < _n; i++) if (NeedsGrad(i)) r[i] = g[0]!.select(_dim, i);
        return r;
    }
}
