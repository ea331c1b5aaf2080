namespace Notebooks.Tensors.Autograd;

// Gradients of reductions: expand the output gradient back over the reduced dims.

internal sealed class SumBackward : Node
{
    private readonly string _name;
    private readonly long[] _inShape;
    private readonly long[] _dims;   // empty: all dims
    private readonly bool _keepdim;
    private readonly double _scale;  // 1 for sum, 1/n for mean

    public SumBackward(string name, Tensor x, long[] dims, bool keepdim, double scale) : base([x])
    {
        _name = name; _inShape = x._shape; _dims = dims; _keepdim = keepdim; _scale = scale;
    }

    public override string name() => _name;

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        // mean without create_graph: g·scale written straight from a broadcast read of g (same kernel, no view ops).
        if (_scale != 1 && !GradMode.Enabled && Tensor.ExpandScaleRaw(gr, _inShape, _dims, _keepdim, _scale) is { } fast) return [fast];
        var e = Reductions.ExpandBack(gr, _inShape, _dims, _keepdim);
        return [_scale != 1 ? e * _scale : e];
    }
}

internal sealed class ProdBackward : Node
{
    private readonly string _name;
    private SavedTensor _x, _y;
    private readonly long[] _dims;
    private readonly bool _keepdim;

    public ProdBackward(string name, Tensor x, Tensor y, long[] dims, bool keepdim) : base([x])
    {
        _name = name; _x = new SavedTensor(x, this); _y = new SavedTensor(y, this, isOutput: true); _dims = dims; _keepdim = keepdim;
    }

    public override string name() => _name;

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var x = _x.Unpack(); var y = _y.Unpack();
        var gy = Reductions.ExpandBack(g[0]! * y, x._shape, _dims, _keepdim);
        // Where x has no zeros, d prod / d x_i = prod / x_i; with zeros, use the product of the others.
        if (!x.eq(0.0).any().item<bool>()) return [gy / x];
        var d = _dims.Length == 0 ? -1 : (int)_dims[0];
        var flat = _dims.Length == 0 ? x.reshape(-1) : x;
        int dim = _dims.Length == 0 ? 0 : Shapes.WrapDim(d, x._shape.Length);
        var n = flat._shape[dim];
        var ones = torch.ones_like(flat.select(dim, 0)).unsqueeze(dim);
        var exclL = torch.cat([ones, flat.slice(dim, 0, n - 1)], dim).cumprod(dim);
        var exclR = torch.cat([flat.slice(dim, 1, n), ones], dim).flip(dim).cumprod(dim).flip(dim);
        var others = (exclL * exclR).reshape(x._shape);
        return [Reductions.ExpandBack(g[0]!, x._shape, _dims, _keepdim) * others];
    }

    protected override void ReleaseSaved() { _x.Release(); _y.Release(); }
}

/// <summary>max/min/amax/amin: the gradient goes to the selected positions (split evenly among ties for amax/amin).</summary>
internal sealed class SelectedBackward : Node
{
    private readonly string _name;
    private SavedTensor _x, _indicesOrValues;
    private readonly int _dim;
    private readonly bool _keepdim, _byIndex, _all;

    public SelectedBackward(string name, Tensor x, Tensor indicesOrValues, int dim, bool keepdim, bool byIndex, bool all) : base([x])
    {
        _name = name; _x = new SavedTensor(x, this); _indicesOrValues = new SavedTensor(indicesOrValues, this, isOutput: true);
        _dim = dim; _keepdim = keepdim; _byIndex = byIndex; _all = all;
    }

    public override string name() => _name;

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var x = _x.Unpack(); var gr = g[0]!;
        if (_byIndex)
        {
            var idx = _indicesOrValues.Unpack();
            if (!_keepdim) { idx = idx.unsqueeze(_dim); gr = gr.unsqueeze(_dim); }
            return [torch.zeros_like(x).scatter(_dim, idx, gr)];
        }
        var v = _indicesOrValues.Unpack();
        long[] dims = _all ? [] : [_dim];
        var ve = Reductions.ExpandBack(v, x._shape, dims, _keepdim || _all);
        var mask = x.eq(ve).to(gr.dtype);
        var count = _all ? mask.sum() : mask.sum([_dim], keepdim: true);
        var ge = Reductions.ExpandBack(gr, x._shape, dims, _keepdim || _all);
        return [ge * mask / (_all ? count : count)];
    }

    protected override void ReleaseSaved() { _x.Release(); _indicesOrValues.Release(); }
}

internal static class Reductions
{
    /// <summary>Reshapes a reduced gradient to keepdim form and expands it to the input's shape.</summary>
    public static Tensor ExpandBack(Tensor g, long[] inShape, long[] dims, bool keepdim)
    {
        if (!keepdim && inShape.Length > 0)
        {
            var shape = (long[])inShape.Clone();
            if (dims.Length == 0) Array.Fill(shape, 1L);
            else foreach (var d in dims) shape[Shapes.WrapDim(d, inShape.Length)] = 1;
            g = g.reshape(shape);
        }
        return g.expand(inShape);
    }
}
