using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

/// <summary>
/// A convolution's arguments after PyTorch's argument handling, always for two spatial dims (a 1-d convolution is a
/// 2-d one over rows of height 1, as ATen's view1d_as_2d does).
/// </summary>
internal sealed record ConvSpec(long[] Stride, long[] Padding, long[] Dilation, long[] OutputPadding, bool Transposed, long Groups);

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>1-d convolution over (N, C, L) or (C, L): F.conv1d. padding may be a number or 'valid'/'same'.</summary>
            public static Tensor conv1d(Tensor input, Tensor weight, Tensor? bias = null, _size_t? stride = null, _padding_t? padding = null,
                _size_t? dilation = null, long groups = 1) =>
                Conv.Forward("conv1d", 1, input, weight, bias, stride, padding, dilation, groups);

            /// <summary>2-d convolution over (N, C, H, W) or (C, H, W): F.conv2d. padding may be numbers or 'valid'/'same'.</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, _size_t? stride = null, _padding_t? padding = null,
                _size_t? dilation = null, long groups = 1) =>
                Conv.Forward("conv2d", 2, input, weight, bias, stride, padding, dilation, groups);

            /// <summary>
            /// Transposed 2-d convolution (the gradient of conv2d with respect to its input): F.conv_transpose2d. weight is
            /// (in_channels, out_channels / groups, kH, kW).
            /// </summary>
            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, _size_t? stride = null, _size_t? padding = null,
                _size_t? output_padding = null, long groups = 1, _size_t? dilation = null)
            {
                var (x, batched) = Conv.Batchify(input, 2, "conv_transpose2d");
                var spec = new ConvSpec(Conv.Arg(stride, 1, 2, "stride"), Conv.Arg(padding, 0, 2, "padding"), Conv.Arg(dilation, 1, 2, "dilation"),
                    Conv.Arg(output_padding, 0, 2, "output_padding"), true, groups);
                var y = Conv.Convolution(x, weight, bias, spec);
                return batched ? y : y.squeeze(0);
            }

            /// <summary>F.unfold (im2col): (N, C, H, W) → (N, C·kH·kW, L), one column per window position (Im2ColBackward0).</summary>
            public static Tensor unfold(Tensor input, _size_t kernel_size, _size_t? dilation = null, _size_t? padding = null, _size_t? stride = null)
            {
                if (input.dim() != 3 && input.dim() != 4)
                    throw new ArgumentException($"Input Error: Only 3D or 4D input Tensors are supported (got {input.dim()}D)");
                var x = input.dim() == 4 ? input : input.unsqueeze(0);
                var k = kernel_size.Expand(2, "kernel_size");
                var d = Conv.Arg(dilation, 1, 2, "dilation"); var p = Conv.Arg(padding, 0, 2, "padding"); var s = Conv.Arg(stride, 1, 2, "stride");
                var win = Window2d.Of(x.size(2), x.size(3), k[0], k[1], s[0], s[1], d[0], d[1], p[0], p[1]);
                if (win.OH < 1 || win.OW < 1)
                    throw new ArgumentException($"Given input with spatial size ({x.size(2)}, {x.size(3)}), kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated shape of the array of sliding blocks as ({win.OH}, {win.OW}), but its components must be at least one.");
                var r = ConvolutionBackward.Unfold(x, win);
                return input.dim() == 4 ? r : r.squeeze(0);
            }

            /// <summary>F.fold (col2im), the adjoint of unfold: sums each column's values back onto an output_size image (Col2ImBackward0).</summary>
            public static Tensor fold(Tensor input, _size_t output_size, _size_t kernel_size, _size_t? dilation = null, _size_t? padding = null, _size_t? stride = null)
            {
                if (input.dim() != 2 && input.dim() != 3)
                    throw new ArgumentException($"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got {input.dim()}D)");
                var cols = input.dim() == 3 ? input : input.unsqueeze(0);
                var o = output_size.Expand(2, "output_size"); var k = kernel_size.Expand(2, "kernel_size");
                var d = Conv.Arg(dilation, 1, 2, "dilation"); var p = Conv.Arg(padding, 0, 2, "padding"); var s = Conv.Arg(stride, 1, 2, "stride");
                var win = Window2d.Of(o[0], o[1], k[0], k[1], s[0], s[1], d[0], d[1], p[0], p[1]);
                long n = cols.size(0), kk = k[0] * k[1];
                if (cols.size(1) % kk != 0)
                    throw new ArgumentException($"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)={cols.size(1)} and kernel_size=({k[0]}, {k[1]})");
                if (cols.size(2) != win.OH * win.OW)
                    throw new ArgumentException($"Given output_size=({o[0]}, {o[1]}), kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), expected size of input's dimension 2 to match the calculated number of sliding blocks {win.OH} * {win.OW} = {win.OH * win.OW}, but got input.size(2)={cols.size(2)}.");
                long c = cols.size(1) / kk;
                var r = ConvolutionBackward.Fold(cols, win, c);
                return input.dim() == 3 ? r : r.squeeze(0);
            }
        }
    }
}

