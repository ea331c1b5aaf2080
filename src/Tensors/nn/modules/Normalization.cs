using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Batch normalisation over dim 1 (PyTorch's _BatchNorm): batch statistics while training (running stats
        /// updated with momentum, unbiased variance), running statistics in eval mode. Subclasses check the rank.
        /// </summary>
        public abstract class _BatchNorm : Module
        {
            public long num_features { get; }
            public double eps { get; }
            public double? momentum { get; }
            public bool affine { get; }
            public bool track_running_stats { get; }

            public new Tensor? weight { get => _parameters.GetValueOrDefault("weight"); set => SetParameter("weight", value); }
            public new Tensor? bias { get => _parameters.GetValueOrDefault("bias"); set => SetParameter("bias", value); }
            public Tensor? running_mean => _buffers.GetValueOrDefault("running_mean");
            public Tensor? running_var => _buffers.GetValueOrDefault("running_var");
            public Tensor? num_batches_tracked => _buffers.GetValueOrDefault("num_batches_tracked");

            private protected _BatchNorm(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true)
            {
                this.num_features = num_features; this.eps = eps; this.momentum = momentum;
                this.affine = affine; this.track_running_stats = track_running_stats;
                if (affine)
                {
                    weight = Parameter(torch.ones(num_features));
                    bias = Parameter(torch.zeros(num_features));
                }
                if (track_running_stats)
                {
                    register_buffer("running_mean", torch.zeros(num_features));
                    register_buffer("running_var", torch.ones(num_features));
                    register_buffer("num_batches_tracked", torch.tensor(0L));
                }
            }

            public override Tensor forward(Tensor input)
            {
                _check_input_dim(input);
                double factor = momentum ?? 0.0;
                if (training && track_running_stats)
                {
                    using (new NoGradScope()) num_batches_tracked!.add_(1);
                    factor = momentum ?? 1.0 / num_batches_tracked!.item<long>();
                }
                bool useBatch = training || !track_running_stats;
                return functional.batch_norm(input, useBatch ? (training ? running_mean : null) : running_mean,
                    useBatch ? (training ? running_var : null) : running_var, weight, bias, useBatch, factor, eps);
            }

            protected abstract void _check_input_dim(Tensor input);

            public override string extra_repr() =>
                $"{num_features}, eps={PyRepr.Float(eps)}, momentum={(momentum is { } m ? PyRepr.Float(m) : "None")}, affine={PyRepr.Bool(affine)}, track_running_stats={PyRepr.Bool(track_running_stats)}";
        }

        /// <summary>Batch normalisation over (N, C) or (N, C, L).</summary>
        public class BatchNorm1d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true)
            : _BatchNorm(num_features, eps, momentum, affine, track_running_stats)
        {
            protected override void _check_input_dim(Tensor input)
            {
                if (input.dim() != 2 && input.dim() != 3)
                    throw new ArgumentException($"expected 2D or 3D input (got {input.dim()}D input)");
            }
        }

        /// <summary>Batch normalisation over (N, C, H, W): one mean and variance per channel over N·H·W values.</summary>
        public class BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true)
            : _BatchNorm(num_features, eps, momentum, affine, track_running_stats)
        {
            protected override void _check_input_dim(Tensor input)
            {
                if (input.dim() != 4) throw new ArgumentException($"expected 4D input (got {input.dim()}D input)");
            }
        }

        /// <summary>Normalises over the last dimensions (normalized_shape) of each sample; biased variance, no running stats.</summary>
        public class LayerNorm : Module
        {
            public long[] normalized_shape { get; }
            public double eps { get; }
            public bool elementwise_affine { get; }

            public new Tensor? weight { get => _parameters.GetValueOrDefault("weight"); set => SetParameter("weight", value); }
            public new Tensor? bias { get => _parameters.GetValueOrDefault("bias"); set => SetParameter("bias", value); }

            public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, bool bias = true)
            {
                this.normalized_shape = normalized_shape; this.eps = eps; this.elementwise_affine = elementwise_affine;
                if (elementwise_affine)
                {
                    weight = Parameter(torch.ones(normalized_shape));
                    this.bias = bias ? Parameter(torch.zeros(normalized_shape)) : null;
                }
            }

            public LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, bool bias = true)
                : this([normalized_shape], eps, elementwise_affine, bias) { }

            public override Tensor forward(Tensor input) => functional.layer_norm(input, normalized_shape, weight, bias, eps);

            public override string extra_repr() => $"{PyRepr.Tuple(normalized_shape)}, eps={PyRepr.Float(eps)}, elementwise_affine={PyRepr.Bool(elementwise_affine)}";
        }

        public static partial class functional
        {
            /// <summary>
            /// Batch norm as ATen's CPU kernel: out = x·α + β with α = invstd·w, β = b - mean·α; while training the
            /// running stats become (1 - momentum)·old + momentum·batch (the variance unbiased).
            /// </summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5)
            {
                var dims = Enumerable.Range(0, input.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
                var bshape = Enumerable.Range(0, input.dim()).Select(d => d == 1 ? input.size(1) : 1L).ToArray();
                long n = input.numel() / input.size(1);
                if (training && n <= 1)
                    throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {input.shape}");
                Tensor mean, invstd;
                using (new NoGradScope())
                {
                    if (training)
                    {
                        mean = input.mean(dims);
                        var varSum = (input - mean.view(bshape)).square().sum(dims);
                        invstd = (varSum / n + eps).rsqrt();
                        if (running_mean is not null) running_mean.copy_(mean * momentum + running_mean * (1 - momentum));
                        if (running_var is not null) running_var.copy_(varSum / (n - 1) * momentum + running_var * (1 - momentum));
                    }
                    else
                    {
                        mean = running_mean ?? throw new ArgumentException("running_mean must be defined in evaluation mode");
                        invstd = (running_var! + eps).rsqrt();
                    }
                }
                return Normalize(Derivatives.NativeBatchNorm, input, mean.view(bshape), invstd.view(bshape), weight?.view(bshape), bias?.view(bshape), dims, training);
            }

            /// <summary>
            /// Batch norm's x·α + β (α, β of shape (1, C, 1, …)) in one pass where the backend has the kernel, with
            /// the composed path's bits; null where it has not (the caller composes it).
            /// </summary>
            private static Tensor? ChannelAffine(Tensor x, Tensor alpha, Tensor beta)
            {
                if (x.Kernels is not Backend.INormKernels k || x.dim() < 2 || !x.is_contiguous()) return null;
                long c = x.size(1);
                if (alpha.numel() != c || beta.numel() != c || alpha.dtype != x.dtype || beta.dtype != x.dtype) return null;
                var y = Tensor.EmptyForWrite(x._shape, x.dtype, x.device);
                return k.ChannelAffine(x.Buffer, alpha.Buffer, beta.Buffer, y.Buffer) ? y : null;
            }

            public static Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                int k = normalized_shape.Length;
                if (input.dim() < k || !input._shape[^k..].AsSpan().SequenceEqual(normalized_shape))
                    throw new ArgumentException(
                        $"Given normalized_shape={PyRepr.Tuple(normalized_shape).Replace("(", "[").Replace(",)", "]").Replace(")", "]")}, expected input with shape [*, {string.Join(", ", normalized_shape)}], but got input of size{input.shape.ToString()["torch.Size(".Length..^1]}");
                var dims = Enumerable.Range(input.dim() - k, k).Select(d => (long)d).ToArray();
                Tensor mean, rstd;
                using (new NoGradScope())
                {
                    mean = input.mean(dims, keepdim: true);
                    rstd = ((input - mean).square().mean(dims, keepdim: true) + eps).rsqrt();
                }
                return Normalize(Derivatives.NativeLayerNorm, input, mean, rstd, weight, bias, dims, true);
            }

            /// <summary>
            /// (x - mean)·invstd·w + b with one node; with batch statistics the backward includes their dependence on x:
            /// dx = invstd·(dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)) over the reduced dims.
            /// </summary>
            private static Tensor Normalize(Derivative row, Tensor x, Tensor mean, Tensor invstd, Tensor? w, Tensor? b, long[] dims, bool batchStats)
            {
                Tensor r;
                using (new NoGradScope())
                {
                    var alpha = w is null ? invstd : invstd * w;
                    var beta = b is null ? -mean * alpha : b - mean * alpha;
                    r = (ReferenceEquals(row, Derivatives.NativeBatchNorm) ? ChannelAffine(x, alpha, beta) : null) ?? x * alpha + beta;
                }
                ReadOnlySpan<Tensor?> inputs = [x, w, b];
                foreach (var t in inputs)
                    if (t is { _requiresGrad: true } && GradMode.Enabled)
                        return row.Record(r, inputs, state: new NormalizeArgs(mean, invstd, w, b is not null, dims, batchStats));
                return r;
            }
        }
    }
}
