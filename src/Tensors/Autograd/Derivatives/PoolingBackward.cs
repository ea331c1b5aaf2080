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
    public static Tensor RecordMax(Tensor y, Tensor x, Tensor indices, string name)
    {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return FunctionBackward.Record(y, name, [x], [], (g, _) =>
            [torch.zeros([n, c, h * w], dtype: g.dtype, device: g.device).scatter_add(2, indices.reshape(n, c, -1), g.reshape(n, c, -1)).view(n, c, h, w)]);
    }

    /// <summary>AvgPool2DBackward0: each window receives dy / divisor on every tap.</summary>
    public static Tensor RecordAvg(Tensor y, Tensor x, Window2d win, Tensor divisor)
    {
        long n = x.size(0), c = x.size(1);
        return FunctionBackward.Record(y, "AvgPool2DBackward0", [x], [], (g, _) =>
        {
            var spread = (g / divisor).unsqueeze(-1).unsqueeze(-1).expand(n, c, win.OH, win.OW, win.KH, win.KW);
            return [ConvolutionBackward.Col2Im(spread, win, SlidingWindow.PoolLayout, n, c)];
        });
    }

    /// <summary>AdaptiveAvgPool2DBackward0, whose own gradient (AdaptiveAvgPool2DBackwardBackward0) is the pooling again.</summary>
    public static Tensor RecordAdaptiveAvg(Tensor y, Tensor x)
    {
        long h = x.size(2), w = x.size(3);
        return FunctionBackward.Record(y, "AdaptiveAvgPool2DBackward0", [x], [], (g, _) => [AdaptiveAvgAdjoint(g, h, w)]);
    }

    private static Tensor AdaptiveAvgAdjoint(Tensor g, long h, long w)
    {
        var gi = AdaptivePool.AvgAdjointRaw(g, h, w);
        long oh = g.size(2), ow = g.size(3);
        return FunctionBackward.Record(gi, "AdaptiveAvgPool2DBackwardBackward0", [g], [], (gg, _) => [AdaptivePool.Avg(gg, oh, ow)]);
    }
}