/// <summary>The shared forward of every convolution: argument rules, shape checks, the GEMM, the autograd node.</summary>
internal static class Conv
{
    private static bool _warnedSame;

    public static Tensor Forward(string name, int spatial, Tensor input, Tensor weight, Tensor? bias, torch.nn._size_t? stride,
        torch.nn._padding_t? padding, torch.nn._size_t? dilation, long groups)
    {
        var (x, batched) = Batchify(input, spatial, name);
        var s = Arg(stride, 1, spatial, "stride");
        var d = Arg(dilation, 1, spatial, "dilation");
        long[] p;
        if (padding?.Mode is { } mode)
        {
            if (mode == "valid") p = new long[spatial];
            else if (mode == "same")
            {
                if (s.Any(v => v != 1)) throw new ArgumentException("padding='same' is not supported for strided convolutions");
                (x, p) = SamePadding(x, weight, d, spatial);
            }
            else throw new ArgumentException($"Invalid padding string '{mode}', should be one of {{'valid', 'same'}}");
        }
        else p = Arg(padding?.Size, 0, spatial, "padding");
        var y = Convolution(x, weight, bias, new ConvSpec(s, p, d, new long[spatial], false, groups));
        return batched ? y : y.squeeze(0);
    }

    /// <summary>
    /// ATen's _convolution_mode for 'same': total padding d·(k-1) per dim, split with the smaller half first; an
    /// uneven split pads the input's far side by the difference first (constant_pad_nd) and pads the rest symmetrically.
    /// </summary>
    private static (Tensor, long[]) SamePadding(Tensor x, Tensor weight, long[] d, int spatial)
    {
        var left = new long[spatial]; var right = new long[spatial];
        bool symmetric = true;
        for (int i = 0; i < spatial; i++)
        {
            long total = d[i] * (weight.size(i + 2) - 1);
            left[i] = total / 2; right[i] = total - total / 2;
            if (left[i] != right[i]) symmetric = false;
        }
        if (symmetric) return (x, left);
        if (!_warnedSame)
        {
            _warnedSame = true;
            warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the input be created");
        }
        var padNd = new long[2 * spatial];
        for (int i = 0; i < spatial; i++)
        {
            long delta = right[i] - left[i];
            int idx = 2 * (spatial - 1 - i);
            if (delta > 0) padNd[idx + 1] = delta;
            else { padNd[idx] = delta; left[i] = right[i]; }
        }
        return (torch.nn.functional.pad(x, padNd), left);
    }

    /// <summary>ATen's batchify: (C, *) inputs get a batch dim of 1; any other rank is refused with ATen's wording.</summary>
    public static (Tensor x, bool batched) Batchify(Tensor input, int spatial, string name)
    {
        int batchDims = spatial + 2;
        if (input.dim() != batchDims && input.dim() != batchDims - 1)
            throw new ArgumentException($"Expected {batchDims - 1}D (unbatched) or {batchDims}D (batched) input to {name}, but got input of size: {Shapes.Format(input._shape)}");
        return input.dim() == batchDims ? (input, true) : (input.unsqueeze(0), false);
    }

    public static long[] Arg(torch.nn._size_t? v, long dflt, int n, string name) =>
        v is { IsSet: true } a ? a.Expand(n, name) : Enumerable.Repeat(dflt, n).ToArray();

    /// <summary>
    /// at::convolution: checks as check_shape_forward does, computes through im2col and the GEMM (no graph), then
    /// attaches ConvolutionBackward0.
    /// </summary>
    public static Tensor Convolution(Tensor x, Tensor w, Tensor? b, ConvSpec spec)
    {
        CheckShapes(x, w, b, spec);
        bool oneD = x.dim() == 3;
        var spec2 = oneD ? To2d(spec) : spec;
        Tensor y;
        using (new NoGradScope())
        {
            var x4 = oneD ? x.unsqueeze(2) : x;
            var w4 = oneD ? w.unsqueeze(2) : w;
            y = spec2.Transposed ? ConvolutionMath.Transposed(x4, w4, b, spec2) : ConvolutionMath.Direct(x4, w4, b, spec2);
            if (oneD) y = y.squeeze(2);
        }
        return ConvolutionBackward.Record(y, x, w, b, spec2);
    }

