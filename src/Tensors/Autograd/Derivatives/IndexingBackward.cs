namespace Notebooks.Tensors.Autograd;

// Gradients of the indexing family (index, index_put, gather, scatter, index_select, take, masked_select,
// masked_scatter). Each formula is itself made of differentiable indexing ops, so create_graph works: the
// gradient of index is an accumulating index_put into zeros, and the gradient of that is index again.

/// <summary>One differentiable input; the formula captures the (detached) index tensors and shapes it needs.</summary>
internal sealed class IndexingBackward : Node
{
    private readonly string _name;
    private readonly Func<Tensor, Tensor> _formula;

    public IndexingBackward(string name, Tensor input, Func<Tensor, Tensor> formula) : base([input])
    {
        _name = name; _formula = formula;
    }

    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g) => [_formula(g[0]!)];
}

/// <summary>Two differentiable inputs (self and the values/source written into it).</summary>
internal sealed class IndexingBackward2 : Node
{
    private readonly string _name;
    private readonly Func<Tensor, Tensor> _self, _other;

    public IndexingBackward2(string name, Tensor self, Tensor other, Func<Tensor, Tensor> selfFormula, Func<Tensor, Tensor> otherFormula)
        : base([self, other])
    {
        _name = name; _self = selfFormula; _other = otherFormula;
    }

    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g) =>
        [NeedsGrad(0) ? _self(g[0]!) : null, NeedsGrad(1) ? _other(g[0]!) : null];
}
