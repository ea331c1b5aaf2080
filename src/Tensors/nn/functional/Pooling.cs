using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>F.max_pool2d over (N, C, H, W) or (C, H, W); stride defaults to kernel_size.</summary>
            public static Tensor max_pool2d(Tensor input, _size_t kernel_size, _size_t? stride = null, _size_t? padding = null,
                _size_t? dilation = null, bool ceil_mode = false) =>
                max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode).output;

            /// <summary>F.max_pool2d(..., return_indices=True): indices are flat positions within each (H, W) plane.</summary>
            public static (Tensor output, Tensor indices) max_pool2d_with_indices(Tensor input, _size_t kernel_size, _size_t? stride = null,
                _size_t? padding = null, _size_t? dilation = null, bool ceil_mode = false)
            {
                var (x, batched) = Pool.Batchify(input, 2, "max_pool2d");
                var g = Pool.Geometry(x, kernel_size, stride, padding, dilation, ceil_mode, 2, "max_pool2d");
                var (y, idx) = Pool.Max(x, g);
                return batched ? (y, idx) : (y.squeeze(0), idx.squeeze(0));
            }

            /// <summary>F.max_pool1d over (N, C, L) or (C, L): max_pool2d over rows of height 1, as ATen's max_pool1d_with_indices.</summary>
            public static Tensor max_pool1d(Tensor input, _size_t kernel_size, _size_t? stride = null, _size_t? padding = null,
                _size_t? dilation = null, bool ceil_mode = false) =>
                max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode).output;

            public static (Tensor output, Tensor indices) max_pool1d_with_indices(Tensor input, _size_t kernel_size, _size_t? stride = null,
                _size_t? padding = null, _size_t? dilation = null, bool ceil_mode = false)
            {
                if (input.dim() != 2 && input.dim() != 3)
                    throw new ArgumentException($"max_pool1d() Expected 2D or 3D input tensor, but got {Shapes.Format(input._shape)}");
                var (y, idx) = max_pool2d_with_indices(input.unsqueeze(-2), Pool.Row(kernel_size, "kernel_size"), Pool.Row(stride ?? kernel_size, "stride"),
                    Pool.Row(padding ?? 0, "padding", 0), Pool.Row(dilation ?? 1, "dilation"), ceil_mode);
                return (y.squeeze(-2), idx.squeeze(-2));
            }

            /// <summary>F.avg_pool2d: the window sum divided by its size (count_include_pad) or by the count of input elements in it.</summary>
            public static Tensor avg_pool2d(Tensor input, _size_t kernel_size, _size_t? stride = null, _size_t? padding = null,
                bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null)
            {
                if (divisor_override == 0) throw new ArgumentException("divisor must be not zero");
                var (x, batched) = Pool.Batchify(input, 2, "avg_pool2d");
                var g = Pool.Geometry(x, kernel_size, stride, padding, null, ceil_mode, 2, "avg_pool2d");
                var y = Pool.Avg(x, g, count_include_pad, divisor_override);
                return batched ? y : y.squeeze(0);
            }

            /// <summary>F.avg_pool1d: avg_pool2d over rows of height 1 (ATen's avg_pool1d).</summary>
            public static Tensor avg_pool1d(Tensor input, _size_t kernel_size, _size_t? stride = null, _size_t? padding = null,
                bool ceil_mode = false, bool count_include_pad = true)
            {
                if (input.dim() != 2 && input.dim() != 3)
                    throw new ArgumentException($"avg_pool1d() Expected 2D or 3D input tensor, but got {Shapes.Format(input._shape)}");
                return avg_pool2d(input.unsqueeze(-2), Pool.Row(kernel_size, "kernel_size"), Pool.Row(stride ?? kernel_size, "stride"),
                    Pool.Row(padding ?? 0, "padding", 0), ceil_mode, count_include_pad).squeeze(-2);
            }

            /// <summary>F.adaptive_avg_pool2d: cell (i, j) averages rows floor(i·H/OH)..ceil((i+1)·H/OH) and likewise columns.</summary>
            public static Tensor adaptive_avg_pool2d(Tensor input, _size_t output_size)
            {
                var (x, batched) = Pool.Batchify(input, 2, "adaptive_avg_pool2d");
                var (oh, ow) = Pool.OutputSize(x, output_size);
                // ATen's adaptive_avg_pool2d computes a 1×1 output as mean over (H, W) (grad_fn MeanBackward1).
                if (oh == 1 && ow == 1) return input.mean([-1L, -2], keepdim: true);
                var y = AdaptivePool.Avg(x, oh, ow);
                return batched ? y : y.squeeze(0);
            }

            public static Tensor adaptive_max_pool2d(Tensor input, _size_t output_size) => adaptive_max_pool2d_with_indices(input, output_size).output;

            /// <summary>F.adaptive_max_pool2d(..., return_indices=True): the adaptive cells' maxima and their flat (H, W) positions.</summary>
            public static (Tensor output, Tensor indices) adaptive_max_pool2d_with_indices(Tensor input, _size_t output_size)
            {
                var (x, batched) = Pool.Batchify(input, 2, "adaptive_max_pool2d");
                var (oh, ow) = Pool.OutputSize(x, output_size);
                var (y, idx) = AdaptivePool.Max(x, oh, ow);
                return batched ? (y, idx) : (y.squeeze(0), idx.squeeze(0));
            }
        }
    }
}

