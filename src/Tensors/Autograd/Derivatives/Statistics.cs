namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for nansum and renorm (FunctionsManual.cpp's nansum_backward and renorm_backward).
internal static partial class Derivatives
{
    public static readonly Derivative
        // ints: the summed dims (empty: all), keepdim: the flag.
        Nansum = new("NansumBackward0", (Saves.Self, static c =>
            Reductions.ExpandBack(c.grad, c.self._shape, c.ints, c.keepdim) * c.self.isnan().logical_not())),
        // scalar: p, state: (dim, maxnorm).
        Renorm = new("RenormBackward0", (Saves.Self, static c =>
        {
            var (dim, maxnorm) = c.state<(int, double)>();
            return RenormBackward(c.grad, c.self, c.scalar.Double, dim, maxnorm);
        }));

    /// <summary>
    /// renorm_backward: with y = x·maxnorm/(‖x‖ + 1e-7) where ‖x‖ &gt; maxnorm, the gradient is
    /// factor·grad − factor/(‖x‖ + 1e-7)·norm_backward(Σ x·grad); elsewhere grad passes unchanged.
    /// </summary>
    private static Tensor RenormBackward(Tensor grad, Tensor x, double p, int dim, double maxnorm)
    {
        var reduce = Enumerable.Range(0, x.dim()).Where(i => i != dim).Select(i => (long)i).ToArray();
        var norm = x.norm(p, reduce, keepdim: true);
        var gsum = (x * grad).sum(reduce, keepdim: true);
        var invnorm = (norm + 1e-7).reciprocal();
        var factor = invnorm * maxnorm;
        var nb = NormBackward(gsum, x, p, norm, reduce);
        return torch.where(norm.gt(maxnorm), factor * grad - factor * invnorm * nb, grad);
    }

    /// <summary>FunctionsManual.cpp's norm_backward for a real p and kept dims: d‖x‖_p/dx scaled by the (kept) gradient.</summary>
    private static Tensor NormBackward(Tensor g, Tensor x, double p, Tensor norm, long[] dims)
    {
        if (p == 0) return torch.zeros_like(x);
        if (p == 1) return x.sign() * g;
        if (p == 2) return (x * (g / norm)).masked_fill(norm.eq(0.0), 0);
        if (double.IsInfinity(p))
        {
            var mask = x.abs().eq(norm).to(x.dtype);
            return x.sign() * mask * (g / mask.sum(dims, keepdim: true));
        }
        var scaled = x.sign() * x.abs().pow(p - 1);
        return (scaled * (g / norm.pow(p - 1))).masked_fill(norm.eq(0.0), 0);
    }
}
