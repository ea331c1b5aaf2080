using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors;

/// <summary>
/// The geometry of a 2-d sliding window over an (N, C, H, W) image: kernel, stride, dilation, the padding before the
/// first row/column (what lies after the last one is whatever the windows reach), and the number of window positions.
/// Convolutions, pooling and F.unfold/F.fold all read their input through it.
/// </summary>
internal readonly record struct Window2d(long KH, long KW, long SH, long SW, long DH, long DW, long PadT, long PadL,
    long H, long W, long OH, long OW)
{
    /// <summary>Rows (columns) of the padded frame the windows and the image both fit in.</summary>
    public long FrameH => Math.Max((OH - 1) * SH + DH * (KH - 1) + 1, PadT + H);
    public long FrameW => Math.Max((OW - 1) * SW + DW * (KW - 1) + 1, PadL + W);

    /// <summary>Windows over an image with symmetric padding (PyTorch's output size: floor((H + 2p - d(k-1) - 1)/s) + 1).</summary>
    public static Window2d Of(long h, long w, long kh, long kw, long sh, long sw, long dh, long dw, long ph, long pw) =>
        new(kh, kw, sh, sw, dh, dw, ph, pw, h, w, (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1);
}

/// <summary>
/// im2col and col2im on tensors of any device, built from the backend's strided copy and element-wise add: the windows
/// of a padded frame are one 6-d strided view (N, C, KH, KW, OH, OW), copied out in whichever dimension order the
/// caller's product wants (no per-element work on the host, so the cuda backend runs it too).
/// </summary>
internal static class SlidingWindow
{
    /// <summary>[C, KH, KW, N, OH, OW]: rows of a convolution's GEMM (C·KH·KW) by columns (N·OH·OW).</summary>
    public static readonly int[] ConvLayout = [1, 2, 3, 0, 4, 5];
    /// <summary>[N, C, KH, KW, OH, OW]: F.unfold's (N, C·KH·KW, L).</summary>
    public static readonly int[] UnfoldLayout = [0, 1, 2, 3, 4, 5];
    /// <summary>[N, C, OH, OW, KH, KW]: each window's elements last (pooling).</summary>
    public static readonly int[] PoolLayout = [0, 1, 4, 5, 2, 3];

    /// <summary>The windows of <paramref name="x"/> (N, C, H, W) as a contiguous tensor in <paramref name="layout"/>; padding reads <paramref name="fill"/>.</summary>
    public static Tensor Im2Col(Tensor x, in Window2d g, int[] layout, double fill = 0)
    {
        var frame = Frame(x, g, fill);
        return WindowsView(frame, g).Permuted(layout).ContiguousRaw();
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col"/>: adds every window's values (<paramref name="cols"/>, in
    /// <paramref name="layout"/>, any strides) back onto the image position it was read from; returns (N, C, H, W).
    /// </summary>
    public static Tensor Col2Im(Tensor cols, in Window2d g, int[] layout, long n, long c)
    {
        var frame = Tensor.Empty([n, c, g.FrameH, g.FrameW], cols.dtype, cols.device);
        frame.Kernels.Fill(frame.Buffer, 0.0);
        var windows = WindowsView(frame, g);
        var src = cols.Permuted(Inverse(layout));
        // One strided add per kernel tap: the taps of one window never overlap, so each add is element-wise. Taps go
        // last to first so that an image element receives its windows in row-major window order, as ATen's pooling
        // backward loops add them (a later tap of the same element belongs to an earlier window).
        for (long i = g.KH - 1; i >= 0; i--)
            for (long j = g.KW - 1; j >= 0; j--)
            {
                var dst = Tap(windows, i, j);
                frame.Kernels.Binary(BinaryOp.Add, dst.Buffer, Tap(src, i, j).Buffer, dst.Buffer);
            }
        return frame.Sub(g.PadT, g.PadL, g.H, g.W).ContiguousRaw();
    }

    /// <summary>
    /// Each window's sum, its taps added one at a time in row-major order to a zero start (the order of ATen's
    /// pooling loops), as KH·KW element-wise adds over the (N, C, OH, OW) output; padding adds zeros.
    /// </summary>
    public static Tensor SumTaps(Tensor x, in Window2d g)
    {
        var windows = WindowsView(Frame(x, g, 0), g);
        var acc = Tensor.Empty([x._shape[0], x._shape[1], g.OH, g.OW], x.dtype, x.device);
        acc.Kernels.Fill(acc.Buffer, 0.0);
        for (long i = 0; i < g.KH; i++)
            for (long j = 0; j < g.KW; j++)
                acc.Kernels.Binary(BinaryOp.Add, acc.Buffer, Tap(windows, i, j).Buffer, acc.Buffer);
        return acc;
    }

    /// <summary>x placed at (PadT, PadL) of a frame filled with <paramref name="fill"/>; x itself when no padding is read.</summary>
    public static Tensor Frame(Tensor x, in Window2d g, double fill)
    {
        long fh = g.FrameH, fw = g.FrameW;
        if (g.PadT == 0 && g.PadL == 0 && fh == g.H && fw == g.W) return x;
        var frame = Tensor.Empty([x._shape[0], x._shape[1], fh, fw], x.dtype, x.device);
        frame.Kernels.Fill(frame.Buffer, fill);
        frame.Kernels.Copy(x.Buffer, frame.Sub(g.PadT, g.PadL, g.H, g.W).Buffer);
        return frame;
    }

    /// <summary>The (N, C, KH, KW, OH, OW) view of a frame's windows.</summary>
    public static Tensor WindowsView(Tensor frame, in Window2d g)
    {
        var s = frame._strides;
        return new Tensor(frame._storage, [frame._shape[0], frame._shape[1], g.KH, g.KW, g.OH, g.OW],
            [s[0], s[1], g.DH * s[2], g.DW * s[3], g.SH * s[2], g.SW * s[3]], frame._offset);
    }

    /// <summary>The (N, C, OH, OW) slice of a 6-d windows tensor (N, C, KH, KW, OH, OW) at kernel tap (i, j).</summary>
    private static Tensor Tap(Tensor w6, long i, long j)
    {
        var s = w6._strides;
        return new Tensor(w6._storage, [w6._shape[0], w6._shape[1], w6._shape[4], w6._shape[5]], [s[0], s[1], s[4], s[5]],
            w6._offset + i * s[2] + j * s[3]);
    }

    private static Tensor Sub(this Tensor frame, long top, long left, long h, long w)
    {
        var s = frame._strides;
        return new Tensor(frame._storage, [frame._shape[0], frame._shape[1], h, w], s, frame._offset + top * s[2] + left * s[3]);
    }

    /// <summary>A raw (graph-free) permuted view: result dim k is source dim perm[k].</summary>
    public static Tensor Permuted(this Tensor t, int[] perm)
    {
        var shape = new long[perm.Length]; var strides = new long[perm.Length];
        for (int k = 0; k < perm.Length; k++) { shape[k] = t._shape[perm[k]]; strides[k] = t._strides[perm[k]]; }
        return new Tensor(t._storage, shape, strides, t._offset);
    }

    /// <summary>A raw view with new shape of a contiguous tensor.</summary>
    public static Tensor Reshaped(this Tensor t, params long[] shape)
    {
        var c = t.ContiguousRaw();
        return new Tensor(c._storage, shape, Shapes.ContiguousStrides(shape), c._offset);
    }

    private static int[] Inverse(int[] perm)
    {
        var inv = new int[perm.Length];
        for (int k = 0; k < perm.Length; k++) inv[perm[k]] = k;
        return inv;
    }
}
