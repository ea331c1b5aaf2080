using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Up-samples (N, C, H, W) images by F.interpolate.</summary>
        public class Upsample(_size_t? size = null, double? scale_factor = null, string mode = "nearest", bool? align_corners = null) : Module
        {
            public _size_t? size { get; } = size;
            public double? scale_factor { get; } = scale_factor;
            public string mode { get; } = mode;
            public bool? align_corners { get; } = align_corners;

            public override Tensor forward(Tensor input) => functional.interpolate(input, size, scale_factor, mode, align_corners);

            public override string extra_repr() =>
                (scale_factor is { } s ? $"scale_factor={PyRepr.Float(s)}" : $"size={ArgRepr(size!.Value)}") + $", mode='{mode}'";
        }

        public static partial class functional
        {
            /// <summary>
            /// F.interpolate for 4-d input, modes 'nearest' and 'bilinear': the output size is floor(size · scale_factor)
            /// (or <paramref name="size"/>); a given scale_factor is used as the kernel's scale (1 / scale_factor), as
            /// PyTorch does when recompute_scale_factor is not set.
            /// </summary>
            public static Tensor interpolate(Tensor input, _size_t? size = null, double? scale_factor = null, string mode = "nearest",
                bool? align_corners = null, bool? recompute_scale_factor = null)
            {
                if (mode is not ("nearest" or "bilinear"))
                    throw new NotSupportedException($"interpolate mode '{mode}' is not implemented here (nearest, bilinear are)");
                if (align_corners is not null && mode == "nearest")
                    throw new ArgumentException("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
                if (input.dim() != 4)
                    throw new ArgumentException($"Got {input.dim()}D input, but {mode} mode needs 4D input");
                if (size is not null && scale_factor is not null) throw new ArgumentException("only one of size or scale_factor should be defined");
                if (size is null && scale_factor is null) throw new ArgumentException("either size or scale_factor should be defined");
                long h = input.size(2), w = input.size(3);
                long oh, ow;
                double? scale = recompute_scale_factor == true ? null : scale_factor;
                if (size is { } sz) { var o = sz.Expand(2, "size"); (oh, ow) = (o[0], o[1]); }
                else { oh = (long)Math.Floor(h * scale_factor!.Value); ow = (long)Math.Floor(w * scale_factor!.Value); }
                return mode == "nearest" ? Interpolation.Nearest(input, oh, ow, scale) : Interpolation.Bilinear(input, oh, ow, scale, align_corners ?? false);
            }
        }
    }
}

/// <summary>
/// Nearest and bilinear resampling as gathers along H and W with host-computed source indices and weights (as ATen's
/// UpSample.h computes them, in float for float tensors), so every device runs them; gradients are the adjoint
/// index_adds, themselves differentiable.
/// </summary>
internal static class Interpolation
{
    /// <summary>compute_scales_value: 1/scale when a scale is given, else input/output (rounded to float as opmath float does).</summary>
    private static double Scale(double? scale, long input, long output, bool isDouble) =>
        isDouble ? (scale is > 0 ? 1.0 / scale.Value : (double)input / output)
                 : (scale is > 0 ? (float)(1.0 / scale.Value) : (float)input / output);

    /// <summary>nearest_idx: the same index when sizes agree, dst/2 for doubling, else min(floor(dst·scale), input-1).</summary>
    private static long[] NearestIndices(long input, long output, double? scale, bool isDouble)
    {
        var r = new long[output];
        double s = Scale(scale, input, output, isDouble);
        for (long i = 0; i < output; i++)
            r[i] = output == input ? i : output == 2 * input ? i >> 1
                : Math.Min(isDouble ? (long)Math.Floor(i * s) : (long)MathF.Floor(i * (float)s), input - 1);
        return r;
    }

    public static Tensor Nearest(Tensor x, long oh, long ow, double? scale)
    {
        bool dbl = x.dtype == DType.Float64;
        var ih = torch.tensor(NearestIndices(x.size(2), oh, scale, dbl)).to(x.device);
        var iw = torch.tensor(NearestIndices(x.size(3), ow, scale, dbl)).to(x.device);
        Tensor y;
        using (new NoGradScope()) y = x.index_select(2, ih).index_select(3, iw);
        long h = x.size(2), w = x.size(3);
        return Derivatives.UpsampleNearest2D.Record(y, x, state: (ih, iw));
    }

