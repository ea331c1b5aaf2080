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

/// <summary>
/// var, std, var_mean, std_mean (derivatives.yaml → FunctionsManual.cpp): var_backward is
/// (2 / (N - correction))·grad·(self - self.mean(dim, keepdim=True)); with all dims reduced and N - correction ≤ 0 it is
/// grad·where(self == self.mean(), nan, inf). std_backward feeds var_backward grad/(2·result), zero where result is 0.
/// The _mean variants add mean's gradient for the second output.
/// </summary>
internal sealed class VarStdBackward : Node
{
    private readonly string _name;
    private SavedTensor _x;
    private SavedTensor? _std;
    private readonly long[]? _dims;   // null: all dims (no dim argument)
    private readonly double _correction;
    private readonly bool _keepdim, _withMean;

    public VarStdBackward(string name, Tensor x, Tensor? std, long[]? dims, double correction, bool keepdim, bool withMean) : base([x])
    {
        _name = name; _x = new SavedTensor(x, this); _dims = dims is { Length: > 0 } ? dims : null;
        if (std is not null) _std = new SavedTensor(std, this, isOutput: true);
        _correction = correction; _keepdim = keepdim; _withMean = withMean;
        NumOutputs = withMean ? 2 : 1;
    }

    public override string name() => _name;

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var x = _x.Unpack();
        Tensor? gx = null;
        if (g[0] is { } gv)
        {
            if (_std is { } saved)
            {
                var r = saved.Unpack();
                gv = (gv / (r * 2)).masked_fill(r.eq(0.0), 0);
            }
            gx = VarBackward(gv, x);
        }
        if (_withMean && g.Length > 1 && g[1] is { } gm)
        {
            long n = 1;
            if (_dims is null) n = x.numel();
            else foreach (var d in _dims) n *= x._shape.Length == 0 ? 1 : x._shape[Shapes.WrapDim(d, x._shape.Length)];
            var aux = Reductions.ExpandBack(gm, x._shape, _dims ?? [], _keepdim) / n;
            gx = gx is null ? aux : gx + aux;
        }
        return [gx];
    }

    private Tensor VarBackward(Tensor grad, Tensor x)
    {
        if (x._shape.Length == 0 || _dims is null)
        {
            double dof = x.numel() - _correction;
            if (dof <= 0)
                return grad * torch.where(x.eq(x.mean()), double.NaN, double.PositiveInfinity);
            return grad * (2.0 / dof) * (x - x.mean());
        }
        if (!_keepdim && x._shape.Length > 1)
        {
            var shape = (long[])x._shape.Clone();
            foreach (var d in _dims) shape[Shapes.WrapDim(d, x._shape.Length)] = 1;
            grad = grad.reshape(shape);
        }
        long rnumel = 1;
        foreach (var d in _dims) rnumel *= x._shape[Shapes.WrapDim(d, x._shape.Length)];
        return grad * (2.0 / (rnumel - _correction)) * (x - x.mean(_dims, keepdim: true));
    }

    protected override void ReleaseSaved() { _x.Release(); _std?.Release(); }
}