/// <summary>Pooling over sliding windows (see <see cref="SlidingWindow"/>): shapes and checks as ATen's Pool.h, kernels as tensor ops.</summary>
internal static class Pool
{
    public static (Tensor x, bool batched) Batchify(Tensor input, int spatial, string name)
    {
        if (input.dim() != spatial + 1 && input.dim() != spatial + 2 || input.numel() == 0)
            throw new ArgumentException($"non-empty {spatial + 1}D or {spatial + 2}D (batch mode) tensor expected for input");
        return input.dim() == spatial + 2 ? (input, true) : (input.unsqueeze(0), false);
    }

    /// <summary>A 1-d argument as the 2-d one of a row: (1, v).</summary>
    public static torch.nn._size_t Row(torch.nn._size_t v, string name, long rowValue = 1) => new long[] { rowValue, v.Expand(1, name)[0] };

    /// <summary>ATen's pooling_output_shape: floor (or ceil) division, and a last window must start inside the input or left padding.</summary>
    public static long OutputSize(long input, long kernel, long pad, long stride, long dilation, bool ceil)
    {
        long numerator = input + 2 * pad - dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0);
        long o = (long)Math.Floor((double)numerator / stride) + 1;
        if (ceil && (o - 1) * stride >= input + pad) o--;
        return o;
    }

    public static Window2d Geometry(Tensor x, torch.nn._size_t kernel, torch.nn._size_t? stride, torch.nn._size_t? padding,
        torch.nn._size_t? dilation, bool ceil, int n, string name)
    {
        var k = kernel.Expand(n, "kernel_size");
        var s = stride is { IsSet: true } st ? st.Expand(n, "stride") : k;
        var p = Conv.Arg(padding, 0, n, "padding");
        var d = Conv.Arg(dilation, 1, n, "dilation");
        if (k.Any(v => v <= 0)) throw new ArgumentException($"kernel size should be greater than zero, but got kH: {k[0]} kW: {k[1]}");
        if (s.Any(v => v <= 0)) throw new ArgumentException($"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}");
        if (d.Any(v => v <= 0)) throw new ArgumentException($"dilation should be greater than zero, but got dilationH: {d[0]} dilationW: {d[1]}");
        if (k[1] / 2 < p[1] || k[0] / 2 < p[0])
            throw new ArgumentException($"pad should be smaller than or equal to half of kernel size, but got padW = {p[1]}, padH = {p[0]}, kW = {k[1]}, kH = {k[0]}");
        long h = x.size(2), w = x.size(3);
        long oh = OutputSize(h, k[0], p[0], s[0], d[0], ceil), ow = OutputSize(w, k[1], p[1], s[1], d[1], ceil);
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"Given input size: ({x.size(1)}x{h}x{w}). Calculated output size: ({x.size(1)}x{oh}x{ow}). Output size is too small");
        return new Window2d(k[0], k[1], s[0], s[1], d[0], d[1], p[0], p[1], h, w, oh, ow);
    }

    public static (long oh, long ow) OutputSize(Tensor x, torch.nn._size_t output_size)
    {
        var o = output_size.Expand(2, "output_size");
        if (o.Any(v => v < 0)) throw new ArgumentException("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {" + string.Join(", ", o) + "}");
        return (o[0], o[1]);
    }

    /// <summary>Window maxima (the first one wins a tie, as ATen's `val > maxval`) and their flat (H, W) positions.</summary>
    public static (Tensor y, Tensor idx) Max(Tensor x, Window2d g)
    {
        Tensor y, idx;
        using (new NoGradScope())
        {
            long n = x.size(0), c = x.size(1);
            y = Tensor.EmptyForWrite([n, c, g.OH, g.OW], x.dtype, x.device);
            idx = Tensor.EmptyForWrite([n, c, g.OH, g.OW], DType.Int64, x.device);
            if (x.Kernels is not IWindowKernels wk || !wk.MaxPool(x.ContiguousRaw().Buffer, g, y.Buffer, idx.Buffer)) (y, idx) = MaxComposed(x, g);
        }
        y = PoolingBackward.RecordMax(y, x, idx, adaptive: false);
        return (y, idx);
    }

    /// <summary>The maxima from tensor ops any backend runs: the windows copied out (padding reads -inf), reduced, positions computed.</summary>
    internal static (Tensor y, Tensor idx) MaxComposed(Tensor x, Window2d g)
    {
        long n = x.size(0), c = x.size(1);
        var cols = SlidingWindow.Im2Col(x, g, SlidingWindow.PoolLayout, double.NegativeInfinity).Reshaped(n, c, g.OH, g.OW, g.KH * g.KW);
        var y = Tensor.Empty([n, c, g.OH, g.OW, 1], x.dtype, x.device);
        var k = Tensor.Empty([n, c, g.OH, g.OW, 1], DType.Int64, x.device);
        y.Kernels.Reduce(ReduceOp.Max, cols.Buffer, y.Buffer, k.Buffer);
        // Window tap k → plane position: row oh·sH - padT + (k / KW)·dH, column ow·sW - padL + (k % KW)·dW.
        var rows = (torch.arange(g.OH, device: x.device) * g.SH - g.PadT).view(g.OH, 1);
        var colsBase = (torch.arange(g.OW, device: x.device) * g.SW - g.PadL).view(1, g.OW);
        var kk = k.Reshaped(n, c, g.OH, g.OW);
        return (y.Reshaped(n, c, g.OH, g.OW), (rows + kk.floor_divide(g.KW) * g.DH) * g.W + colsBase + kk.remainder(g.KW) * g.DW);
    }

    /// <summary>
    /// Window sums divided as ATen's avg_pool2d: by divisor_override, else by the window's size clipped to the padded
    /// input (count_include_pad) or to the input itself.
    /// </summary>
    public static Tensor Avg(Tensor x, Window2d g, bool countIncludePad, long? divisorOverride)
    {
        var divisor = Divisors(g, countIncludePad, divisorOverride, x.dtype, x.device);
        Tensor y;
        using (new NoGradScope()) y = AvgRaw(x, g, divisor);
        return PoolingBackward.RecordAvg(y, x, g, divisor);
    }

    /// <summary>The forward arithmetic: window sums (taps added one by one in row-major order, as ATen's loop) over divisors.</summary>
    public static Tensor AvgRaw(Tensor x, Window2d g, Tensor divisor) => SlidingWindow.SumTaps(x, g) / divisor;

    private static Tensor Divisors(Window2d g, bool countIncludePad, long? divisorOverride, DType dtype, Device device)
    {
        var d = new double[g.OH * g.OW];
        for (long oh = 0; oh < g.OH; oh++)
            for (long ow = 0; ow < g.OW; ow++)
            {
                long hs = oh * g.SH - g.PadT, ws = ow * g.SW - g.PadL;
                long he = Math.Min(hs + g.KH, g.H + g.PadT), we = Math.Min(ws + g.KW, g.W + g.PadL);
                long poolSize = (he - hs) * (we - ws);
                hs = Math.Max(hs, 0); ws = Math.Max(ws, 0); he = Math.Min(he, g.H); we = Math.Min(we, g.W);
                d[oh * g.OW + ow] = divisorOverride ?? (countIncludePad ? poolSize : (he - hs) * (we - ws));
            }
        return torch.tensor(d, dtype: dtype).view(g.OH, g.OW).to(device);
    }
}

