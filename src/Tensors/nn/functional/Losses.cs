using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        // Losses. Single-kernel losses (mse, smooth_l1, binary_cross_entropy(_with_logits), nll) have their own node
        // with derivatives.yaml's formula; l1_loss and cross_entropy are composite in ATen and are composite here.
        public static partial class functional
        {
            private static Tensor Reduce(Tensor loss, string reduction) => reduction switch
            {
                "mean" => loss.mean(),
                "sum" => loss.sum(),
                "none" => loss,
                _ => throw new ArgumentException($"{reduction} is not a valid value for reduction"),
            };

            /// <summary>The factor ATen's backward kernels scale by: 1/numel for a mean, 1 otherwise.</summary>
            private static double MeanNorm(Tensor input, string reduction) => reduction == "mean" ? 1.0 / input.numel() : 1.0;

            private static void CheckReduction(string reduction)
            {
                if (reduction is not ("mean" or "sum" or "none"))
                    throw new ArgumentException($"{reduction} is not a valid value for reduction");
            }

            private static void WarnSizeMismatch(Tensor input, Tensor target)
            {
                if (Shapes.SameShape(input._shape, target._shape)) return;
                warnings.warn(
                    $"Using a target size ({target.shape}) that is different to the input size ({input.shape}). " +
                    "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
            }

            /// <summary>
            /// torch.broadcast_tensors' operand: ATen's expand_outplace returns a tensor that already has the shape
            /// as itself, so no ExpandBackward0 enters the graph (mse_loss's grad_fn leads straight to the producer).
            /// </summary>
            private static Tensor BroadcastTo(Tensor t, long[] shape) => Shapes.SameShape(t._shape, shape) ? t : t.expand(shape);

            /// <summary>Mean squared error between input and target (reduction "mean", "sum" or "none").</summary>
            public static Tensor mse_loss(Tensor input, Tensor target, string reduction = "mean")
            {
                CheckReduction(reduction);
                WarnSizeMismatch(input, target);
                var shape = Shapes.Broadcast(input._shape, target._shape);
                var (a, b) = (BroadcastTo(input, shape), BroadcastTo(target, shape));
                Tensor r;
                using (new NoGradScope())
                {
                    var d = a - b;
                    r = Reduce(d * d, reduction);
                }
                // mse_loss_backward: norm * (input - target) * grad, norm = 2/numel for a mean.
                double norm = 2 * MeanNorm(a, reduction);
                return Derivatives.MseLoss.Record(r, a, b, scalar: norm);
            }

            /// <summary>|input - target| reduced; composite in ATen (so a mean's grad_fn is MeanBackward0).</summary>
            public static Tensor l1_loss(Tensor input, Tensor target, string reduction = "mean")
            {
                CheckReduction(reduction);
                WarnSizeMismatch(input, target);
                return Reduce((input - target).abs(), reduction);
            }

            /// <summary>
            /// Smooth L1: 0.5·z²/beta where z = |input - target| &lt; beta, else z - 0.5·beta (smooth_l1_kernel,
            /// BinaryOpsKernel.cpp, in the input's dtype); beta = 0 is l1_loss, as torch.nn.functional does.
            /// </summary>
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, string reduction = "mean", double beta = 1.0)
            {
                CheckReduction(reduction);
                if (beta < 0) throw new ArgumentException("smooth_l1_loss does not support negative values for beta.");
                WarnSizeMismatch(input, target);
                if (beta == 0) return l1_loss(input, target, reduction);
                var shape = Shapes.Broadcast(input._shape, target._shape);
                var (a, b) = (BroadcastTo(input, shape), BroadcastTo(target, shape));
                double bt = InDType(beta, a.dtype);
                Tensor r;
                using (new NoGradScope())
                {
                    var z = (a - b).abs();
                    r = Reduce(torch.where(z < bt, z * z * 0.5 / bt, z - 0.5 * bt), reduction);
                }
                double norm = MeanNorm(a, reduction);
                return GradMode.ShouldRecord(a, b) ? Derivatives.SmoothL1Loss.Record(r, a, b, state: (norm, beta)) : r;
            }

            /// <summary>
            /// Huber: 0.5·z² where z = |input - target| &lt; delta, else delta·(z - 0.5·delta) (huber_kernel,
            /// BinaryOpsKernel.cpp). It equals delta · smooth_l1_loss(beta = delta).
            /// </summary>
            public static Tensor huber_loss(Tensor input, Tensor target, string reduction = "mean", double delta = 1.0)
            {
                CheckReduction(reduction);
                WarnSizeMismatch(input, target);
                if (!(delta > 0)) throw new ArgumentException("huber_loss does not support non-positive values for delta.");
                var shape = Shapes.Broadcast(input._shape, target._shape);
                var (a, b) = (BroadcastTo(input, shape), BroadcastTo(target, shape));
                double dt = InDType(delta, a.dtype);
                Tensor r;
                using (new NoGradScope())
                {
                    var z = (a - b).abs();
                    r = Reduce(torch.where(z < dt, z * 0.5 * z, (z - 0.5 * dt) * dt), reduction);
                }
                double norm = MeanNorm(a, reduction);
                return GradMode.ShouldRecord(a, b) ? Derivatives.HuberLoss.Record(r, a, b, state: (norm, delta)) : r;
            }

            /// <summary>A double as the kernel holds it: <c>scalar_t beta_val(beta)</c>.</summary>
            private static double InDType(double v, DType dt) => dt == DType.Float32 ? (float)v : v;

            /// <summary>
            /// smooth_l1_backward / huber_backward (PointwiseOpsKernel.cpp), grad_input from (input, target, grad_output),
            /// norm = 1/numel for a mean. cpu_kernel_vec runs its vector lambda over whole pairs of vectors (AVX2: 8 floats
            /// or 4 doubles each) and the scalar lambda on the rest, and the two associate differently:
            /// smooth L1's linear part is norm·(x/beta)·g vectorised but (norm·x·g)/beta scalar, the division by the
            /// double beta; Huber's clamped part is norm·(±delta)·g vectorised but (±norm·g)·delta scalar, in double.
            /// The scalar lambda also compares x with ±beta in double. The target's gradient is this one negated (the
            /// same kernel with the operands swapped sees -x). The split follows the flattened tensor: exact for
            /// contiguous operands; ATen splits broadcast or strided ones per coalesced row instead. Under create_graph
            /// or off the CPU the scalar formula is built from differentiable ops.
            /// </summary>
            internal static Tensor PointwiseLossBackward(Tensor input, Tensor target, Tensor g, double norm, double p, bool huber)
            {
                var dt = input.dtype;
                var gx = g.expand(input._shape);
                if (GradMode.Enabled || !input.is_cpu || dt.Kind is not (ScalarType.Float32 or ScalarType.Float64))
                {
                    var x = input - target;
                    var n = torch.full([], norm, dtype: dt, device: input.device);
                    if (huber)
                        return torch.where(x <= -p, -n * gx * p, torch.where(x >= p, n * gx * p, n * x * gx));
                    return torch.where(x <= -p, -n * gx, torch.where(x >= p, n * gx, n * x * gx / p));
                }
                var xs = input.ToArray<double>(); var ts = target.ToArray<double>(); var gs = gx.ToArray<double>();
                int len = xs.Length, lanes = dt == DType.Float32 ? 8 : 4;
                int vectorised = len / (2 * lanes) * (2 * lanes);
                var r = new double[len];
                if (dt == DType.Float32)
                {
                    float nf = (float)norm, pf = (float)p;
                    for (int i = 0; i < len; i++)
                    {
                        float x = (float)xs[i] - (float)ts[i], gv = (float)gs[i];
                        if (i < vectorised)
                        {
                            float sign = x > 0 ? 1 : -1;
                            float o = huber ? (MathF.Abs(x) >= pf ? sign * pf : x) : (MathF.Abs(x) >= pf ? sign : x / pf);
                            r[i] = nf * o * gv;
                        }
                        else if (huber)
                            r[i] = x <= -p ? (float)(-nf * gv * p) : x >= p ? (float)(nf * gv * p) : nf * x * gv;
                        else
                            r[i] = x <= -p ? -nf * gv : x >= p ? nf * gv : (float)(nf * x * gv / p);
                    }
                }
                else
                {
                    for (int i = 0; i < len; i++)
                    {
                        double x = xs[i] - ts[i], gv = gs[i];
                        if (i < vectorised)
                        {
                            double sign = x > 0 ? 1 : -1;
                            double o = huber ? (Math.Abs(x) >= p ? sign * p : x) : (Math.Abs(x) >= p ? sign : x / p);
                            r[i] = norm * o * gv;
                        }
                        else if (huber)
                            r[i] = x <= -p ? -norm * gv * p : x >= p ? norm * gv * p : norm * x * gv;
                        else
                            r[i] = x <= -p ? -norm * gv : x >= p ? norm * gv : norm * x * gv / p;
                    }
                }
                var res = torch.tensor(r).to(dt);
                return res.reshape(input._shape);
            }

            /// <summary>Binary cross entropy between probabilities (input) and targets in [0, 1].</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
            {
                CheckReduction(reduction);
                if (!Shapes.SameShape(input._shape, target._shape))
                    throw new ArgumentException(
                        $"Using a target size ({target.shape}) that is different to the input size ({input.shape}) is deprecated. Please ensure they have the same size.");
                if (input.lt(0).logical_or(input.gt(1)).any().item<bool>())
                    throw new InvalidOperationException("all elements of input should be between 0 and 1");
                var w = weight?.expand(input._shape);
                Tensor r;
                using (new NoGradScope())
                {
                    // (target - 1) * max(log1p(-input), -100) - target * max(log(input), -100), as the CPU kernel.
                    var loss = (target - 1) * (-input).log1p().clamp_min(-100) - target * input.log().clamp_min(-100);
                    if (w is not null) loss = loss * w;
                    r = Reduce(loss, reduction);
                }
                double norm = MeanNorm(input, reduction);
                return w is null
                    ? Derivatives.BinaryCrossEntropy.Record(r, [input, target], scalar: norm)
                    : Derivatives.BinaryCrossEntropy.Record(r, [input, target, w], scalar: norm);
            }

            /// <summary>Binary cross entropy of sigmoid(input) against target, computed stably from logits.</summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean", Tensor? pos_weight = null)
            {
                CheckReduction(reduction);
                if (!Shapes.SameShape(input._shape, target._shape))
                    throw new ArgumentException($"Target size ({target.shape}) must be the same as input size ({input.shape})");
                Tensor r;
                using (new NoGradScope())
                {
                    // ATen: log_sigmoid(x) = min(0, x) - log1p(exp(-|x|)); loss = (1 - t)·x - log_sigmoid(x)·(1 + (pw - 1)·t).
                    var logSig = torch.minimum(input, torch.zeros([], dtype: input.dtype)) - (-input.abs()).exp().log1p();
                    if (pos_weight is not null) logSig = logSig * ((pos_weight - 1) * target + 1);
                    var loss = (-target + 1) * input - logSig;
                    if (weight is not null) loss = loss * weight;
                    r = Reduce(loss, reduction);
                }
                double norm = MeanNorm(input, reduction);
                if (!GradMode.ShouldRecord(input, target)) return r;
                return Derivatives.BinaryCrossEntropyWithLogits.Record(r, [input, target], [weight, pos_weight], scalar: norm,
                    state: (weight is not null, pos_weight is not null));
            }

            /// <summary>
            /// Negative log likelihood of class indices. The sum over the batch uses ATen's cascaded summation
            /// (nll_loss_out_frame), so a mean reduction rounds as PyTorch's does.
            /// </summary>
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, string reduction = "mean")
            {
                CheckReduction(reduction);
                if (input.dim() < 1) throw new ArgumentException($"input tensor should be 1D or 2D");
                if (target.dtype != DType.Int64 && target.dtype != DType.UInt8)
                    throw new InvalidOperationException($"expected scalar type Long but found {DTypeName(target.dtype)}");
                if (input.dim() > 2)
                {
                    // (N, C, d1, ...) → (N·d1·..., C); the result keeps (N, d1, ...) for reduction "none".
                    long n = input.size(0), c = input.size(1);
                    if (target.dim() != input.dim() - 1 || target.size(0) != n)
                        throw new ArgumentException($"Expected target size {new Size([n, .. input._shape[2..]])}, got {target.shape}");
                    var flat = input.movedim(1, -1).reshape(-1, c);
                    var r = nll_loss(flat, target.reshape(-1), weight, ignore_index, reduction);
                    return reduction == "none" ? r.reshape(target._shape) : r;
                }
                if (target.dim() > 1) throw new ArgumentException("0D or 1D target tensor expected, multi-target not supported");
                bool noBatch = input.dim() == 1;
                if (noBatch ? target.dim() != 0 : target.size(0) != input.size(0))
                    throw new ArgumentException($"Expected input batch_size ({(noBatch ? 1 : input.size(0))}) to match target batch_size ({(target.dim() == 0 ? 1 : target.size(0))}).");
                long classes = input.size(-1);
                if (weight is not null && (weight.dim() != 1 || weight.numel() != classes))
                    throw new ArgumentException($"weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {weight.shape}");

                var x2 = noBatch ? input.unsqueeze(0) : input;
                var t = target.reshape(-1).to(DType.Int64).ToArray<long>();
                var (output, totalWeight) = input.dtype == DType.Float64
                    ? NllForward<double>(x2.detach(), t, weight, ignore_index, reduction)
                    : NllForward<float>(x2.to(DType.Float32).detach(), t, weight, ignore_index, reduction);
                output = output.to(input.dtype);
                if (noBatch && reduction == "none") output = output.reshape([]);
                if (!GradMode.ShouldRecord(input)) return output;
                return Derivatives.NllLoss.Record(output, input,
                    state: new NllLossArgs(t, weight, ignore_index, reduction, totalWeight, classes, noBatch, input.dtype));
            }

            private static (Tensor output, double totalWeight) NllForward<T>(Tensor x, long[] target, Tensor? weight, long ignoreIndex, string reduction)
                where T : unmanaged, System.Numerics.IFloatingPoint<T>
            {
                long n = x.size(0), c = x.size(1);
                var data = x.contiguous().ToArray<T>();
                T[]? w = weight?.to(typeof(T) == typeof(double) ? DType.Float64 : DType.Float32).ToArray<T>();
                foreach (var ti in target)
                    if (ti != ignoreIndex && (ti < 0 || ti >= c)) throw new IndexOutOfRangeException($"Target {ti} is out of bounds.");
                var dt = typeof(T) == typeof(double) ? DType.Float64 : DType.Float32;
                if (reduction == "none")
                {
                    var o = new double[n];
                    for (long i = 0; i < n; i++)
                        o[i] = target[i] == ignoreIndex ? 0 : double.CreateTruncating(-(data[i * c + target[i]] * (w is null ? T.One : w[target[i]])));
                    return (torch.tensor(o, dtype: dt), 0);
                }
                const int levels = 8;
                int levelPower = Math.Max(4, CeilLog2(n) / levels);
                long levelStep = 1L << levelPower, levelMask = levelStep - 1;
                var wSums = new T[levels];
                var lSums = new T[levels];
                long ignored = 0;
                for (long b = 0; b < n; b++)
                {
                    var cur = target[b];
                    if (cur == ignoreIndex) { ignored++; continue; }
                    var v = data[b * c + cur];
                    if (w is not null) { lSums[0] -= v * w[cur]; wSums[0] += w[cur]; }
                    else lSums[0] -= v;
                    for (int j = 0; j + 1 < levels; j++)
                    {
                        var mask = levelMask << (j * levelPower);
                        if ((b & mask) != 0) break;
                        wSums[j + 1] += wSums[j]; lSums[j + 1] += lSums[j];
                        wSums[j] = T.Zero; lSums[j] = T.Zero;
                    }
                }
                T total = T.Zero, output = T.Zero;
                if (w is null) total = T.CreateTruncating(n - ignored);
                else foreach (var s in wSums) total += s;
                foreach (var s in lSums) output += s;
                if (reduction == "mean") output /= total;
                return (torch.tensor(double.CreateTruncating(output), dtype: dt), double.CreateTruncating(total));
            }

            private static int CeilLog2(long x) => x <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(x - 1));

            private static string DTypeName(DType d) => Tensor.DTypeTitle(d);

            /// <summary>
            /// Cross entropy of logits: log_softmax then nll_loss for class indices (with label smoothing as ATen's
            /// <c>cross_entropy_loss_label_smoothing</c>), or -Σ target·log_softmax for class probabilities.
            /// </summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                string reduction = "mean", double label_smoothing = 0.0)
            {
                CheckReduction(reduction);
                if (label_smoothing < 0 || label_smoothing > 1)
                    throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {PyRepr.Float(label_smoothing)}");
                int classDim = input.dim() == 1 ? 0 : 1;
                long nClasses = input.size(classDim);
                var logp = input.log_softmax(classDim);
                if (Shapes.SameShape(input._shape, target._shape) && target.is_floating_point())
                {
                    var tgt = label_smoothing > 0 ? target * (1 - label_smoothing) + label_smoothing / nClasses : target;
                    var prod = logp * tgt;
                    if (weight is not null)
                    {
                        var shape = Enumerable.Repeat(1L, input.dim()).ToArray();
                        shape[classDim] = nClasses;
                        prod = prod * weight.view(shape);
                    }
                    return reduction switch
                    {
                        "mean" => -prod.sum() / (input.numel() / nClasses),
                        "sum" => -prod.sum(),
                        _ => -prod.sum(classDim),
                    };
                }
                var nll = nll_loss(logp, target, weight, ignore_index, reduction);
                if (label_smoothing == 0) return nll;
                var ignoreMask = target.eq(ignore_index);
                Tensor smooth;
                if (weight is not null)
                {
                    var shape = Enumerable.Repeat(1L, input.dim()).ToArray();
                    shape[classDim] = nClasses;
                    smooth = -(logp * weight.view(shape)).sum(classDim);
                }
                else smooth = -logp.sum(classDim);
                smooth = smooth.masked_fill(ignoreMask, 0.0);
                Tensor ret = reduction switch
                {
                    "mean" when weight is not null =>
                        smooth.sum() / weight.index_select(0, torch.tensor(target.reshape(-1).ToArray<long>().Where(v => v != ignore_index).ToArray()).to(weight.device)).sum(),
                    "mean" => smooth.sum() / ignoreMask.logical_not().sum(),
                    "sum" => smooth.sum(),
                    _ => smooth,
                };
                return nll * (1 - label_smoothing) + ret * (label_smoothing / nClasses);
            }
        }
    }
}
