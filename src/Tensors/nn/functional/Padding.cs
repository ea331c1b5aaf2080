using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// F.pad: <paramref name="pad"/> lists (before, after) pairs starting from the last dimension. 'constant'
            /// pads with <paramref name="value"/> (negative amounts crop); 'reflect', 'replicate' and 'circular' pad the
            /// last 1-3 dims of a batched or unbatched input by reading it at mirrored, clamped or wrapped positions.
            /// </summary>
            public static Tensor pad(Tensor input, long[] pad, string mode = "constant", double? value = null)
            {
                if (pad.Length % 2 != 0) throw new ArgumentException("Padding length must be divisible by 2");
                if (pad.Length / 2 > input.dim())
                    throw new ArgumentException($"Padding length should be less than or equal to two times the input dimension but got padding length {pad.Length} and input of dimension {input.dim()}");
                if (mode == "constant") return Padding.Constant(input, pad, value ?? 0.0);
                if (value is not null && value != 0)
                    throw new ArgumentException($"Padding mode \"{mode}\" doesn't take in value argument");
                return mode switch
                {
                    "reflect" or "replicate" or "circular" => Padding.Indexed(input, pad, mode),
                    _ => throw new NotSupportedException($"Unrecognised padding mode {mode}"),
                };
            }

            public static Tensor pad(Tensor input, int[] pad, string mode = "constant", double? value = null) =>
                functional.pad(input, Array.ConvertAll(pad, p => (long)p), mode, value);
        }
    }
}

/// <summary>F.pad's kernels: constant_pad_nd, and the index-reading pads (reflection, replication, circular).</summary>
internal static class Padding
{
    /// <summary>constant_pad_nd: a frame filled with value, the input copied into its interior (negative pads crop).</summary>
    public static Tensor Constant(Tensor x, long[] pad, double value)
    {
        int k = pad.Length / 2;
        var shape = (long[])x._shape.Clone();
        for (int i = 0; i < k; i++)
        {
            int d = x.dim() - 1 - i;
            shape[d] = x._shape[d] + pad[2 * i] + pad[2 * i + 1];
            if (shape[d] < 0)
                throw new ArgumentException($"The input size {x._shape[d]}, plus negative padding {pad[2 * i]} and {pad[2 * i + 1]} resulted in a negative output size, which is invalid. Check dimension {d} of your input.");
        }
        var r = Tensor.Empty(shape, x.dtype, x.device);
        r.Kernels.Fill(r.Buffer, value);
        // The overlap of input and output: in each padded dim, input [max(0,-before), size - max(0,-after)) goes to max(0,before).
        Tensor src = x, dst = r;
        for (int i = 0; i < k; i++)
        {
            int d = x.dim() - 1 - i;
            long before = pad[2 * i], after = pad[2 * i + 1];
            long srcStart = Math.Max(0, -before), srcEnd = x._shape[d] - Math.Max(0, -after);
            if (srcEnd <= srcStart) { src = null!; break; }
            src = src.Narrowed(d, srcStart, srcEnd, 1);
            dst = dst.Narrowed(d, Math.Max(0, before), Math.Max(0, before) + (srcEnd - srcStart), 1);
        }
        if (src is not null) r.Kernels.Copy(src.Buffer, dst.Buffer);
        return Derivatives.ConstantPadNd.Record(r, x, ints: pad);
    }

    /// <summary>
    /// Reflection/replication/circular padding as a gather along each padded dim (index_select with positions
    /// computed once on the host), recorded as ATen's ReflectionPad2DBackward0 etc.; the backward is the adjoint
    /// (index_add of the gradient into zeros), itself differentiable.
    /// </summary>
    public static Tensor Indexed(Tensor x, long[] pad, string mode)
    {
        int k = pad.Length / 2;
        if (k < 1 || k > 3 || x.dim() < k + 1 || x.dim() > k + 2)
            throw new NotSupportedException($"Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        var indices = new (int dim, Tensor index)[k];
        for (int i = 0; i < k; i++)
        {
            int d = x.dim() - 1 - i;
            long n = x._shape[d], before = pad[2 * i], after = pad[2 * i + 1];
            if (mode == "reflect" && (before >= n || after >= n))
                throw new ArgumentException($"Argument #4: Padding size should be less than the corresponding input dimension, but got: padding ({before}, {after}) at dimension {d} of input {Shapes.Format(x._shape)}");
            if (mode == "circular" && (before > n || after > n))
                throw new ArgumentException("Padding value causes wrapping around more than once.");
            var idx = new long[n + before + after];
            for (long o = 0; o < idx.Length; o++)
            {
                long p = o - before;
                idx[o] = mode switch
                {
                    "reflect" => p < 0 ? -p : p >= n ? 2 * (n - 1) - p : p,
                    "replicate" => Math.Clamp(p, 0, n - 1),
                    _ => ((p % n) + n) % n,
                };
            }
            indices[i] = (d, torch.tensor(idx).to(x.device));
        }
        Tensor r;
        using (new NoGradScope())
        {
            r = x;
            foreach (var (d, index) in indices) r = r.index_select(d, index);
        }
        var row = (mode, k) switch
        {
            ("reflect", 1) => Derivatives.ReflectionPad1D, ("reflect", 2) => Derivatives.ReflectionPad2D, ("reflect", _) => Derivatives.ReflectionPad3D,
            ("replicate", 1) => Derivatives.ReplicationPad1D, ("replicate", 2) => Derivatives.ReplicationPad2D, ("replicate", _) => Derivatives.ReplicationPad3D,
            (_, 1) => Derivatives.CircularPad1D, (_, 2) => Derivatives.CircularPad2D, _ => Derivatives.CircularPad3D,
        };
        return row.Record(r, x, state: indices);
    }

    /// <summary>The adjoint of the index-reading pads: the gradient index_added back along each padded dim, last first.</summary>
    internal static Tensor IndexedBackward(BackwardContext c)
    {
        var indices = c.state<(int dim, Tensor index)[]>();
        var inShape = c.shape(0);
        var gi = c.grad;
        for (int i = indices.Length - 1; i >= 0; i--)
        {
            var (d, index) = indices[i];
            var shape = (long[])gi._shape.Clone();
            shape[d] = inShape[d];
            gi = torch.zeros(shape, dtype: gi.dtype, device: gi.device).index_add(d, index, gi);
        }
        return gi;
    }
}