/// <summary>
/// Adaptive pooling: output cell (i, j) covers rows [floor(i·H/OH), ceil((i+1)·H/OH)) and the same for columns. Cells
/// are visited one by one (outputs are small: 1×1 to 7×7 in practice), each a reduction over a strided view.
/// </summary>
internal static class AdaptivePool
{
    private static long Start(long i, long o, long n) => i * n / o;
    private static long End(long i, long o, long n) => ((i + 1) * n + o - 1) / o;

    public static Tensor Avg(Tensor x, long oh, long ow)
    {
        var y = AvgRaw(x, oh, ow);
        return PoolingBackward.RecordAdaptiveAvg(y, x);
    }

    /// <summary>
    /// As ATen's cpu_adaptive_avg_pool: the cell summed left to right, divided by kh and then by kw.
    /// </summary>
    public static Tensor AvgRaw(Tensor x, long oh, long ow)
    {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        var y = Tensor.Empty([n, c, oh, ow], x.dtype, x.device);
        using (new NoGradScope())
            for (long i = 0; i < oh; i++)
                for (long j = 0; j < ow; j++)
                {
                    long hs = Start(i, oh, h), he = End(i, oh, h), ws = Start(j, ow, w), we = End(j, ow, w);
                    long count = (he - hs) * (we - ws);
                    var cell = x.Narrowed(2, hs, he, 1).Narrowed(3, ws, we, 1).ContiguousRaw().Reshaped(n, c, count);
                    var sum = Tensor.Empty([n, c, 1], x.dtype, x.device);
                    sum.Kernels.Fill(sum.Buffer, 0.0);
                    for (long k = 0; k < count; k++) sum.Kernels.Binary(BinaryOp.Add, sum.Buffer, cell.Narrowed(2, k, k + 1, 1).Buffer, sum.Buffer);
                    var v = sum / (double)(he - hs) / (double)(we - ws);
                    y.Kernels.Copy(v.Reshaped(n, c, 1, 1).Buffer, y.Narrowed(2, i, i + 1, 1).Narrowed(3, j, j + 1, 1).Buffer);
                }
        return y;
    }