    /// <summary>A 1-d spec as the 2-d one over rows of height 1.</summary>
    private static ConvSpec To2d(ConvSpec s) =>
        new([1, s.Stride[0]], [0, s.Padding[0]], [1, s.Dilation[0]], [0, s.OutputPadding[0]], s.Transposed, s.Groups);

    private static string TypeName(Tensor t) => (t.is_cuda ? "CUDA" : "CPU") + Tensor.DTypeTitle(t.dtype) + "Type";

    /// <summary>Convolution.cpp's checks (check_shape_forward and check_input_same_type_as_parameters), with its wording.</summary>
    private static void CheckShapes(Tensor x, Tensor w, Tensor? b, ConvSpec spec)
    {
        int k = x.dim();
        long groups = spec.Groups;
        if (w.dim() != k)
            throw new ArgumentException($"Expected {k}-dimensional input for {w.dim()}-dimensional weight {Shapes.Format(w._shape)}, but got {x.dim()}-dimensional input of size {Shapes.Format(x._shape)} instead");
        if (spec.Padding.Any(p => p < 0)) throw new ArgumentException("negative padding is not supported");
        if (spec.OutputPadding.Any(p => p < 0)) throw new ArgumentException("negative output_padding is not supported");
        if (spec.Stride.Any(s => s <= 0)) throw new ArgumentException("non-positive stride is not supported");
        if (spec.Dilation.Any(d => d <= 0)) throw new ArgumentException("dilation should be greater than zero");
        if (groups <= 0) throw new ArgumentException("non-positive groups is not supported");
        if (w.size(0) < groups)
            throw new ArgumentException($"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of size {Shapes.Format(w._shape)} instead");
        if (w.size(0) % groups != 0)
            throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size {Shapes.Format(w._shape)} instead");
        if (!spec.Transposed)
        {
            if (x.size(1) != w.size(1) * groups)
                throw new ArgumentException($"Given groups={groups}, weight of size {Shapes.Format(w._shape)}, expected input{Shapes.Format(x._shape)} to have {w.size(1) * groups} channels, but got {x.size(1)} channels instead");
            if (b is not null && (b.dim() != 1 || b.size(0) != w.size(0)))
                throw new ArgumentException($"Given weight of size {Shapes.Format(w._shape)}, expected bias to be 1-dimensional with {w.size(0)} elements, but got bias of size {Shapes.Format(b._shape)} instead");
            var padded = new long[k - 2]; var kernel = new long[k - 2];
            for (int i = 0; i < k - 2; i++)
            {
                padded[i] = x.size(i + 2) + 2 * spec.Padding[i];
                kernel[i] = spec.Dilation[i] * (w.size(i + 2) - 1) + 1;
            }
            if (padded.Zip(kernel).Any(pk => pk.First < pk.Second))
                throw new ArgumentException($"Calculated padded input size per channel: ({string.Join(" x ", padded)}). Kernel size: ({string.Join(" x ", kernel)}). Kernel size can't be greater than actual input size");
        }
        else
        {
            if (x.size(1) != w.size(0))
                throw new ArgumentException($"Given transposed=1, weight of size {Shapes.Format(w._shape)}, expected input{Shapes.Format(x._shape)} to have {w.size(0)} channels, but got {x.size(1)} channels instead");
            if (b is not null && (b.dim() != 1 || b.size(0) != w.size(1) * groups))
                throw new ArgumentException($"Given transposed=1, weight of size {Shapes.Format(w._shape)}, expected bias to be 1-dimensional with {w.size(1) * groups} elements, but got bias of size {Shapes.Format(b._shape)} instead");
            for (int i = 0; i < k - 2; i++)
                if (spec.OutputPadding[i] >= spec.Stride[i] && spec.OutputPadding[i] >= spec.Dilation[i])
                    throw new ArgumentException("output padding must be smaller than either stride or dilation, but got " +
                        $"output_padding_height: {spec.OutputPadding[0]} output_padding_width: {spec.OutputPadding[^1]} stride_height: {spec.Stride[0]} stride_width: {spec.Stride[^1]} dilation_height: {spec.Dilation[0]} dilation_width: {spec.Dilation[^1]}");
        }
        if (x.dtype != w.dtype || x.device != w.device)
            throw new InvalidOperationException($"Input type ({TypeName(x)}) and weight type ({TypeName(w)}) should be the same");
        if (b is not null && (x.dtype != b.dtype || x.device != b.device))
            throw new InvalidOperationException($"Input type ({TypeName(x)}) and bias type ({TypeName(b)}) should be the same");
        if (!x.is_floating_point())
            throw new NotSupportedException($"\"slow_conv2d_cpu\" not implemented for '{Tensor.DTypeTitle(x.dtype)}'");
    }
}

