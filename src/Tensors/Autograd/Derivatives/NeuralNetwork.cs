namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for the torch.nn ops PyTorch implements as one kernel with its own derivative: activations,
// losses, normalisation. The op's numbers (slopes, thresholds, the loss's norm) travel in `scalar` or `state`.
internal static partial class Derivatives
{
    private const double Sqrt1_2 = 0.70710678118654752440, GeluKBeta = 0.7978845608028654, GeluKKappa = 0.044715;

    public static readonly Derivative
        // scalar: negative_slope
        LeakyRelu = new("LeakyReluBackward0", (Saves.Self, static c => torch.where(c.self > 0, c.grad, c.grad * c.scalar.Double))),
        // scalar: 1 for the tanh approximation, 0 for the exact erf form.
        Gelu = new("GeluBackward0", (Saves.Self, static c =>
        {
            var x = c.self; var g = c.grad;
            if (c.scalar.Long == 0)
            {
                var cdf = ((x * Sqrt1_2).erf() + 1) * 0.5;
                var pdf = (x * x * -0.5).exp() * (TwoOverSqrtPi * Sqrt1_2 * 0.5);
                return g * (cdf + x * pdf);
            }
            var xSq = x * x;
            var inner = (x + xSq * x * GeluKKappa) * GeluKBeta;
            var t = inner.tanh();
            var left = x * 0.5;
            var right = t + 1;
            var dLeft = right * 0.5;
            var dRight = left * (-(t * t) + 1) * GeluKBeta * (xSq * (3 * GeluKKappa) + 1);
            return g * (dLeft + dRight);
        })),
        // scalar: alpha
        Elu = new("EluBackward0", (Saves.Self, static c => torch.where(c.self > 0, c.grad, c.grad * c.scalar.Double * c.self.exp()))),
        Silu = new("SiluBackward0", (Saves.Self, static c =>
        {
            var sig = c.self.sigmoid();
            return c.grad * sig * (c.self * (-sig + 1) + 1);
        })),
        // state: (beta, threshold)
        Softplus = new("SoftplusBackward0", (Saves.Self, static c =>
        {
            var (beta, threshold) = c.state<(double, double)>();
            var xb = c.self * beta;
            var z = xb.exp();
            return torch.where(xb > threshold, c.grad, c.grad * z / (z + 1));
        })),
        // state: (min_val, max_val)
        Hardtanh = new("HardtanhBackward0", (Saves.Self, static c =>
        {
            var (min, max) = c.state<(double, double)>();
            return torch.where((c.self <= min).logical_or(c.self >= max), torch.zeros_like(c.grad), c.grad);
        })),
        // mse_loss_backward: norm·(input − target)·grad (scalar: norm = 2/numel for a mean, else 2); the target's is negated.
        MseLoss = Derivative.AllInputs("MseLossBackward0", Saves.Self | Saves.Other, static c =>
        {
            var gi = (c.self - c.other) * c.scalar.Double * c.grad;
            return [c.needs(0) ? gi : null, c.needs(1) ? -gi : null];
        }),
        // One kernel gives both gradients (the target's is the input's negated): a target that needs none skips only
        // the negation. state: (norm, beta).
        SmoothL1Loss = Derivative.AllInputs("SmoothL1LossBackward0", Saves.Self | Saves.Other, static c =>
        {
            var (norm, beta) = c.state<(double, double)>();
            var gi = torch.nn.functional.PointwiseLossBackward(c.self, c.other, c.grad, norm, beta, huber: false);
            return [c.needs(0) ? gi : null, c.needs(1) ? -gi : null];
        }),
        HuberLoss = Derivative.AllInputs("HuberLossBackward0", Saves.Self | Saves.Other, static c =>
        {
            var (norm, delta) = c.state<(double, double)>();
            var gi = torch.nn.functional.PointwiseLossBackward(c.self, c.other, c.grad, norm, delta, huber: true);
            return [c.needs(0) ? gi : null, c.needs(1) ? -gi : null];
        }),
        // inputs: input, target, optional weight (not differentiable here); scalar: the mean's norm (1 otherwise).
        BinaryCrossEntropy = Derivative.AllInputs("BinaryCrossEntropyBackward0", Saves.Self | Saves.Other | Saves.Input2, static c =>
        {
            var (x, t) = (c.self, c.other);
            Tensor? w = c.inputs > 2 ? c.input(2) : null;
            double norm = c.scalar.Double;
            Tensor? gi = null, gt = null;
            if (c.needs(0))
            {
                // grad * (input - target) / max((1 - input) * input, EPSILON), EPSILON = 1e-12.
                gi = (x - t) / ((-x + 1) * x).clamp_min(1e-12) * c.grad;
                if (w is not null) gi = gi * w;
                if (norm != 1) gi = gi * norm;
            }
            if (c.needs(1))
            {
                gt = ((-x).log1p().clamp_min(-100) - x.log().clamp_min(-100)) * c.grad;
                if (w is not null) gt = gt * w;
                if (norm != 1) gt = gt * norm;
            }
            return [gi, gt, null];
        }),
        // inputs: input, target; extras: weight, pos_weight (either may be absent); scalar: the mean's norm.
        BinaryCrossEntropyWithLogits = Derivative.AllInputs("BinaryCrossEntropyWithLogitsBackward0",
            Saves.Self | Saves.Other | Saves.Extra0 | Saves.Extra1, static c =>
        {
            var (x, t) = (c.self, c.other);
            var (hasWeight, hasPosWeight) = c.state<(bool, bool)>();
            Tensor? w = hasWeight ? c.extra(0) : null;
            Tensor? pw = hasPosWeight ? c.extra(1) : null;
            bool mean = c.scalar.Double != 1;
            Tensor? gi = null, gt = null;
            if (c.needs(0))
            {
                if (pw is not null)
                {
                    var pt = pw * t;
                    gi = (pt + 1 - t) * x.sigmoid() - pt;
                }
                else gi = x.sigmoid() - t;
                gi = gi * c.grad;
                if (w is not null) gi = gi * w;
                if (mean) gi = gi / (double)x.numel();
            }
            if (c.needs(1))
            {
                // d/dtarget = -x·w (pos_weight: also log_sigmoid terms); PyTorch gives it through the same node.
                gt = pw is null ? -x * c.grad : (-x - (pw - 1) * (torch.minimum(x, torch.zeros([], dtype: x.dtype)) - (-x.abs()).exp().log1p())) * c.grad;
                if (w is not null) gt = gt * w;
                if (mean) gt = gt / (double)x.numel();
            }
            return [gi, gt];
        }),
        // state: NllLossArgs
        NllLoss = new("NllLossBackward0", (Saves.None, static c => c.state<NllLossArgs>().Backward(c.grad))),
        // batch norm and layer norm as one node (state: NormalizeArgs); xhat serves both dx and dweight.
        NativeBatchNorm = Derivative.AllInputs("NativeBatchNormBackward0", Saves.Self, NormalizeBackward),
        NativeLayerNorm = Derivative.AllInputs("NativeLayerNormBackward0", Saves.Self, NormalizeBackward);

