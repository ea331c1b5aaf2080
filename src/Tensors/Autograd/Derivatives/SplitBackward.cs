namespace Notebooks.Tensors.Autograd;

/// <summary>
/// The one node behind a multi-output split (ATen's UnbindBackward0, UnsafeSplitBackward0): it receives every piece's
/// gradient at once and joins them (stack for unbind, cat for split; zeros for pieces that got none), so a sequence
/// of T pieces costs one join in backward, not T zero-padded full-size gradients summed one by one.
/// </summary>
internal sealed class SplitBackward : Node
{
    private readonly string _name;
    private readonly long[] _inShape;
    private readonly int _dim;
    private readonly long[] _sizes;   // along _dim; empty for unbind (each piece drops the dim)

    private SplitBackward(string name, Tensor input, int dim, long[] sizes, int pieces) : base([input])
    {
        _name = name; _inShape = input._shape; _dim = dim; _sizes = sizes; NumOutputs = pieces;
    }

    public override string name() => _name;

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        bool unbind = _sizes.Length == 0;
        Tensor? any = null;
        foreach (var x in g) if (x is not null) { any = x; break; }
        if (any is null) return [null];
        var parts = new Tensor[NumOutputs];
        for (int k = 0; k < parts.Length; k++)
        {
            if (g[k] is { } gk) { parts[k] = gk; continue; }
            var shape = (long[])_inShape.Clone();
            if (unbind) shape = [.. shape[.._dim], .. shape[(_dim + 1)..]];
            else shape[_dim] = _sizes[k];
            parts[k] = torch.zeros(shape, dtype: any.dtype, device: any.device);
        }
        return [unbind ? torch.stack(parts, _dim) : torch.cat(parts, _dim)];
    }

    /// <summary>input.unbind(dim) as views sharing one UnbindBackward0.</summary>
    public static Tensor[] Unbind(Tensor input, int dim)
    {
        int d = Shapes.WrapDim(dim, input._shape.Length);
        long n = input._shape[d];
        var shape = new long[input._shape.Length - 1];
        var strides = new long[shape.Length];
        for (int i = 0, j = 0; i < input._shape.Length; i++)
            if (i != d) { shape[j] = input._shape[i]; strides[j++] = input._strides[i]; }
        var r = new Tensor[n];
        var node = GradMode.ShouldRecord(input) ? new SplitBackward("UnbindBackward0", input, d, [], (int)n) : null;
        for (int k = 0; k < n; k++)
        {
            long idx = k;
            r[k] = input.MakeView(shape, strides, input._offset + idx * input._strides[d], t => t.select(d, idx));
            if (node is not null) r[k].WithGrad(node, k);
        }
        return r;
    }

    /// <summary>ATen's unsafe_chunk: equal pieces (the last may be shorter) sharing one UnsafeSplitBackward0.</summary>
    public static Tensor[] UnsafeChunk(Tensor input, int chunks, int dim)
    {
        int d = Shapes.WrapDim(dim, input._shape.Length);
        long n = input._shape[d], size = (n + chunks - 1) / chunks;
        var sizes = new List<long>();
        for (long s = 0; s < n; s += size) sizes.Add(Math.Min(size, n - s));
        var r = new Tensor[sizes.Count];
        var node = GradMode.ShouldRecord(input) ? new SplitBackward("UnsafeSplitBackward0", input, d, [.. sizes], r.Length) : null;
        long at = 0;
        for (int k = 0; k < r.Length; k++)
        {
            var piece = input.Narrowed(d, at, at + sizes[k], 1);
            // Not a view for autograd (ATen's unsafe_split): the pieces are fresh tensors over the same memory.
            r[k] = new Tensor(piece._storage, piece._shape, piece._strides, piece._offset) { _isInference = input._isInference };
            if (node is not null) r[k].WithGrad(node, k);
            at += sizes[k];
        }
        return r;
    }
}