/// <summary>
/// The arithmetic of a 2-d convolution as tensor ops (im2col, one batched GEMM over groups, a permute), usable both
/// graph-free for the forward and recorded for a differentiable backward (double backward).
/// </summary>
internal static class ConvolutionMath
{
    public static Window2d DirectWindow(Tensor x, Tensor w, ConvSpec s) =>
        Window2d.Of(x.size(2), x.size(3), w.size(2), w.size(3), s.Stride[0], s.Stride[1], s.Dilation[0], s.Dilation[1], s.Padding[0], s.Padding[1]);

    /// <summary>The output image of a transposed convolution is the input image of the window geometry.</summary>
    public static Window2d TransposedWindow(Tensor x, Tensor w, ConvSpec s)
    {
        long h = x.size(2), wd = x.size(3), kh = w.size(2), kw = w.size(3);
        long oh = (h - 1) * s.Stride[0] - 2 * s.Padding[0] + s.Dilation[0] * (kh - 1) + s.OutputPadding[0] + 1;
        long ow = (wd - 1) * s.Stride[1] - 2 * s.Padding[1] + s.Dilation[1] * (kw - 1) + s.OutputPadding[1] + 1;
        return new Window2d(kh, kw, s.Stride[0], s.Stride[1], s.Dilation[0], s.Dilation[1], s.Padding[0], s.Padding[1], oh, ow, h, wd);
    }

    /// <summary>y = W·im2col(x) (+ b): [G, Cout/G, Cin/G·k] × [G, Cin/G·k, N·L] → (N, Cout, OH, OW).</summary>
    public static Tensor Direct(Tensor x, Tensor w, Tensor? b, ConvSpec s)
    {
        var g = DirectWindow(x, w, s);
        long n = x.size(0), cout = w.size(0), groups = s.Groups;
        if (x.Kernels is IWindowKernels k)
        {
            var fused = Tensor.EmptyForWrite([n, cout, g.OH, g.OW], x.dtype, x.device);
            if (k.ConvForward(x.ContiguousRaw().Buffer, w.ContiguousRaw().Buffer, b?.ContiguousRaw().Buffer, g, groups, fused.Buffer)) return fused;
        }
        return DirectComposed(x, w, b, s);
    }

    /// <summary><see cref="Direct"/> from tensor ops any backend runs (the fused kernels give these bits).</summary>
    internal static Tensor DirectComposed(Tensor x, Tensor w, Tensor? b, ConvSpec s)
    {
        var g = DirectWindow(x, w, s);
        long n = x.size(0), cout = w.size(0), groups = s.Groups;
        var cols = ConvolutionBackward.Im2Col(x, g, SlidingWindow.ConvLayout).view(groups, -1, n * g.OH * g.OW);
        var y = w.reshape(groups, cout / groups, -1).bmm(cols).view(cout, n, g.OH, g.OW).permute(1, 0, 2, 3);
        return b is null ? y.contiguous() : y.add(b.view(1, cout, 1, 1));
    }

    /// <summary>y = col2im(Wᵀ·x) (+ b): the adjoint of <see cref="Direct"/> in x.</summary>
    public static Tensor Transposed(Tensor x, Tensor w, Tensor? b, ConvSpec s)
    {
        var g = TransposedWindow(x, w, s);
        long n = x.size(0), cin = x.size(1), groups = s.Groups, cout = w.size(1) * groups;
        var x3 = x.permute(1, 0, 2, 3).reshape(groups, cin / groups, -1);
        var cols = w.reshape(groups, cin / groups, -1).transpose(1, 2).bmm(x3).view(cout, w.size(2), w.size(3), n, g.OH, g.OW);
        var y = ConvolutionBackward.Col2Im(cols, g, SlidingWindow.ConvLayout, n, cout);
        return b is null ? y : y.add(b.view(1, cout, 1, 1));
    }
}
