namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How PyTorch's pooling reprs print an argument: as given (an int stays an int, a tuple a tuple).</summary>
        internal static string ArgRepr(_size_t v) => v.Values.Length == 1 ? v.Values[0].ToString() : PyRepr.Tuple(v.Values);

        /// <summary>The arguments and repr shared by MaxPool1d and MaxPool2d (pooling.py's _MaxPoolNd).</summary>
        public abstract class _MaxPoolNd(_size_t kernel_size, _size_t? stride, _size_t? padding, _size_t? dilation,
            bool return_indices, bool ceil_mode) : Module
        {
            public _size_t kernel_size { get; } = kernel_size;
            public _size_t stride { get; } = stride ?? kernel_size;
            public _size_t padding { get; } = padding ?? 0;
            public _size_t dilation { get; } = dilation ?? 1;
            public bool return_indices { get; } = return_indices;
            public bool ceil_mode { get; } = ceil_mode;

            /// <summary>The pooled output and the flat indices of each window's maximum.</summary>
            public abstract (Tensor output, Tensor indices) forward_with_indices(Tensor input);

            private protected abstract Tensor Pool(Tensor input);

            public override Tensor forward(Tensor input)
            {
                // A C# call returns one tensor: PyTorch's (output, indices) pair is forward_with_indices.
                if (return_indices) throw new InvalidOperationException($"{GetType().Name}(return_indices=True) returns (output, indices): call forward_with_indices(input)");
                return Pool(input);
            }

            public override string extra_repr() =>
                $"kernel_size={ArgRepr(kernel_size)}, stride={ArgRepr(stride)}, padding={ArgRepr(padding)}, dilation={ArgRepr(dilation)}, ceil_mode={PyRepr.Bool(ceil_mode)}";
        }

        /// <summary>
        /// 2-d max pooling. With return_indices, call <see cref="_MaxPoolNd.forward_with_indices"/> (Python's <c>y, indices = m(x)</c>);
        /// forward/call then refuse, since a C# call returns one tensor.
        /// </summary>
        public class MaxPool2d(_size_t kernel_size, _size_t? stride = null, _size_t? padding = null, _size_t? dilation = null,
            bool return_indices = false, bool ceil_mode = false) : _MaxPoolNd(kernel_size, stride, padding, dilation, return_indices, ceil_mode)
        {
            private protected override Tensor Pool(Tensor input) => functional.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode);

            public override (Tensor output, Tensor indices) forward_with_indices(Tensor input) =>
                functional.max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode);
        }

        /// <summary>1-d max pooling over (N, C, L) or (C, L).</summary>
        public class MaxPool1d(_size_t kernel_size, _size_t? stride = null, _size_t? padding = null, _size_t? dilation = null,
            bool return_indices = false, bool ceil_mode = false) : _MaxPoolNd(kernel_size, stride, padding, dilation, return_indices, ceil_mode)
        {
            private protected override Tensor Pool(Tensor input) => functional.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode);

            public override (Tensor output, Tensor indices) forward_with_indices(Tensor input) =>
                functional.max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode);
        }

        public class AvgPool2d(_size_t kernel_size, _size_t? stride = null, _size_t? padding = null, bool ceil_mode = false,
            bool count_include_pad = true, long? divisor_override = null) : Module
        {
            public _size_t kernel_size { get; } = kernel_size;
            public _size_t stride { get; } = stride ?? kernel_size;
            public _size_t padding { get; } = padding ?? 0;
            public bool ceil_mode { get; } = ceil_mode;
            public bool count_include_pad { get; } = count_include_pad;
            public long? divisor_override { get; } = divisor_override;

            public override Tensor forward(Tensor input) =>
                functional.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);

            public override string extra_repr() => $"kernel_size={ArgRepr(kernel_size)}, stride={ArgRepr(stride)}, padding={ArgRepr(padding)}";
        }

        /// <summary>1-d average pooling; as in PyTorch its arguments are kept as 1-tuples (repr: kernel_size=(2,)).</summary>
        public class AvgPool1d(_size_t kernel_size, _size_t? stride = null, _size_t? padding = null, bool ceil_mode = false,
            bool count_include_pad = true) : Module
        {
            public long[] kernel_size { get; } = kernel_size.Expand(1, "kernel_size");
            public long[] stride { get; } = (stride ?? kernel_size).Expand(1, "stride");
            public long[] padding { get; } = (padding ?? 0).Expand(1, "padding");
            public bool ceil_mode { get; } = ceil_mode;
            public bool count_include_pad { get; } = count_include_pad;

            public override Tensor forward(Tensor input) =>
                functional.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad);

            public override string extra_repr() => $"kernel_size={PyRepr.Tuple(kernel_size)}, stride={PyRepr.Tuple(stride)}, padding={PyRepr.Tuple(padding)}";
        }

        public class AdaptiveAvgPool2d(_size_t output_size) : Module
        {
            public _size_t output_size { get; } = output_size;
            public override Tensor forward(Tensor input) => functional.adaptive_avg_pool2d(input, output_size);
            public override string extra_repr() => $"output_size={ArgRepr(output_size)}";
        }

        public class AdaptiveMaxPool2d(_size_t output_size, bool return_indices = false) : Module
        {
            public _size_t output_size { get; } = output_size;
            public bool return_indices { get; } = return_indices;

            public override Tensor forward(Tensor input)
            {
                if (return_indices) throw new InvalidOperationException("AdaptiveMaxPool2d(return_indices=True) returns (output, indices): call forward_with_indices(input)");
                return functional.adaptive_max_pool2d(input, output_size);
            }

            public (Tensor output, Tensor indices) forward_with_indices(Tensor input) => functional.adaptive_max_pool2d_with_indices(input, output_size);

            public override string extra_repr() => $"output_size={ArgRepr(output_size)}";
        }
    }
}
