namespace Notebooks.Tensors;

// torch.nn.utils's gradient clipping (torch/nn/utils/clip_grad.py), statement by statement so the numbers are
// PyTorch's: each gradient's vector norm, the norm of those norms, then every gradient multiplied in place by
// clamp(max_norm / (total + 1e-6), max=1) — Python's float / Tensor is Tensor.__rdiv__, reciprocal() * max_norm,
// which rounds differently from a division, so it is written that way.
public static partial class torch
{
    public static partial class nn
    {
        public static partial class utils
        {
            /// <summary>
            /// Scales the gradients of <paramref name="parameters"/> in place so that their total norm (the
            /// <paramref name="norm_type"/>-norm of the per-gradient norms) is at most <paramref name="max_norm"/>;
            /// returns the total norm before clipping. Parameters without a gradient are skipped.
            /// </summary>
            public static Tensor clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2.0,
                bool error_if_nonfinite = false, bool? @foreach = null)
            {
                using var _ = no_grad();
                var list = Materialise(parameters);
                var grads = Grads(list);
                var total = get_total_norm(grads, norm_type, error_if_nonfinite, @foreach);
                clip_grads_with_norm_(list, max_norm, total, @foreach);
                return total;
            }

            /// <summary>One tensor's gradient (Python passes a Tensor where an iterable of them is expected).</summary>
            public static Tensor clip_grad_norm_(Tensor parameters, double max_norm, double norm_type = 2.0,
                bool error_if_nonfinite = false, bool? @foreach = null) =>
                clip_grad_norm_([parameters], max_norm, norm_type, error_if_nonfinite, @foreach);

            /// <summary>Deprecated spelling of <see cref="clip_grad_norm_(IEnumerable{Tensor}, double, double, bool, bool?)"/>, with PyTorch's FutureWarning.</summary>
            public static Tensor clip_grad_norm(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2.0,
                bool error_if_nonfinite = false, bool? @foreach = null)
            {
                warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.", "FutureWarning");
                return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, @foreach);
            }

            /// <summary>The norm of the tensors' norms, as if they were one vector (<c>torch.nn.utils.get_total_norm</c>).</summary>
            public static Tensor get_total_norm(IEnumerable<Tensor> tensors, double norm_type = 2.0, bool error_if_nonfinite = false, bool? @foreach = null)
            {
                using var _ = no_grad();
                var list = tensors.ToList();
                if (list.Count == 0) return tensor(0.0f);
                CheckForeach(list, @foreach);
                var first = list[0].device;
                // _foreach_norm on the CPU is linalg.vector_norm per tensor (ATen's slow fallback). PyTorch groups the
                // tensors by (device, dtype), groups in first-seen order, and stacks the norms group by group: the
                // order of the outer sum, so kept.
                var norms = list.Select((t, i) => (t, i)).GroupBy(p => (p.t.device.ToString(), p.t.dtype.ToString()))
                    .SelectMany(g => g.Select(p => linalg.vector_norm(p.t, norm_type).to(first))).ToArray();
                var total = linalg.vector_norm(stack(norms), norm_type);
                if (error_if_nonfinite && logical_or(total.isnan(), total.isinf()).item<bool>())
                    throw new InvalidOperationException(
                        $"The total norm of order {PyRepr.Float(norm_type)} for gradients from `parameters` is non-finite, so it cannot be clipped. " +
                        "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
                return total;
            }

            /// <summary>Scales every gradient by clamp(max_norm / (total_norm + 1e-6), max=1), in place.</summary>
            public static void clip_grads_with_norm_(IEnumerable<Tensor> parameters, double max_norm, Tensor total_norm, bool? @foreach = null)
            {
                using var _ = no_grad();
                var grads = Grads(Materialise(parameters));
                if (grads.Count == 0) return;
                CheckForeach(grads, @foreach);
                var coef = (total_norm + 1e-6).reciprocal() * max_norm;
                var clamped = clamp(coef, max: 1.0);
                foreach (var g in grads) g.mul_(clamped.to(g.device));
            }

            /// <summary>Clamps every gradient into [-clip_value, clip_value], in place.</summary>
            public static void clip_grad_value_(IEnumerable<Tensor> parameters, double clip_value, bool? @foreach = null)
            {
                using var _ = no_grad();
                var grads = Grads(Materialise(parameters));
                CheckForeach(grads, @foreach);
                foreach (var g in grads)
                {
                    // _foreach_clamp_min_ then _foreach_clamp_max_ (the CPU's foreach path): a NaN gradient stays NaN.
                    g.clamp_min_(-clip_value);
                    g.clamp_max_(clip_value);
                }
            }

            /// <summary>One tensor's gradient.</summary>
            public static void clip_grad_value_(Tensor parameters, double clip_value, bool? @foreach = null) =>
                clip_grad_value_([parameters], clip_value, @foreach);

            /// <summary>The parameters flattened and concatenated into one vector (<c>parameters_to_vector</c>).</summary>
            public static Tensor parameters_to_vector(IEnumerable<Tensor> parameters)
            {
                Device? device = null;
                var parts = new List<Tensor>();
                foreach (var p in parameters)
                {
                    CheckSameDevice(p, ref device);
                    parts.Add(p.view(-1));
                }
                return cat(parts.ToArray());
            }

            /// <summary>Copies consecutive slices of <paramref name="vec"/> into the parameters' data (<c>vector_to_parameters</c>).</summary>
            public static void vector_to_parameters(Tensor vec, IEnumerable<Tensor> parameters)
            {
                if (vec is null) throw new InvalidOperationException("expected torch.Tensor, but got: NoneType");
                Device? device = null;
                long pointer = 0;
                foreach (var p in parameters)
                {
                    CheckSameDevice(p, ref device);
                    long n = p.numel();
                    p.data = vec.narrow(0, pointer, n).view_as(p).data;
                    pointer += n;
                }
            }

            // parameters_to_vector's _check_param_device: all parameters on one device.
            private static void CheckSameDevice(Tensor p, ref Device? device)
            {
                if (device is null) { device = p.device; return; }
                if (p.device != device)
                    throw new InvalidOperationException("Found two parameters on different devices, this is currently not supported.");
            }

            // Python's list(parameters): a lazy sequence (model.parameters() is a generator) is read once; an empty
            // generator gets PyTorch's warning (an empty list does not).
            private static List<Tensor> Materialise(IEnumerable<Tensor> parameters)
            {
                bool lazy = parameters is not ICollection<Tensor> and not IReadOnlyCollection<Tensor>;
                var list = parameters.ToList();
                if (lazy && list.Count == 0)
                    warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.");
                return list;
            }

            private static List<Tensor> Grads(List<Tensor> parameters) => parameters.Where(p => p.grad is not null).Select(p => p.grad!).ToList();

            private static void CheckForeach(List<Tensor> tensors, bool? @foreach)
            {
                if (@foreach != true) return;
                foreach (var t in tensors)
                    if (!t.is_cpu && !t.is_cuda)
                        throw new InvalidOperationException($"foreach=True was passed, but can't use the foreach API on {t.device.type} tensors");
            }
        }
    }
}