    /// <summary>
    /// (x - mean)·invstd·w + b's gradients; with batch statistics the backward includes their dependence on x:
    /// dx = invstd·(dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)) over the reduced dims. A frozen input (or affine parameters)
    /// skips its product.
    /// </summary>
    private static Tensor?[] NormalizeBackward(BackwardContext c)
    {
        var a = c.state<NormalizeArgs>();
        var (g, w, invstd) = (c.grad, a.Weight, a.Invstd);
        bool n0 = c.needs(0), n1 = c.needs(1), n2 = c.needs(2);
        var xhat = n0 || n1 && w is not null ? (c.self - a.Mean) * invstd : null;
        Tensor? dx = null;
        if (n0)
        {
            var dxhat = w is null ? g : g * w;
            dx = a.BatchStats
                ? (dxhat - dxhat.mean(a.Dims, keepdim: true) - xhat! * (dxhat * xhat!).mean(a.Dims, keepdim: true)) * invstd
                : dxhat * invstd;
        }
        return [dx, w is null || !n1 ? null : g * xhat!, a.HasBias && n2 ? g : null];
    }
}

/// <summary>What batch/layer norm's backward reads besides the input: the statistics and the (viewed) weight.</summary>
internal sealed record NormalizeArgs(Tensor Mean, Tensor Invstd, Tensor? Weight, bool HasBias, long[] Dims, bool BatchStats);

/// <summary>nll_loss's backward: grad_input[i, t_i] = -w[t_i]·grad (/ total_weight for a mean); zero for ignored targets.</summary>
internal sealed record NllLossArgs(long[] Targets, Tensor? Weight, long IgnoreIndex, string Reduction, double TotalWeight, long Classes,
    bool NoBatch, DType DType)
{
    public Tensor Backward(Tensor g)
    {
        var t = Targets;
        var rows = t.Length;
        var wt = new double[rows];
        var w = Weight?.to(DType.Float64).ToArray<double>();
        for (int i = 0; i < rows; i++) wt[i] = t[i] == IgnoreIndex ? 0 : -(w?[t[i]] ?? 1.0);
        var coef = torch.tensor(wt, dtype: DType).to(g.device).unsqueeze(1);
        var gg = Reduction == "none" ? g.reshape(rows, 1) : Reduction == "mean" ? g / TotalWeight : g;
        var safeT = torch.tensor(Array.ConvertAll(t, v => v == IgnoreIndex ? 0 : v)).to(g.device).unsqueeze(1);
        var grad = torch.zeros([rows, Classes], dtype: DType, device: g.device).scatter(1, safeT, coef * gg);
        return NoBatch ? grad.reshape(Classes) : grad;
    }
}
