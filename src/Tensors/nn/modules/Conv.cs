namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// The shared part of Conv1d/Conv2d/ConvTranspose2d (PyTorch's _ConvNd): argument checks with PyTorch's
        /// wording, parameters created then initialised as reset_parameters does (weight by kaiming_uniform_(a=√5),
        /// then bias by U(-1/√fan_in, 1/√fan_in)), and the repr.
        /// </summary>
        public abstract class _ConvNd : Module
        {
            public long in_channels { get; }
            public long out_channels { get; }
            public long[] kernel_size { get; }
            public long[] stride { get; }
            /// <summary>The numeric padding; (0, ...) for 'valid', the per-dim total/2 for 'same' (see <see cref="padding_string"/>).</summary>
            public long[] padding { get; }
            public string? padding_string { get; }
            public long[] dilation { get; }
            public bool transposed { get; }
            public long[] output_padding { get; }
            public long groups { get; }
            public string padding_mode { get; }
            internal long[] _reversed_padding_repeated_twice { get; }

            public new Tensor weight { get => _parameters["weight"]!; set => SetParameter("weight", value); }
            public new Tensor? bias { get => _parameters["bias"]; set => SetParameter("bias", value); }

            private protected _ConvNd(int n, long in_channels, long out_channels, _size_t kernel_size, _size_t? stride, _padding_t? padding,
                _size_t? dilation, bool transposed, _size_t? output_padding, long groups, bool bias, string padding_mode, Device? device, DType? dtype)
            {
                if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
                if (in_channels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
                if (out_channels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
                this.kernel_size = kernel_size.Expand(n, "kernel_size");
                this.stride = Conv.Arg(stride, 1, n, "stride");
                this.dilation = Conv.Arg(dilation, 1, n, "dilation");
                if (padding?.Mode is { } mode)
                {
                    if (mode != "same" && mode != "valid")
                        throw new ArgumentException($"Invalid padding string '{mode}', should be one of {{'valid', 'same'}}");
                    if (mode == "same" && this.stride.Any(s => s != 1))
                        throw new ArgumentException("padding='same' is not supported for strided convolutions");
                    padding_string = mode;
                }
                if (padding_mode is not ("zeros" or "reflect" or "replicate" or "circular"))
                    throw new ArgumentException($"padding_mode must be one of {{'zeros', 'reflect', 'replicate', 'circular'}}, but got padding_mode='{padding_mode}'");
                this.in_channels = in_channels; this.out_channels = out_channels; this.transposed = transposed;
                this.output_padding = Conv.Arg(output_padding, 0, n, "output_padding");
                this.groups = groups; this.padding_mode = padding_mode;
                var rev = new long[2 * n];
                if (padding_string == "same")
                {
                    this.padding = new long[n];
                    for (int d = 0; d < n; d++)
                    {
                        long total = this.dilation[d] * (this.kernel_size[d] - 1), left = total / 2;
                        this.padding[d] = left;
                        rev[2 * (n - 1 - d)] = left; rev[2 * (n - 1 - d) + 1] = total - left;
                    }
                }
                else
                {
                    this.padding = padding_string is null ? Conv.Arg(padding?.Size, 0, n, "padding") : new long[n];
                    for (int d = 0; d < n; d++) rev[2 * (n - 1 - d)] = rev[2 * (n - 1 - d) + 1] = this.padding[d];
                }
                _reversed_padding_repeated_twice = rev;
                long[] wshape = transposed
                    ? [in_channels, out_channels / groups, .. this.kernel_size]
                    : [out_channels, in_channels / groups, .. this.kernel_size];
                weight = Parameter(torch.empty(wshape, dtype, device));
                this.bias = bias ? Parameter(torch.empty([out_channels], dtype, device)) : null;
                reset_parameters();
            }

            public void reset_parameters()
            {
                init.kaiming_uniform_(weight, a: Math.Sqrt(5));
                if (bias is { } b)
                {
                    var (fanIn, _) = init._calculate_fan_in_and_fan_out(weight);
                    if (fanIn != 0)
                    {
                        double bound = 1 / Math.Sqrt(fanIn);
                        init.uniform_(b, -bound, bound);
                    }
                }
            }

            /// <summary>
            /// Padding modes other than 'zeros' pad the input with F.pad first and convolve without padding, as
            /// PyTorch's _conv_forward does.
            /// </summary>
            private protected (Tensor input, _padding_t padding) PaddedInput(Tensor input)
            {
                if (padding_mode == "zeros") return (input, padding_string is { } s ? (_padding_t)s : (_padding_t)padding);
                return (functional.pad(input, _reversed_padding_repeated_twice, padding_mode), new long[kernel_size.Length]);
            }

            public override string extra_repr()
            {
                var s = $"{in_channels}, {out_channels}, kernel_size={PyRepr.Tuple(kernel_size)}, stride={PyRepr.Tuple(stride)}";
                if (padding_string is { } ps) s += $", padding={ps}";
                else if (padding.Any(p => p != 0)) s += $", padding={PyRepr.Tuple(padding)}";
                if (dilation.Any(d => d != 1)) s += $", dilation={PyRepr.Tuple(dilation)}";
                if (output_padding.Any(p => p != 0)) s += $", output_padding={PyRepr.Tuple(output_padding)}";
                if (groups != 1) s += $", groups={groups}";
                if (bias is null) s += ", bias=False";
                if (padding_mode != "zeros") s += $", padding_mode={padding_mode}";
                return s;
            }
        }

        /// <summary>1-d convolution over (N, C_in, L) or (C_in, L).</summary>
        public class Conv1d(long in_channels, long out_channels, _size_t kernel_size, _size_t? stride = null, _padding_t? padding = null,
            _size_t? dilation = null, long groups = 1, bool bias = true, string padding_mode = "zeros", Device? device = null, DType? dtype = null)
            : _ConvNd(1, in_channels, out_channels, kernel_size, stride, padding, dilation, false, null, groups, bias, padding_mode, device, dtype)
        {
            public override Tensor forward(Tensor input)
            {
                var (x, p) = PaddedInput(input);
                return functional.conv1d(x, weight, bias, stride, p, dilation, groups);
            }
        }

        /// <summary>2-d convolution over (N, C_in, H, W) or (C_in, H, W).</summary>
        public class Conv2d(long in_channels, long out_channels, _size_t kernel_size, _size_t? stride = null, _padding_t? padding = null,
            _size_t? dilation = null, long groups = 1, bool bias = true, string padding_mode = "zeros", Device? device = null, DType? dtype = null)
            : _ConvNd(2, in_channels, out_channels, kernel_size, stride, padding, dilation, false, null, groups, bias, padding_mode, device, dtype)
        {
            public override Tensor forward(Tensor input)
            {
                var (x, p) = PaddedInput(input);
                return functional.conv2d(x, weight, bias, stride, p, dilation, groups);
            }
        }

        /// <summary>Transposed 2-d convolution; weight is (in_channels, out_channels / groups, kH, kW).</summary>
        public class ConvTranspose2d : _ConvNd
        {
            public ConvTranspose2d(long in_channels, long out_channels, _size_t kernel_size, _size_t? stride = null, _size_t? padding = null,
                _size_t? output_padding = null, long groups = 1, bool bias = true, _size_t? dilation = null, string padding_mode = "zeros",
                Device? device = null, DType? dtype = null)
                : base(2, in_channels, out_channels, kernel_size, stride, padding is { } p ? (_padding_t)p.Values : (_padding_t?)null, dilation, true,
                    output_padding, groups, bias, padding_mode, device, dtype)
            {
                if (padding_mode != "zeros") throw new ArgumentException($"Only \"zeros\" padding mode is supported for {GetType().Name}");
            }

            public override Tensor forward(Tensor input) =>
                functional.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation);
        }
    }
}