    /// <summary>The adjoint of <see cref="AvgRaw"/>: each cell's gradient / kh / kw added over its rows and columns.</summary>
    public static Tensor AvgAdjointRaw(Tensor g, long h, long w)
    {
        long n = g.size(0), c = g.size(1), oh = g.size(2), ow = g.size(3);
        var gi = Tensor.Empty([n, c, h, w], g.dtype, g.device);
        gi.Kernels.Fill(gi.Buffer, 0.0);
        using (new NoGradScope())
            for (long i = 0; i < oh; i++)
                for (long j = 0; j < ow; j++)
                {
                    long hs = Start(i, oh, h), he = End(i, oh, h), ws = Start(j, ow, w), we = End(j, ow, w);
                    var v = g.Narrowed(2, i, i + 1, 1).Narrowed(3, j, j + 1, 1) / (double)(he - hs) / (double)(we - ws);
                    var dst = gi.Narrowed(2, hs, he, 1).Narrowed(3, ws, we, 1);
                    gi.Kernels.Binary(BinaryOp.Add, dst.Buffer, v.ExpandRaw(dst._shape).Buffer, dst.Buffer);
                }
        return gi;
    }

    public static (Tensor y, Tensor idx) Max(Tensor x, long oh, long ow)
    {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        var y = Tensor.Empty([n, c, oh, ow], x.dtype, x.device);
        var idx = Tensor.Empty([n, c, oh, ow], DType.Int64, x.device);
        using (new NoGradScope())
            for (long i = 0; i < oh; i++)
                for (long j = 0; j < ow; j++)
                {
                    long hs = Start(i, oh, h), he = End(i, oh, h), ws = Start(j, ow, w), we = End(j, ow, w), kw = we - ws;
                    var cell = x.Narrowed(2, hs, he, 1).Narrowed(3, ws, we, 1).ContiguousRaw().Reshaped(n, c, (he - hs) * kw);
                    var v = Tensor.Empty([n, c, 1], x.dtype, x.device);
                    var k = Tensor.Empty([n, c, 1], DType.Int64, x.device);
                    v.Kernels.Reduce(ReduceOp.Max, cell.Buffer, v.Buffer, k.Buffer);
                    var pos = (k.floor_divide(kw) + hs) * w + k.remainder(kw) + ws;
                    y.Kernels.Copy(v.Reshaped(n, c, 1, 1).Buffer, y.Narrowed(2, i, i + 1, 1).Narrowed(3, j, j + 1, 1).Buffer);
                    idx.Kernels.Copy(pos.Reshaped(n, c, 1, 1).Buffer, idx.Narrowed(2, i, i + 1, 1).Narrowed(3, j, j + 1, 1).Buffer);
                }
        return (PoolingBackward.RecordMax(y, x, idx, adaptive: true), idx);
    }
}
