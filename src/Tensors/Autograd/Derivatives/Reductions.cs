namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for reductions and scans: the output gradient expanded back over the reduced dims.
// `ints` holds the reduced dims (empty: all), `keepdim` the flag, `scalar` mean's 1/n.
internal static partial class Derivatives
{
    public static readonly Derivative
        Sum = new("SumBackward0", (Saves.None, static c => Reductions.ExpandBack(c.grad, c.shape(0), [], false))),
        SumDims = new("SumBackward1", (Saves.None, static c => Reductions.ExpandBack(c.grad, c.shape(0), c.ints, c.keepdim))),
        Mean = new("MeanBackward0", (Saves.None, MeanBack)),
        MeanDims = new("MeanBackward1", (Saves.None, MeanBack)),
        Prod = new("ProdBackward0", (Saves.Self | Saves.Result, ProdBack)),
        ProdDim = new("ProdBackward1", (Saves.Self | Saves.Result, ProdBack)),
        // max()/min() of all elements: the gradient split evenly among the maximal elements (evenly_distribute_backward).
        MaxAll = new("MaxBackward1", (Saves.Self | Saves.Result, SplitAmongAll)),
        MinAll = new("MinBackward1", (Saves.Self | Saves.Result, SplitAmongAll)),
        // max(dim)/min(dim): the gradient goes to the saved indices (extra 0; ints = [dim]).
        MaxDim = new("MaxBackward0", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        MinDim = new("MinBackward0", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        Amax = new("AmaxBackward0", (Saves.Self | Saves.Result, SplitAmongSelected)),
        Amin = new("AminBackward0", (Saves.Self | Saves.Result, SplitAmongSelected)),
        // ints = [dim]
        Cumsum = new("CumsumBackward0", (Saves.None, static c => c.grad.flip(c.ints[0]).cumsum((int)c.ints[0]).flip(c.ints[0]))),
        Cumprod = new("CumprodBackward0", (Saves.Self | Saves.Result, static c => CumprodBackward(c.grad, c.self, c.result, (int)c.ints[0]))),
        Softmax = new("SoftmaxBackward0", (Saves.Result, static c =>
        {
            var y = c.result; int d = (int)c.ints[0];
            return y * (c.grad - (c.grad * y).sum([d], keepdim: true));
        })),
        LogSoftmax = new("LogSoftmaxBackward0", (Saves.Result, static c =>
            c.grad - c.result.exp() * c.grad.sum([(int)c.ints[0]], keepdim: true))),
        // var/std and their _mean forms (state: VarianceArgs); std_backward feeds var_backward grad / (2·result).
        Var = new("VarBackward0", (Saves.Self, static c => VarStdBack(c, std: false))),
        Std = new("StdBackward0", (Saves.Self | Saves.Result, static c => VarStdBack(c, std: true))),
        VarMean = Derivative.MultiOutput("VarMeanBackward0", 2, (Saves.Self, static c => VarStdBack(c, std: false))),
        StdMean = Derivative.MultiOutput("StdMeanBackward0", 2, (Saves.Self | Saves.Result, static c => VarStdBack(c, std: true)));

    private static Tensor MeanBack(BackwardContext c)
    {
        var dims = c.ints ?? [];
        double scale = c.scalar.Double;
        // Without create_graph: g·scale written straight from a broadcast read of g (same kernel, no view ops).
        if (scale != 1 && !GradMode.Enabled && Tensor.ExpandScaleRaw(c.grad, c.shape(0), dims, c.keepdim, scale) is { } fast) return fast;
        var e = Reductions.ExpandBack(c.grad, c.shape(0), dims, c.keepdim);
        return scale != 1 ? e * scale : e;
    }

    private static Tensor ProdBack(BackwardContext c)
    {
        var x = c.self; var y = c.result; long[] dims = c.ints ?? []; bool keepdim = c.keepdim;
        var gy = Reductions.ExpandBack(c.grad * y, x._shape, dims, keepdim);
        // Where x has no zeros, d prod / d x_i = prod / x_i; with zeros, use the product of the others.
        if (!x.eq(0.0).any().item<bool>()) return gy / x;
        var d = dims.Length == 0 ? -1 : (int)dims[0];
        var flat = dims.Length == 0 ? x.reshape(-1) : x;
        int dim = dims.Length == 0 ? 0 : Shapes.WrapDim(d, x._shape.Length);
        var n = flat._shape[dim];
        var ones = torch.ones_like(flat.select(dim, 0)).unsqueeze(dim);
        var exclL = torch.cat([ones, flat.slice(dim, 0, n - 1)], dim).cumprod(dim);
        var exclR = torch.cat([flat.slice(dim, 1, n), ones], dim).flip(dim).cumprod(dim).flip(dim);
        var others = (exclL * exclR).reshape(x._shape);
        return Reductions.ExpandBack(c.grad, x._shape, dims, keepdim) * others;
    }

    private static Tensor ToSelectedIndices(BackwardContext c)
    {
        var x = c.self; var gr = c.grad; var idx = c.extra(0); int dim = (int)c.ints[0];
        if (!c.keepdim) { idx = idx.unsqueeze(dim); gr = gr.unsqueeze(dim); }
        return torch.zeros_like(x).scatter(dim, idx, gr);
    }

    private static Tensor SplitAmongAll(BackwardContext c)
    {
        var x = c.self;
        var mask = x.eq(Reductions.ExpandBack(c.result, x._shape, [], true)).to(c.grad.dtype);
        return Reductions.ExpandBack(c.grad, x._shape, [], true) * mask / mask.sum();
    }

    /// <summary>The gradient split evenly among the elements equal to the (saved) reduced value.</summary>
    private static Tensor SplitAmongSelected(BackwardContext c)
    {
        var x = c.self; var y = c.result; var g = c.grad; long[] dims = c.ints ?? []; bool keepdim = c.keepdim;
        var ve = Reductions.ExpandBack(y, x._shape, dims, keepdim);
        var m = x.eq(ve).to(g.dtype);
        var cnt = Reductions.ExpandBack(dims.Length == 0 ? m.sum() : m.sum(dims, keepdim: true), x._shape, dims, true);
        return Reductions.ExpandBack(g, x._shape, dims, keepdim) * m / cnt;
    }

    /// <summary>d cumprod: sum_{j>=i} g_j·y_j / x_i without zeros; with zeros, the product that leaves x_i out.</summary>
    private static Tensor CumprodBackward(Tensor g, Tensor x, Tensor y, int d)
    {
        if (!x.eq(0.0).any().item<bool>()) return (g * y).flip(d).cumsum(d).flip(d) / x;
        long n = x._shape[d];
        var parts = new Tensor[n];
        var one = torch.ones_like(x.slice(d, 0, 1));
        for (long i = 0; i < n; i++)
        {
            var without = torch.cat([x.slice(d, 0, i), one, x.slice(d, i + 1, n)], d).cumprod(d);
            parts[i] = (g * without).slice(d, i, n).sum([d], keepdim: true);
        }
        return torch.cat(parts, d);
    }

    /// <summary>
    /// var, std, var_mean, std_mean (derivatives.yaml → FunctionsManual.cpp): var_backward is
    /// (2 / (N - correction))·grad·(self - self.mean(dim, keepdim=True)); with all dims reduced and N - correction ≤ 0 it is
    /// grad·where(self == self.mean(), nan, inf). std_backward feeds var_backward grad/(2·result), zero where result is 0.
    /// The _mean variants add mean's gradient for the second output. ints: the dims (null: all); scalar: the correction.
    /// </summary>
    private static Tensor? VarStdBack(BackwardContext c, bool std)
    {
        var x = c.self; long[]? dims = c.ints is { Length: > 0 } d ? d : null; double correction = c.scalar.Double; bool keepdim = c.keepdim;
        Tensor? gx = null;
        if (c.grads[0] is { } gv)
        {
            if (std)
            {
                var r = c.result;
                gv = (gv / (r * 2)).masked_fill(r.eq(0.0), 0);
            }
            gx = VarBackward(gv, x, dims, correction, keepdim);
        }
        if (c.grads.Length > 1 && c.grads[1] is { } gm)
        {
            long n = 1;
            if (dims is null) n = x.numel();
            else foreach (var k in dims) n *= x._shape.Length == 0 ? 1 : x._shape[Shapes.WrapDim(k, x._shape.Length)];
            var aux = Reductions.ExpandBack(gm, x._shape, dims ?? [], keepdim) / n;
            gx = gx is null ? aux : gx + aux;
        }
        return gx;
    }

    private static Tensor VarBackward(Tensor grad, Tensor x, long[]? dims, double correction, bool keepdim)
    {
        if (x._shape.Length == 0 || dims is null)
        {
            double dof = x.numel() - correction;
            if (dof <= 0)
                return grad * torch.where(x.eq(x.mean()), double.NaN, double.PositiveInfinity);
            return grad * (2.0 / dof) * (x - x.mean());
        }
        if (!keepdim && x._shape.Length > 1)
        {
            var shape = (long[])x._shape.Clone();
            foreach (var d in dims) shape[Shapes.WrapDim(d, x._shape.Length)] = 1;
            grad = grad.reshape(shape);
        }
        long rnumel = 1;
        foreach (var d in dims) rnumel *= x._shape[Shapes.WrapDim(d, x._shape.Length)];
        return grad * (2.0 / (rnumel - correction)) * (x - x.mean(dims, keepdim: true));
    }
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
