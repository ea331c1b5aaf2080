using Notebooks.Tensors.Autograd;
namespace Notebooks.Tensors;

public static partial class torch
{
    /// <summary>
    /// <c>torch.optim</c>. Each optimizer follows PyTorch's single-tensor (foreach=False) algorithm op for op in
    /// float32, so trajectories match PyTorch's to the bit.
    /// </summary>
    public static partial class optim
    {
        /// <summary>
        /// One entry of <c>param_groups</c>: its tensors under "params" and its options ("lr", "momentum", ...), read
        /// and written by name as PyTorch's dict is (<c>group["lr"] = 0.01</c>).
        /// </summary>
        public sealed class ParamGroup : Dictionary<string, object?>
        {
            public ParamGroup(IEnumerable<Tensor> @params) { this["params"] = @params.ToList(); }

            public List<Tensor> @params => (List<Tensor>)this["params"]!;

            public double lr { get => Get("lr"); set => this["lr"] = value; }

            internal double Get(string key) => Convert.ToDouble(this[key], System.Globalization.CultureInfo.InvariantCulture);
            internal bool Flag(string key) => (bool)this[key]!;
        }

        /// <summary>What <c>Optimizer.state_dict()</c> holds: per-parameter state by index, and the groups with indices for params.</summary>
        public sealed record OptimizerStateDict(Dictionary<int, Dictionary<string, object>> state, List<Dictionary<string, object?>> param_groups);

        public abstract class Optimizer
        {
            public Dictionary<string, object?> defaults { get; }
            public List<ParamGroup> param_groups { get; } = [];
            /// <summary>Per-parameter state (momentum buffers, Adam moments, step counts), keyed by the parameter.</summary>
            public Dictionary<Tensor, Dictionary<string, object>> state { get; } = new(ReferenceEqualityComparer.Instance);

            protected Optimizer(IEnumerable<Tensor> @params, Dictionary<string, object?> defaults)
                : this([new ParamGroup(@params)], defaults) { }

            protected Optimizer(IEnumerable<ParamGroup> groups, Dictionary<string, object?> defaults)
            {
                this.defaults = defaults;
                var list = groups.ToList();
                if (list.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
                foreach (var g in list) add_param_group(g);
            }

            public void add_param_group(ParamGroup param_group)
            {
                foreach (var p in param_group.@params)
                    if (!p.is_leaf) throw new ArgumentException("can't optimize a non-leaf Tensor");
                if (param_group.@params.Count == 0 && param_groups.Count == 0)
                    throw new ArgumentException("optimizer got an empty parameter list");
                foreach (var (k, v) in defaults)
                    param_group.TryAdd(k, v);
                var seen = new HashSet<Tensor>(param_groups.SelectMany(g => g.@params), ReferenceEqualityComparer.Instance);
                if (param_group.@params.Any(p => !seen.Add(p)))
                    throw new ArgumentException("some parameters appear in more than one parameter group");
                param_groups.Add(param_group);
            }

            public void zero_grad(bool set_to_none = true)
            {
                foreach (var g in param_groups)
                    foreach (var p in g.@params)
                    {
                        if (p._grad is not { } grad) continue;
                        if (set_to_none) { p._grad = null; continue; }
                        if (grad._gradFn is not null) grad.detach_(); else grad.requires_grad_(false);
                        using (new NoGradScope()) grad.zero_();
                    }
            }

            /// <summary>One update of every parameter that has a gradient; <paramref name="closure"/> re-evaluates the loss.</summary>
            public virtual Tensor? step(Func<Tensor>? closure = null)
            {
                Tensor? loss = null;
                if (closure is not null) using (torch.enable_grad()) loss = closure();
                using (new NoGradScope())
                    foreach (var g in param_groups)
                        foreach (var p in g.@params)
                            if (p._grad is { } grad)
                            {
                                if (!state.TryGetValue(p, out var st)) state[p] = st = [];
                                Update(g, p, grad, st);
                            }
                return loss;
            }

            /// <summary>The algorithm's update of one parameter (runs without recording).</summary>
            protected abstract void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object> state);

