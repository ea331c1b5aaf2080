using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors.Autograd;

/// <summary>
/// Derivatives of pooling, named as PyTorch names them, written with differentiable ops (double backward works):
/// max pooling scatters the gradient to the saved argmax positions (its own gradient gathers from them), average
/// pooling spreads gradient / divisor over each window (col2im of a broadcast), adaptive average pooling uses its
/// adjoint, recorded so that a second derivative pools again.
/// </summary>
internal static class PoolingBackward
{
    /// <summary>MaxPool2DWithIndicesBackward0 / AdaptiveMaxPool2DBackward0: dx = zeros.scatter_add(plane, indices, dy).</summary>
    public static Tensor RecordMax(Tensor y, Tensor x, Tensor indices, bool adaptive) =>
        (adaptive ? Derivatives.AdaptiveMaxPool2D : Derivatives.MaxPool2DWithIndices).Record(y, [x], [indices]);

    internal static Tensor MaxGrad(BackwardContext c)
    {
        var (g, indices) = (c.grad, c.extra(0));
        var s = c.shape(0);
        long n = s[0], ch = s[1], h = s[2], w = s[3];
        if (!GradMode.Enabled && g.Kernels is IWindowKernels k)
        {
            var gx = Tensor.EmptyForWrite([n, ch, h, w], g.dtype, g.device);
            if (k.MaxPoolBackward(g.ContiguousRaw().Buffer, indices.ContiguousRaw().Buffer, gx.Buffer)) return gx;
        }
        return torch.zeros([n, ch, h * w], dtype: g.dtype, device: g.device).scatter_add(2, indices.reshape(n, ch, -1), g.reshape(n, ch, -1)).view(n, ch, h, w);
    }

    /// <summary>AvgPool2DBackward0: each window receives dy / divisor on every tap.</summary>
    public static Tensor RecordAvg(Tensor y, Tensor x, Window2d win, Tensor divisor) =>
        Derivatives.AvgPool2D.Record(y, [x], [divisor], state: win);

    internal static Tensor AvgGrad(BackwardContext c)
    {
        var (g, divisor, win) = (c.grad, c.extra(0), c.state<Window2d>());
        long n = c.shape(0)[0], ch = c.shape(0)[1];
        var spread = (g / divisor).unsqueeze(-1).unsqueeze(-1).expand(n, ch, win.OH, win.OW, win.KH, win.KW);
        return ConvolutionBackward.Col2Im(spread, win, SlidingWindow.PoolLayout, n, ch);
    }

    /// <summary>AdaptiveAvgPool2DBackward0, whose own gradient (AdaptiveAvgPool2DBackwardBackward0) is the pooling again.</summary>
    public static Tensor RecordAdaptiveAvg(Tensor y, Tensor x) => Derivatives.AdaptiveAvgPool2D.Record(y, x);

    internal static Tensor AdaptiveAvgAdjoint(Tensor g, long h, long w)
    {
        var gi = AdaptivePool.AvgAdjointRaw(g, h, w);
        return Derivatives.AdaptiveAvgPool2DBackward.Record(gi, g);
    }
}

// derivatives.yaml's rows for pooling (formulas in PoolingBackward above).
internal static partial class Derivatives
{
    public static readonly Derivative
        // extra 0: the argmax positions within each (H, W) plane.
        MaxPool2DWithIndices = new("MaxPool2DWithIndicesBackward0", (Saves.Extra0, PoolingBackward.MaxGrad)),
        AdaptiveMaxPool2D = new("AdaptiveMaxPool2DBackward0", (Saves.Extra0, PoolingBackward.MaxGrad)),
        // extra 0: the divisors (OH, OW); state: the window geometry.
        AvgPool2D = new("AvgPool2DBackward0", (Saves.Extra0, PoolingBackward.AvgGrad)),
        AdaptiveAvgPool2D = new("AdaptiveAvgPool2DBackward0", (Saves.None, static c => PoolingBackward.AdaptiveAvgAdjoint(c.grad, c.shape(0)[2], c.shape(0)[3]))),
        AdaptiveAvgPool2DBackward = new("AdaptiveAvgPool2DBackwardBackward0", (Saves.None, static c => AdaptivePool.Avg(c.grad, c.shape(0)[2], c.shape(0)[3])));
}
