namespace Notebooks.Tensors.Autograd;

/// <summary>What group norm's backward reads besides the input: the statistics, the weight and the group count.</summary>
internal sealed record GroupNormArgs(Tensor Mean, Tensor Rstd, Tensor? Weight, bool HasBias, long Groups);

// derivatives.yaml's row for group norm, in differentiable ops.
internal static partial class Derivatives
{
    public static readonly Derivative
        // state: GroupNormArgs
        NativeGroupNorm = Derivative.AllInputs("NativeGroupNormBackward0", Saves.Self, GroupNormBackward);

    /// <summary>
    /// With x̂ = (x - mean)·rstd over each group and dx̂ = dy·w: dx = rstd·(dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)),
    /// dw = Σ dy·x̂, db = Σ dy (sums over batch and positions).
    /// </summary>
    private static Tensor?[] GroupNormBackward(BackwardContext c)
    {
        var a = c.state<GroupNormArgs>();
        var (g, input, w, groups) = (c.grad, c.self, a.Weight, a.Groups);
        long n = input.size(0), ch = input.size(1), cg = ch / groups;
        var g4 = g.reshape(n, groups, cg, -1);
        var xhat = (input.reshape(n, groups, cg, -1) - a.Mean) * a.Rstd;
        Tensor? dx = null, dw = null, db = null;
        if (c.needs(0))
        {
            var dxhat = w is null ? g4 : g4 * w.view(1, groups, cg, 1);
            dx = ((dxhat - dxhat.mean([2L, 3], keepdim: true) - xhat * (dxhat * xhat).mean([2L, 3], keepdim: true)) * a.Rstd).view(input.shape);
        }
        if (w is not null && c.needs(1)) dw = (g4 * xhat).sum([0L, 3]).reshape(ch);
        if (a.HasBias && c.needs(2)) db = g4.sum([0L, 3]).reshape(ch);
        return [dx, dw, db];
    }
}
