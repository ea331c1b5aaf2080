namespace Notebooks.Tensors.Autograd;

/// <summary>Derivatives of the normalisation layers that have their own node (group norm), in differentiable ops.</summary>
internal static class NormalizationBackward
{
    /// <summary>
    /// NativeGroupNormBackward0: with x̂ = (x - mean)·rstd over each group and dx̂ = dy·w,
    /// dx = rstd·(dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)), dw = Σ dy·x̂, db = Σ dy (sums over batch and positions).
    /// </summary>
    public static Tensor RecordGroupNorm(Tensor y, Tensor x, Tensor? w, Tensor? b, Tensor mean, Tensor rstd, long groups) =>
        FunctionBackward.Record(y, "NativeGroupNormBackward0", [x, w, b], [x], (g, s, need) =>
        {
            var input = s[0];
            long n = input.size(0), c = input.size(1), cg = c / groups;
            var g4 = g.reshape(n, groups, cg, -1);
            var xhat = (input.reshape(n, groups, cg, -1) - mean) * rstd;
            Tensor? dx = null, dw = null, db = null;
            if (need[0])
            {
                var dxhat = w is null ? g4 : g4 * w.view(1, groups, cg, 1);
                dx = ((dxhat - dxhat.mean([2L, 3], keepdim: true) - xhat * (dxhat * xhat).mean([2L, 3], keepdim: true)) * rstd).view(input.shape);
            }
            if (w is not null && need[1]) dw = (g4 * xhat).sum([0L, 3]).reshape(c);
            if (b is not null && need[2]) db = g4.sum([0L, 3]).reshape(c);
            return [dx, dw, db];
        });
}