            public OptimizerStateDict state_dict()
            {
                var index = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
                var groups = new List<Dictionary<string, object?>>();
                foreach (var g in param_groups)
                {
                    var d = new Dictionary<string, object?>();
                    foreach (var (k, v) in g) if (k != "params") d[k] = v;
                    d["params"] = g.@params.Select(p => index.TryGetValue(p, out var i) ? i : index[p] = index.Count).ToList();
                    groups.Add(d);
                }
                var st = new Dictionary<int, Dictionary<string, object>>();
                foreach (var (p, s) in state)
                    if (index.TryGetValue(p, out var i)) st[i] = new Dictionary<string, object>(s);
                return new OptimizerStateDict(st, groups);
            }

            public void load_state_dict(OptimizerStateDict state_dict)
            {
                if (state_dict.param_groups.Count != param_groups.Count)
                    throw new ArgumentException("loaded state dict has a different number of parameter groups");
                var byIndex = new Dictionary<int, Tensor>();
                for (int gi = 0; gi < param_groups.Count; gi++)
                {
                    var saved = (List<int>)state_dict.param_groups[gi]["params"]!;
                    var mine = param_groups[gi].@params;
                    if (saved.Count != mine.Count)
                        throw new ArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
                    for (int i = 0; i < saved.Count; i++) byIndex[saved[i]] = mine[i];
                    foreach (var (k, v) in state_dict.param_groups[gi]) if (k != "params") param_groups[gi][k] = v;
                }
                state.Clear();
                foreach (var (i, s) in state_dict.state)
                {
                    var p = byIndex[i];
                    // Tensors in the state follow the parameter's dtype and device, except the step count.
                    state[p] = s.ToDictionary(kv => kv.Key, kv => kv.Value is Tensor t && kv.Key != "step" ? (object)t.to(p.device, p.dtype, copy: true) : kv.Value is Tensor t2 ? t2.clone() : kv.Value);
                }
            }

            public override string ToString()
            {
                var sb = new System.Text.StringBuilder(GetType().Name).Append(" (");
                for (int i = 0; i < param_groups.Count; i++)
                {
                    sb.Append($"\nParameter Group {i}");
                    foreach (var k in param_groups[i].Keys.Where(k => k != "params").Order(StringComparer.Ordinal))
                        sb.Append($"\n    {k}: {Show(param_groups[i][k])}");
                }
                return sb.Append("\n)").ToString();
            }

            private static string Show(object? v) => v switch
            {
                null => "None",
                bool b => PyRepr.Bool(b),
                double d => PyRepr.Float(d),
                (double a, double b) => $"({PyRepr.Float(a)}, {PyRepr.Float(b)})",
                _ => v.ToString() ?? "",
            };

            // ---- PyTorch's pointwise kernels, in their float order (scalar converted to the tensor's dtype) ----
            // libtorch's x86-64 kernels are built by GCC with -mfma and its default -ffp-contract=fast, so a product
            // feeding an add rounds once (see FloatMath); the vectorised forms call vec::fmadd outright.

            /// <summary>addcmul_: self + (value·t1)·t2, the last multiply-add fused.</summary>
            internal static void Addcmul(Tensor self, Tensor t1, Tensor t2, double value) =>
                self.copy_(Tensor.MulAddRaw(t1 * value, t2, self, self.dtype));

            /// <summary>addcdiv_: value·(t1/t2) + self with one rounding for the multiply-add.</summary>
            internal static void Addcdiv(Tensor self, Tensor t1, Tensor t2, double value) =>
                self.copy_(Tensor.MulAddRaw(Tensor.Wrap(value), t1 / t2, self, self.dtype));

            /// <summary>lerp_ (Tensor.lerp: ATen's fused form on either side of w = 0.5).</summary>
            internal static void Lerp(Tensor self, Tensor end, double weight) => self.lerp_(end, weight);
        }
    }
}