    /// <summary>Nearest's adjoint: each output's gradient added back onto its source element (columns, then rows).</summary>
    internal static Tensor NearestBackward(BackwardContext c)
    {
        var (ih, iw) = c.state<(Tensor, Tensor)>();
        var (g, s) = (c.grad, c.shape(0));
        var rows = torch.zeros([g.size(0), g.size(1), g.size(2), s[3]], dtype: g.dtype, device: g.device).index_add(3, iw, g);
        return torch.zeros(s, dtype: g.dtype, device: g.device).index_add(2, ih, rows);
    }

    /// <summary>compute_indices_weights_linear: source index i0, i1 = i0 + (i0 &lt; input-1), λ1 = src - i0, λ0 = 1 - λ1.</summary>
    private static (long[] i0, long[] i1, double[] l0, double[] l1) LinearWeights(long input, long output, double? scale, bool alignCorners, bool dbl)
    {
        var (i0, i1, l0, l1) = (new long[output], new long[output], new double[output], new double[output]);
        double s = alignCorners ? (output > 1 ? (double)(input - 1) / (output - 1) : 0) : Scale(scale, input, output, dbl);
        if (!dbl) s = (float)s;
        for (long o = 0; o < output; o++)
        {
            double real;
            if (dbl) { real = alignCorners ? s * o : s * (o + 0.5) - 0.5; }
            else { real = alignCorners ? (float)s * o : (float)s * (o + 0.5f) - 0.5f; }
            if (real < 0) real = 0;
            long a = (long)real;
            i0[o] = a; i1[o] = a + (a < input - 1 ? 1 : 0);
            double lambda = Math.Min(Math.Max(real - a, 0), 1);
            l1[o] = dbl ? lambda : (float)lambda;
            l0[o] = dbl ? 1 - lambda : 1f - (float)lambda;
        }
        return (i0, i1, l0, l1);
    }

    public static Tensor Bilinear(Tensor x, long oh, long ow, double? scale, bool alignCorners)
    {
        bool dbl = x.dtype == DType.Float64;
        var (h0, h1, hl0, hl1) = LinearWeights(x.size(2), oh, scale, alignCorners, dbl);
        var (w0, w1, wl0, wl1) = LinearWeights(x.size(3), ow, scale, alignCorners, dbl);
        Tensor T(long[] v) => torch.tensor(v).to(x.device);
        Tensor W(double[] v, params long[] shape) => torch.tensor(v, dtype: x.dtype).to(x.device).view(shape);
        var (th0, th1, tw0, tw1) = (T(h0), T(h1), T(w0), T(w1));
        var (ch0, ch1) = (W(hl0, oh, 1), W(hl1, oh, 1));
        var (cw0, cw1) = (W(wl0, ow), W(wl1, ow));
        Tensor y;
        using (new NoGradScope())
        {
            // Rows first: t = x[h, w0]·λw0 + x[h, w1]·λw1, then t_h0·λh0 + t_h1·λh1 (ATen's Interpolate<2> nesting).
            Tensor Row(Tensor idx)
            {
                var r = x.index_select(2, idx);
                return r.index_select(3, tw0) * cw0 + r.index_select(3, tw1) * cw1;
            }
            y = Row(th0) * ch0 + Row(th1) * ch1;
        }
        return Derivatives.UpsampleBilinear2D.Record(y, x, state: new BilinearArgs(th0, th1, tw0, tw1, ch0, ch1, cw0, cw1));
    }

    /// <summary>Bilinear's adjoint: the gradient weighted by λh into rows h0/h1, then by λw into columns w0/w1.</summary>
    internal static Tensor BilinearBackward(BackwardContext c)
    {
        var a = c.state<BilinearArgs>();
        var (g, s) = (c.grad, c.shape(0));
        long n = g.size(0), ch = g.size(1);
        var rows = torch.zeros([n, ch, s[2], g.size(3)], dtype: g.dtype, device: g.device).index_add(2, a.H0, g * a.LH0).index_add(2, a.H1, g * a.LH1);
        return torch.zeros(s, dtype: g.dtype, device: g.device).index_add(3, a.W0, rows * a.LW0).index_add(3, a.W1, rows * a.LW1);
    }
}

/// <summary>Bilinear's source rows/columns and their weights (λ as (OH, 1) and (OW) tensors).</summary>
internal sealed record BilinearArgs(Tensor H0, Tensor H1, Tensor W0, Tensor W1, Tensor LH0, Tensor LH1, Tensor LW0, Tensor LW1);
