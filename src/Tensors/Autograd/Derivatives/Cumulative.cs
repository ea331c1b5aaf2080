namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for cummax/cummin and logcumsumexp (FunctionsManual.cpp's cummaxmin_backward and
// logcumsumexp_backward). ints = [dim]; extra 0 holds cummax/cummin's indices.
internal static partial class Derivatives
{
    public static readonly Derivative
        Cummax = new("CummaxBackward0", (Saves.Self | Saves.Extra0, CumMaxMinBackward)),
        Cummin = new("CumminBackward0", (Saves.Self | Saves.Extra0, CumMaxMinBackward)),
        Logcumsumexp = new("LogcumsumexpBackward0", (Saves.Self | Saves.Result, static c => LogcumsumexpBackward(c.grad, c.self, c.result, (int)c.ints[0])));

    /// <summary>cummaxmin_backward: each output's gradient added at the position it came from.</summary>
    private static Tensor CumMaxMinBackward(BackwardContext c)
    {
        var x = c.self;
        if (x.numel() == 0) return x;
        if (x.dim() == 0) return c.grad;
        return torch.zeros_like(x).scatter_add((int)c.ints[0], c.extra(0), c.grad);
    }

    /// <summary>
    /// logcumsumexp_backward (after TensorFlow's cumulative_logsumexp gradient): the positive and negative parts of
    /// grad in log space, each through a reversed logcumsumexp, so nothing overflows.
    /// </summary>
    private static Tensor LogcumsumexpBackward(Tensor grad, Tensor self, Tensor result, int dim)
    {
        if (grad.dim() == 0 || grad.numel() == 0) return grad;
        // numeric_limits<scalar_t>::lowest(): log(0) stand-in that stays finite in the gradient's dtype.
        double lowest = grad.dtype == DType.Float64 ? double.MinValue : grad.dtype == DType.Float16 ? -65504.0 : float.MinValue;
        Tensor Reverse(Tensor t) => t.flip(dim).logcumsumexp(dim).flip(dim);
        var logAbs = grad.abs().log();
        var pos = torch.where(grad.gt(0), logAbs, lowest);
        var neg = torch.where(grad.lt(0), logAbs, lowest);
        return (Reverse(pos - result) + self).exp() - (Reverse(neg - result) + self).exp();
    }
}
