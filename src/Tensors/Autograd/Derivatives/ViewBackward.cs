namespace Notebooks.Tensors.Autograd;

/// <summary>
/// Backward of shape and view ops: the gradient is reshaped, transposed, summed or scattered back to the input's
/// layout by a formula of (incoming gradient, input shape). The formula is a static lambda plus small integer
/// arguments kept in the node, so recording costs one allocation.
/// </summary>
internal sealed class ShapeBackward : Node
{
    private readonly string _name;
    private readonly long[] _inShape;
    private readonly long[] _args;
    private readonly Func<Tensor, long[], long[], Tensor> _formula;

    public ShapeBackward(string name, Tensor input, Func<Tensor, long[], long[], Tensor> formula, params long[] args) : base([input])
    {
        _name = name; _inShape = input._shape; _formula = formula; _args = args;
    }

    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g) => [_formula(g[0]!, _inShape, _args)];
}

internal static class ShapeDerivatives
{
    public static readonly Func<Tensor, long[], long[], Tensor>
        Reshape = static (g, shape, _) => g.reshape(shape),
        Transpose = static (g, _, a) => g.transpose((int)a[0], (int)a[1]),
        Permute = static (g, _, perm) =>
        {
            var inv = new long[perm.Length];
            for (int i = 0; i < perm.Length; i++) inv[perm[i]] = i;
            return g.permute(inv);
        },
        Expand = static (g, shape, _) => GradUtil.Fit(g, shape, g.dtype),
        // a = [dim, start, end, step]: scatter the gradient into zeros of the input's shape.
        Slice = static (g, shape, a) => ScatterBack(g, shape, a, g),
        // a = [dim, index]: the gradient of the picked row, as a one-row slice.
        Select = static (g, shape, a) => ScatterBack(g.unsqueeze((int)a[0]), shape, [a[0], a[1], a[1] + 1, 1], g),
        Flip = static (g, _, dims) => g.flip(dims),
        Roll = static (g, _, a) =>
        {
            int n = a.Length / 2;
            var shifts = new long[n]; var dims = new long[n];
            for (int i = 0; i < n; i++) { shifts[i] = -a[i]; dims[i] = a[n + i]; }
            return g.roll(shifts, dims);
        };

    /// <summary>zeros(shape) with the slice a = [dim, start, end, step] set to g; differentiable in g (slice_backward).</summary>
    private static Tensor ScatterBack(Tensor g, long[] shape, long[] a, Tensor original)
    {
        Tensor z;
        using (new NoGradScope())
        {
            z = torch.zeros(shape, dtype: g.dtype, device: g.device);
            z.Narrowed((int)a[0], a[1], a[2], a[3]).CopyFromRaw(g);
        }
        if (GradMode.Enabled && original._requiresGrad)
        {
            var isSelect = original._shape.Length != g._shape.Length;
            z.WithGrad(new ShapeBackward(isSelect ? "SelectBackwardBackward0" : "SliceBackwardBackward0", original,
                isSelect ? static (gg, _, b) => gg.select((int)b[0], b[1]) : static (gg, _, b) => gg.slice((int)b[0], b[1], b[2], b[3]),
                isSelect ? [a[0], a[1]] : a));
        }
        return z;
    }
}

/// <summary>A node whose formula needs the input and the result (softmax, cumprod, amax …); formula may capture dims.</summary>
internal sealed class ShapeBackwardWithSaved : Node
{
    private readonly string _name;
    private readonly Func<Tensor, Tensor, Tensor, Tensor> _formula;
    private SavedTensor _x, _y;

    public ShapeBackwardWithSaved(string name, Tensor x, Tensor y, Func<Tensor, Tensor, Tensor, Tensor> formula) : base([x])
    {
        _name = name; _formula = formula; _x = new SavedTensor(x, this); _y = new SavedTensor(y, this, isOutput: true);
    }

    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g) => [_formula(g[0]!, _x.Unpack(), _y.Unpack())];
    protected override void ReleaseSaved() { _x.Release(); _y.Release(); }
}
