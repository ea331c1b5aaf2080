using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors.Autograd;

/// <summary>
/// Derivatives of convolutions and of im2col/col2im (F.unfold/F.fold), declared with differentiable tensor ops so a
/// second backward (create_graph) works: im2col and col2im are each other's adjoint, and a convolution's gradients
/// are GEMMs with them.
/// </summary>
internal static class ConvolutionBackward
{
    /// <summary>Attaches ConvolutionBackward0 (PyTorch's name for every convolution, transposed or not).</summary>
    public static Tensor Record(Tensor y, Tensor x, Tensor w, Tensor? b, ConvSpec spec) =>
        Derivatives.Convolution.Record(y, [x, w, b], state: spec);

    internal static Tensor?[] Grads(BackwardContext c)
    {
        var (g, x, w, s) = (c.grad, c.self, c.other, c.state<ConvSpec>());
        bool[] need = [c.needs(0), c.needs(1), c.inputs > 2 && c.needs(2)];
        bool oneD = x.dim() == 3;
        var g4 = oneD ? g.unsqueeze(2) : g;
        var x4 = oneD ? x.unsqueeze(2) : x;
        var w4 = oneD ? w.unsqueeze(2) : w;
        long n = x4.size(0), groups = s.Groups;
        Tensor? gx = null, gw = null;
        if (!s.Transposed)
        {
            var win = ConvolutionMath.DirectWindow(x4, w4, s);
            long cin = x4.size(1), cout = w4.size(0), positions = n * win.OH * win.OW;
            // A first-order backward (no graph to record) takes the backend's fused kernels where it has them.
            if (!GradMode.Enabled && g4.Kernels is IWindowKernels k)
            {
                var gc = g4.ContiguousRaw();
                if (need[0])
                {
                    var fx = Tensor.EmptyForWrite(x4._shape, x4.dtype, x4.device);
                    if (k.ConvBackwardInput(gc.Buffer, w4.ContiguousRaw().Buffer, win, groups, fx.Buffer)) { gx = fx; need[0] = false; }
                }
                if (need[1])
                {
                    var fw = Tensor.EmptyForWrite(w4._shape, w4.dtype, w4.device);
                    if (k.ConvBackwardWeight(gc.Buffer, x4.ContiguousRaw().Buffer, win, groups, fw.Buffer)) { gw = fw; need[1] = false; }
                }
            }
            var g3 = g4.permute(1, 0, 2, 3).reshape(groups, cout / groups, positions);
            if (need[0])
            {
                var gcols = w4.reshape(groups, cout / groups, -1).transpose(1, 2).bmm(g3).view(cin, win.KH, win.KW, n, win.OH, win.OW);
                gx = Col2Im(gcols, win, SlidingWindow.ConvLayout, n, cin);
            }
            if (need[1])
                gw = g3.bmm(Im2Col(x4, win, SlidingWindow.ConvLayout).view(groups, -1, positions).transpose(1, 2)).view(w4.shape);
        }
        else
        {
            var win = ConvolutionMath.TransposedWindow(x4, w4, s);
            long cin = x4.size(1), cout = w4.size(1) * groups;
            var gcols = Im2Col(g4, win, SlidingWindow.ConvLayout).view(groups, cout / groups * win.KH * win.KW, -1);
            if (need[0])
                gx = w4.reshape(groups, cin / groups, -1).bmm(gcols).view(cin, n, x4.size(2), x4.size(3)).permute(1, 0, 2, 3);
            if (need[1])
                gw = x4.permute(1, 0, 2, 3).reshape(groups, cin / groups, -1).bmm(gcols.transpose(1, 2)).view(w4.shape);
        }
        var gb = need[2] ? g4.sum([0L, 2, 3]) : null;
        return [oneD ? gx?.squeeze(2) : gx, oneD ? gw?.squeeze(2) : gw, gb];
    }

    /// <summary>F.unfold: (N, C·kH·kW, L) columns, recorded as Im2ColBackward0 (its gradient folds).</summary>
    public static Tensor Unfold(Tensor x, Window2d win)
    {
        long n = x.size(0), c = x.size(1);
        var cols = SlidingWindow.Im2Col(x, win, SlidingWindow.UnfoldLayout).Reshaped(n, c * win.KH * win.KW, win.OH * win.OW);
        return Derivatives.Im2Col.Record(cols, x, state: new WindowArgs(win, SlidingWindow.UnfoldLayout, n, c, Flat: true));
    }

    /// <summary>F.fold: columns (N, C·kH·kW, L) summed onto the image, recorded as Col2ImBackward0 (its gradient unfolds).</summary>
    public static Tensor Fold(Tensor cols, Window2d win, long c)
    {
        long n = cols.size(0);
        var image = SlidingWindow.Col2Im(cols.Reshaped(n, c, win.KH, win.KW, win.OH, win.OW), win, SlidingWindow.UnfoldLayout, n, c);
        return Derivatives.Col2Im.Record(image, cols, state: new WindowArgs(win, SlidingWindow.UnfoldLayout, n, c, Flat: true));
    }

    /// <summary>im2col (see <see cref="SlidingWindow.Im2Col"/>) recorded as Im2ColBackward0, whose gradient is col2im.</summary>
    public static Tensor Im2Col(Tensor x, Window2d win, int[] layout)
    {
        var cols = SlidingWindow.Im2Col(x, win, layout);
        long n = x.size(0), c = x.size(1);
        return Derivatives.Im2Col.Record(cols, x, state: new WindowArgs(win, layout, n, c));
    }

    /// <summary>col2im (see <see cref="SlidingWindow.Col2Im"/>) recorded as Col2ImBackward0, whose gradient is im2col.</summary>
    public static Tensor Col2Im(Tensor cols, Window2d win, int[] layout, long n, long c)
    {
        var image = SlidingWindow.Col2Im(cols, win, layout, n, c);
        return Derivatives.Col2Im.Record(image, cols, state: new WindowArgs(win, layout, n, c));
    }
}

/// <summary>The window geometry an im2col/col2im node needs to apply its adjoint; Flat: F.unfold's (N, C·kH·kW, L) columns.</summary>
internal sealed record WindowArgs(Window2d Win, int[] Layout, long N, long C, bool Flat = false);

// derivatives.yaml's rows for convolution and im2col/col2im (formulas in ConvolutionBackward above).
internal static partial class Derivatives
{
    public static readonly Derivative
        // state: ConvSpec. One joint formula: the input's and weight's gradients share the gradient's GEMM layout.
        Convolution = Derivative.AllInputs("ConvolutionBackward0", Saves.Self | Saves.Other, ConvolutionBackward.Grads),
        // state: WindowArgs. im2col and col2im are each other's adjoint.
        Im2Col = new("Im2ColBackward0", (Saves.None, static c =>
        {
            var a = c.state<WindowArgs>();
            return a.Flat ? ConvolutionBackward.Fold(c.grad, a.Win, a.C) : ConvolutionBackward.Col2Im(c.grad, a.Win, a.Layout, a.N, a.C);
        })),
        Col2Im = new("Col2ImBackward0", (Saves.None, static c =>
        {
            var a = c.state<WindowArgs>();
            return a.Flat ? ConvolutionBackward.Unfold(c.grad, a.Win) : ConvolutionBackward.Im2Col(c.grad, a.Win, a.Layout);
        }));
}
