using System.Text;
using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    /// <summary>
    /// <c>torch.autograd</c>: functional backward and grad, custom functions, and the finite-difference checkers
    /// gradcheck and gradgradcheck.
    /// </summary>
    public static class autograd
    {
        /// <summary>
        /// The legacy <c>torch.autograd.Variable(data, requires_grad=False)</c>, which PyTorch still accepts: a tensor
        /// sharing <paramref name="data"/>'s storage, detached from its graph, with requires_grad set (PyTorch's
        /// THPVariable_pynew detaches, then sets the flag).
        /// </summary>
        public static Tensor Variable(Tensor data, bool requires_grad = false)
        {
            var v = data.detach();
            if (requires_grad) v.requires_grad_();
            return v;
        }

        /// <summary>
        /// A custom differentiable function, as <c>class CustomReLU(torch.autograd.Function)</c>. The subclass defines
        /// <c>public static Tensor forward(FunctionCtx ctx, ...)</c> and <c>public static Tensor backward(FunctionCtx ctx,
        /// Tensor grad_output, ...)</c> (returning one gradient per forward argument, a tuple or array when several) and is
        /// called as <c>CustomReLU.apply(x)</c>. Its grad_fn is named <c>CustomReLUBackward</c>.
        /// </summary>
        public abstract class Function<TSelf> where TSelf : Function<TSelf>
        {
            private static CustomFunctionInfo? _info;
            private static CustomFunctionInfo Info => _info ??= CustomFunctionInfo.For(typeof(TSelf));

            /// <summary>Runs forward and records the backward node; for forwards that return one tensor.</summary>
            public static Tensor apply(params object?[] args)
            {
                var r = ApplyCore(args);
                if (r.Length != 1)
                    throw new InvalidOperationException($"{typeof(TSelf).Name}.forward returned {r.Length} outputs; use apply_multi");
                return r[0]!;
            }

            /// <summary>Runs forward and records the backward node; for forwards that return several tensors.</summary>
            public static Tensor?[] apply_multi(params object?[] args) => ApplyCore(args);

            private static Tensor?[] ApplyCore(object?[] args)
            {
                var info = Info;
                if (args.Length != info.ForwardArity)
                    throw new ArgumentException($"forward() takes {info.ForwardArity + 1} positional arguments but {args.Length + 1} were given");
                var ctx = new FunctionCtx();
                var needs = new bool[args.Length];
                bool any = false;
                for (int i = 0; i < args.Length; i++)
                    any |= needs[i] = args[i] is Tensor { _requiresGrad: true };
                ctx.needs_input_grad = needs;
                bool record = GradMode.Enabled && any;

                object? result;
                var call = new object?[args.Length + 1];
                call[0] = ctx;
                Array.Copy(args, 0, call, 1, args.Length);
                using (new GradModeGuard(false))
                {
                    try { result = info.Forward.Invoke(null, call); }
                    catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                        throw;
                    }
                }
                var flat = CustomFunctionInfo.Flatten(result);
                var outputs = new Tensor?[flat.Length];
                for (int i = 0; i < flat.Length; i++)
                {
                    var o = flat[i] as Tensor;
                    // An input returned as-is becomes a new alias, so the input itself keeps its own history.
                    if (o is not null && record && Array.IndexOf(args, o) >= 0) o = o.detach();
                    outputs[i] = o;
                }
                if (!record) return outputs;

                var tensorArgs = new List<Tensor?>();
                var argIndex = new List<int>();
                for (int i = 0; i < args.Length; i++)
                    if (args[i] is Tensor t) { tensorArgs.Add(t); argIndex.Add(i); }
                var metas = new InputMeta[outputs.Length];
                for (int i = 0; i < outputs.Length; i++)
                    metas[i] = outputs[i] is { } o ? InputMeta.Of(o) : new InputMeta([], DType.Float32);
                var node = new CustomFunctionBackward(typeof(TSelf).Name + "Backward", ctx, info, tensorArgs.ToArray(), argIndex.ToArray(), metas);
                for (int i = 0; i < outputs.Length; i++)
                {
                    if (outputs[i] is not { } o) continue;
                    if (ctx.NonDifferentiable?.Contains(o) == true || !o.dtype.is_floating_point) continue;
                    o.WithGrad(node, i);
                }
                ctx.Seal(node, outputs);
                return outputs;
            }
        }

        // Global, as ATen's AnomalyMode (not per thread).
        private static volatile bool _anomaly;
        private static volatile bool _anomalyCheckNan = true;

        /// <summary>
        /// <c>torch.autograd.set_detect_anomaly(mode, check_nan)</c>: while on, each node remembers the forward call that
        /// made it (an error in its backward is preceded by the warning "Error detected in …" with that traceback), and
        /// with <paramref name="check_nan"/> a backward function returning NaN raises. Disposing the result restores
        /// the previous mode, as leaving Python's <c>with</c> block does; as a plain call it just sets the mode.
        /// </summary>
        public static IDisposable set_detect_anomaly(bool mode, bool check_nan = true)
        {
            var previous = (_anomaly, _anomalyCheckNan);
            (_anomaly, _anomalyCheckNan) = (mode, check_nan);
            return new AnomalyScope(previous);
        }

        /// <summary><c>with torch.autograd.detect_anomaly():</c> anomaly mode on until disposed, with Python's warning.</summary>
        public static IDisposable detect_anomaly(bool check_nan = true)
        {
            warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.");
            return set_detect_anomaly(true, check_nan);
        }

        public static bool is_anomaly_enabled() => _anomaly;
        public static bool is_anomaly_check_nan_enabled() => _anomalyCheckNan;

        private sealed class AnomalyScope((bool Mode, bool CheckNan) previous) : IDisposable
        {
            private int _done;
            public void Dispose()
            {
                if (Interlocked.Exchange(ref _done, 1) == 0) (_anomaly, _anomalyCheckNan) = previous;
            }
        }

        // ---------------- backward / grad ----------------

        /// <summary><c>torch.autograd.backward</c>: sums the gradients of <paramref name="tensors"/> into the leaves.</summary>
        public static void backward(Tensor[] tensors, Tensor?[]? grad_tensors = null, bool? retain_graph = null, bool create_graph = false, Tensor[]? inputs = null)
        {
            var grads = MakeGrads(tensors, grad_tensors);
            if (inputs is { Length: 0 }) throw new ArgumentException("'inputs' argument to backward() cannot be empty.");
            Engine.Run(tensors, grads, retain_graph ?? create_graph, create_graph, inputs, accumulateIntoLeaves: true);
        }

        public static void backward(Tensor tensor, Tensor? grad_tensors = null, bool? retain_graph = null, bool create_graph = false, Tensor[]? inputs = null) =>
            backward([tensor], [grad_tensors], retain_graph, create_graph, inputs);

        /// <summary>
        /// <c>torch.autograd.grad</c>: the gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>,
        /// returned instead of accumulated into <c>.grad</c>. With <paramref name="create_graph"/> they carry a graph
        /// of their own, for higher derivatives.
        /// </summary>
        public static Tensor?[] grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? grad_outputs = null, bool? retain_graph = null,
            bool create_graph = false, bool allow_unused = false, bool materialize_grads = false)
        {
            if (inputs.Length == 0) throw new ArgumentException("grad requires at least one input");
            var grads = MakeGrads(outputs, grad_outputs);
            var r = Engine.Run(outputs, grads, retain_graph ?? create_graph, create_graph, inputs, accumulateIntoLeaves: false)!;
            for (int i = 0; i < r.Length; i++)
            {
                if (r[i] is not null) continue;
                if (materialize_grads) r[i] = zeros_like(inputs[i]);
                else if (!allow_unused)
                    throw new InvalidOperationException(
                        "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
            }
            return r;
        }

        public static Tensor?[] grad(Tensor outputs, Tensor inputs, Tensor? grad_outputs = null, bool? retain_graph = null,
            bool create_graph = false, bool allow_unused = false, bool materialize_grads = false) =>
            grad([outputs], [inputs], [grad_outputs], retain_graph, create_graph, allow_unused, materialize_grads);

        public static Tensor?[] grad(Tensor outputs, Tensor[] inputs, Tensor? grad_outputs = null, bool? retain_graph = null,
            bool create_graph = false, bool allow_unused = false, bool materialize_grads = false) =>
            grad([outputs], inputs, [grad_outputs], retain_graph, create_graph, allow_unused, materialize_grads);

        /// <summary>Fills in implicit gradients (1 for scalars) and checks the given ones, as _make_grads does.</summary>
        private static Tensor?[] MakeGrads(Tensor[] outputs, Tensor?[]? grads)
        {
            if (grads is not null && grads.Length != outputs.Length)
                throw new ArgumentException($"grad_tensors should have the same length as tensors, got {grads.Length} and {outputs.Length}");
            var r = new Tensor?[outputs.Length];
            for (int i = 0; i < outputs.Length; i++)
            {
                var o = outputs[i];
                var g = grads?[i];
                if (g is null)
                {
                    if (o._requiresGrad)
                    {
                        if (o.numel() != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
                        if (!o.dtype.is_floating_point)
                            throw new InvalidOperationException($"grad can be implicitly created only for real scalar outputs but got {o.dtype}");
                        g = ones_like(o);
                    }
                }
                else if (!Shapes.SameShape(g._shape, o._shape))
                    throw new ArgumentException($"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has a shape of {o.shape}.");
                r[i] = g;
            }
            return r;
        }

        // ---------------- gradcheck ----------------

        /// <summary>Raised by gradcheck when analytical and numerical Jacobians disagree (a RuntimeError in PyTorch).</summary>
        public sealed class GradcheckError(string message) : InvalidOperationException(message);

        public static bool gradcheck(Func<Tensor, Tensor> func, Tensor input, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true) =>
            gradcheck(xs => [func(xs[0])], [input], eps, atol, rtol, raise_exception);

        public static bool gradcheck(Func<Tensor[], Tensor> func, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true) =>
            gradcheck(xs => [func(xs)], inputs, eps, atol, rtol, raise_exception);

        /// <summary>
        /// Compares the Jacobian that backward computes with central finite differences (PyTorch's slow-mode gradcheck):
        /// for every differentiable input and output, |analytical − numerical| ≤ atol + rtol·|numerical| elementwise.
        /// Inputs should be float64 with requires_grad; non-contiguous inputs are perturbed in place, keeping their layout.
        /// </summary>
        public static bool gradcheck(Func<Tensor[], Tensor[]> func, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true)
        {
            var diff = new List<int>();
            for (int i = 0; i < inputs.Length; i++) if (inputs[i]._requiresGrad) diff.Add(i);
            if (diff.Count == 0)
                throw new ArgumentException("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");

            var outputs = func(inputs);
            var numerical = Numerical(func, inputs, diff, outputs, eps);
            // Perturbing bumped the inputs' versions, so the analytical pass needs a fresh graph.
            outputs = func(inputs);
            var analytical = Analytical(outputs, inputs, diff);

            for (int o = 0; o < outputs.Length; o++)
                for (int d = 0; d < diff.Count; d++)
                {
                    var n = numerical[d][o]; var a = analytical[d][o];
                    bool ok = true;
                    for (int k = 0; k < n.Length; k++)
                        if (!(Math.Abs(a[k] - n[k]) <= atol + rtol * Math.Abs(n[k]))) { ok = false; break; }
                    if (ok) continue;
                    if (!raise_exception) return false;
                    long ni = inputs[diff[d]].numel(), no = outputs[o].numel();
                    var sb = new StringBuilder();
                    sb.Append($"Jacobian mismatch for output {o} with respect to input {diff[d]},\n");
                    sb.Append("numerical:").Append(tensor(n, dtype: float64).reshape(ni, no)).Append('\n');
                    sb.Append("analytical:").Append(tensor(a, dtype: float64).reshape(ni, no)).Append('\n');
                    throw new GradcheckError(sb.ToString());
                }
            return true;
        }

        /// <summary>[input][output] → row-major (input element, output element) Jacobian by central differences.</summary>
        private static double[][][] Numerical(Func<Tensor[], Tensor[]> func, Tensor[] inputs, List<int> diff, Tensor[] outputs, double eps)
        {
            var r = new double[diff.Count][][];
            for (int d = 0; d < diff.Count; d++)
            {
                var x = inputs[diff[d]];
                long n = x.numel();
                r[d] = new double[outputs.Length][];
                for (int o = 0; o < outputs.Length; o++) r[d][o] = new double[n * outputs[o].numel()];
                var alias = x.detach();
                for (long j = 0; j < n; j++)
                {
                    var e = Element(alias, j);
                    double orig = e.item<double>();
                    e.CopyFromRaw(Tensor.Wrap(orig - eps));
                    var minus = Values(func(inputs));
                    e.CopyFromRaw(Tensor.Wrap(orig + eps));
                    var plus = Values(func(inputs));
                    e.CopyFromRaw(Tensor.Wrap(orig));
                    for (int o = 0; o < outputs.Length; o++)
                    {
                        long no = outputs[o].numel();
                        for (long k = 0; k < no; k++) r[d][o][j * no + k] = (plus[o][k] - minus[o][k]) / (2 * eps);
                    }
                }
            }
            return r;
        }

        private static double[][][] Analytical(Tensor[] outputs, Tensor[] inputs, List<int> diff)
        {
            var r = new double[diff.Count][][];
            for (int d = 0; d < diff.Count; d++)
            {
                r[d] = new double[outputs.Length][];
                for (int o = 0; o < outputs.Length; o++) r[d][o] = new double[inputs[diff[d]].numel() * outputs[o].numel()];
            }
            var diffInputs = diff.ConvertAll(i => inputs[i]).ToArray();
            for (int o = 0; o < outputs.Length; o++)
            {
                var y = outputs[o];
                if (!y._requiresGrad || !y.dtype.is_floating_point) continue;
                long no = y.numel();
                for (long k = 0; k < no; k++)
                {
                    var unit = new double[no];
                    unit[k] = 1;
                    var go = tensor(unit, dtype: y.dtype).reshape(y._shape);
                    var gs = grad([y], diffInputs, [go], retain_graph: true, allow_unused: true);
                    for (int d = 0; d < diff.Count; d++)
                    {
                        if (gs[d] is not { } g) continue;
                        if (!Shapes.SameShape(g._shape, diffInputs[d]._shape))
                            throw new GradcheckError($"Gradient has incorrect size for input {diff[d]}: expected {diffInputs[d].shape}, got {g.shape}");
                        var v = g.ToArray<double>();
                        for (long j = 0; j < v.Length; j++) r[d][o][j * no + k] = v[j];
                    }
                }
            }
            return r;
        }

        private static double[][] Values(Tensor[] ts) => Array.ConvertAll(ts, t => t.detach().ToArray<double>());

        /// <summary>The j-th element (row-major) of <paramref name="t"/> as a 0-dim view, whatever its strides.</summary>
        private static Tensor Element(Tensor t, long j)
        {
            var shape = t._shape;
            var idx = new long[shape.Length];
            for (int i = shape.Length - 1; i >= 0; i--) { idx[i] = j % shape[i]; j /= shape[i]; }
            var e = t;
            foreach (var i in idx) e = e.select(0, i);
            return e;
        }

        // ---------------- gradgradcheck ----------------

        public static bool gradgradcheck(Func<Tensor, Tensor> func, Tensor input, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true) =>
            gradgradcheck(xs => [func(xs[0])], [input], eps, atol, rtol, raise_exception);

        public static bool gradgradcheck(Func<Tensor[], Tensor> func, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true) =>
            gradgradcheck(xs => [func(xs)], inputs, eps, atol, rtol, raise_exception);

        /// <summary>
        /// Checks second derivatives: gradcheck of the function (inputs, v) ↦ vᵀ·J(inputs), computed by autograd.grad with
        /// create_graph, where v are random grad_outputs (seeded, so a failure reproduces) that require grad themselves.
        /// </summary>
        public static bool gradgradcheck(Func<Tensor[], Tensor[]> func, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true)
        {
            var outputs = func(inputs);
            var gen = new Generator().manual_seed(0);
            var gradOutputs = new List<Tensor>();
            var outIndex = new List<int>();
            for (int o = 0; o < outputs.Length; o++)
            {
                if (!outputs[o]._requiresGrad) continue;
                gradOutputs.Add(randn(outputs[o]._shape, dtype: outputs[o].dtype, generator: gen).requires_grad_());
                outIndex.Add(o);
            }
            int n = inputs.Length;
            Tensor[] Vjp(Tensor[] all)
            {
                var xs = all[..n];
                var ys = func(xs);
                var diffIn = xs.Where(x => x._requiresGrad).ToArray();
                var gs = grad(outIndex.Select(o => ys[o]).ToArray(), diffIn, all[n..], create_graph: true, allow_unused: true);
                var r = new List<Tensor>();
                for (int i = 0; i < gs.Length; i++) r.Add(gs[i] ?? zeros_like(diffIn[i]));
                return r.ToArray();
            }
            return gradcheck(Vjp, [.. inputs, .. gradOutputs], eps, atol, rtol, raise_exception);
        }
    }
}
