namespace Notebooks.Tensors.Autograd;

/// <summary>
/// Records an in-place write into a view of a base tensor (PyTorch's CopySlices): the base's gradient flows
/// through unchanged except on the written region, where the in-place op's own backward takes over.
/// </summary>
internal sealed class CopySlices : Node
{
    private readonly Node _fn;
    private readonly Func<Tensor, Tensor> _viewFn;
    private readonly long[] _baseShape;
    private readonly DType _baseType;

    public CopySlices(Edge baseEdge, long[] baseShape, DType baseType, Func<Tensor, Tensor> viewFn, Node fn)
        : base(ReadOnlySpan<Tensor?>.Empty, Combine(baseEdge, fn))
    {
        _fn = fn; _viewFn = viewFn; _baseShape = baseShape; _baseType = baseType;
    }

    private static Edge[] Combine(Edge baseEdge, Node fn)
    {
        var e = new Edge[fn.Next.Length];
        e[0] = baseEdge;
        for (int i = 1; i < e.Length; i++) e[i] = fn.Next[i];
        return e;
    }

    public override string name() => "CopySlices";

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        // Plain tensor ops (recorded under create_graph, so the result is differentiable in the incoming gradient).
        var grad = g[0]!;
        var result = GradMode.Enabled ? grad.clone() : grad.CloneDetached();
        var slice = _viewFn(result);
        var res = _fn.Apply([GradMode.Enabled ? slice.clone() : slice.CloneDetached()]);
        if (res.Length > 0 && res[0] is { } r0) slice.copy_(r0);
        else slice.zero_();
        var outp = new Tensor?[Next.Length];
        outp[0] = result;
        for (int i = 1; i < outp.Length && i < res.Length; i++) outp[i] = res[i];
        return outp;
    }

    protected override void ReleaseSaved() => _fn.Release();
}
