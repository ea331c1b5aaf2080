namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// L-BFGS (torch/optim/lbfgs.py, after minFunc), ported statement by statement: one parameter group, global state
        /// kept as the first parameter's, <c>step(closure)</c> re-evaluating the loss up to <c>max_eval</c> times, and the
        /// optional <c>line_search_fn: "strong_wolfe"</c> (torch/optim lbfgs.py's _strong_wolfe and _cubic_interpolate,
        /// ported from torch7's lswolfe.lua and polyinterp.lua). Where PyTorch's code mixes Python floats with 0-dim
        /// tensors (the step t, ys, ro, H_diag, gtd), <see cref="Num"/> keeps the same kind of value, so each operation
        /// rounds in the same type as PyTorch's: a float32 model's scalars stay float32 tensors, Python's floats doubles.
        /// </summary>
        public class LBFGS : Optimizer
        {
            private readonly List<Tensor> _params;
            private long? _numelCache;

            public LBFGS(IEnumerable<Tensor> @params, double lr = 1, int max_iter = 20, int? max_eval = null, double tolerance_grad = 1e-7,
                double tolerance_change = 1e-9, int history_size = 100, string? line_search_fn = null)
                : base(@params, Defaults(lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size, line_search_fn))
            {
                if (param_groups.Count != 1) throw new ArgumentException("LBFGS doesn't support per-parameter options (parameter groups)");
                _params = param_groups[0].@params;
            }

            /// <summary>Parameter groups are accepted only to give PyTorch's error when there is more than one.</summary>
            public LBFGS(IEnumerable<ParamGroup> @params, double lr = 1, int max_iter = 20, int? max_eval = null, double tolerance_grad = 1e-7,
                double tolerance_change = 1e-9, int history_size = 100, string? line_search_fn = null)
                : base(@params, Defaults(lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size, line_search_fn))
            {
                if (param_groups.Count != 1) throw new ArgumentException("LBFGS doesn't support per-parameter options (parameter groups)");
                _params = param_groups[0].@params;
            }

            private static Dictionary<string, object?> Defaults(double lr, int max_iter, int? max_eval, double tolerance_grad, double tolerance_change,
                int history_size, string? line_search_fn) => new()
            {
                ["lr"] = lr, ["max_iter"] = max_iter, ["max_eval"] = max_eval ?? max_iter * 5 / 4, ["tolerance_grad"] = tolerance_grad,
                ["tolerance_change"] = tolerance_change, ["history_size"] = history_size, ["line_search_fn"] = line_search_fn,
            };

            protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object> state) =>
                throw new InvalidOperationException("LBFGS updates all parameters at once in step(closure)");

            private long Numel() => _numelCache ??= _params.Sum(p => p.numel());

            private Tensor GatherFlatGrad() =>
                torch.cat(_params.Select(p => p.grad is null ? torch.zeros([p.numel()], dtype: p.dtype, device: p.device) : p.grad.view(-1)).ToArray(), 0);

            private void AddGrad(Num step_size, Tensor update)
            {
                long offset = 0;
                foreach (var p in _params)
                {
                    var numel = p.numel();
                    // view as to avoid deprecated pointwise semantics
                    p.add_(update.narrow(0, offset, numel).view_as(p), alpha: step_size.Scalar);
                    offset += numel;
                }
                if (offset != Numel()) throw new InvalidOperationException("LBFGS: the parameters changed size");
            }

            private List<Tensor> CloneParam() => _params.Select(p => p.clone()).ToList();

            private void SetParam(List<Tensor> params_data)
            {
                for (int i = 0; i < _params.Count; i++) _params[i].copy_(params_data[i]);
            }

            private static double Evaluate(Func<Tensor> closure)
            {
                using (torch.enable_grad()) return closure().item<double>();
            }

            private (double loss, Tensor flat_grad) DirectionalEvaluate(Func<Tensor> closure, List<Tensor> x, Num t, Tensor d)
            {
                AddGrad(t, d);
                var loss = Evaluate(closure);
                var flat_grad = GatherFlatGrad();
                SetParam(x);
                return (loss, flat_grad);
            }

            /// <summary>Performs a single optimization step: <paramref name="closure"/> re-evaluates the model and returns the loss.</summary>
            public override Tensor? step(Func<Tensor>? closure = null)
            {
                if (closure is null) throw new ArgumentException("LBFGS.step() missing 1 required positional argument: 'closure'");
                using var noGrad = torch.no_grad();
                var group = param_groups[0];
                double lr = group.lr, tolerance_grad = group.Get("tolerance_grad"), tolerance_change = group.Get("tolerance_change");
                int max_iter = (int)group.Get("max_iter"), max_eval = (int)group.Get("max_eval"), history_size = (int)group.Get("history_size");
                var line_search_fn = (string?)group["line_search_fn"];

                // NOTE: LBFGS has only global state, but we register it as state for the first param, because this helps
                // with casting in load_state_dict
                if (!state.TryGetValue(_params[0], out var st)) state[_params[0]] = st = [];
                st.TryAdd("func_evals", 0L);
                st.TryAdd("n_iter", 0L);

                // evaluate initial f(x) and df/dx
                Tensor orig_loss;
                using (torch.enable_grad()) orig_loss = closure();
                double loss = orig_loss.item<double>();
                long current_evals = 1;
                st["func_evals"] = (long)st["func_evals"] + 1;

                var flat_grad = GatherFlatGrad();
                bool opt_cond = (bool)(flat_grad.abs().max() <= tolerance_grad);

                // optimal condition
                if (opt_cond) return orig_loss;

                // tensors cached in state (for tracing)
                var d = st.GetValueOrDefault("d") as Tensor;
                var t = st.TryGetValue("t", out var tv) ? (Num)tv : default;
                var old_dirs = st.GetValueOrDefault("old_dirs") as List<Tensor>;
                var old_stps = st.GetValueOrDefault("old_stps") as List<Tensor>;
                var ro = st.GetValueOrDefault("ro") as List<Tensor>;
                var H_diag = st.TryGetValue("H_diag", out var hv) ? (Num)hv : default;
                var prev_flat_grad = st.GetValueOrDefault("prev_flat_grad") as Tensor;
                double prev_loss = st.TryGetValue("prev_loss", out var pl) ? (double)pl : 0;

                int n_iter = 0;
                // optimize for a max of max_iter iterations
                while (n_iter < max_iter)
                {
                    // keep track of nb of iterations
                    n_iter++;
                    st["n_iter"] = (long)st["n_iter"] + 1;

                    // compute gradient descent direction
                    if ((long)st["n_iter"] == 1)
                    {
                        d = flat_grad.neg();
                        old_dirs = [];
                        old_stps = [];
                        ro = [];
                        H_diag = 1.0;
                    }
                    else
                    {
                        // do lbfgs update (update memory)
                        var y = flat_grad.sub(prev_flat_grad!);
                        var s = (Tensor)(d! * t);
                        var ys = y.dot(s);  // y*s
                        if ((bool)(ys > 1e-10))
                        {
                            // updating memory
                            if (old_dirs!.Count == history_size)
                            {
                                // shift history by one (limited-memory)
                                old_dirs.RemoveAt(0);
                                old_stps!.RemoveAt(0);
                                ro!.RemoveAt(0);
                            }
                            // store new direction/step
                            old_dirs.Add(y);
                            old_stps!.Add(s);
                            ro!.Add(1.0 / ys);
                            // update scale of initial Hessian approximation
                            H_diag = ys / y.dot(y);  // (y*y)
                        }

                        // compute the approximate (L-BFGS) inverse Hessian multiplied by the gradient
                        int num_old = old_dirs!.Count;
                        if (!st.TryGetValue("al", out var alv)) st["al"] = alv = new Tensor?[history_size];
                        var al = (Tensor?[])alv;

                        // iteration in L-BFGS loop collapsed to use just one buffer
                        var q = flat_grad.neg();
                        for (int i = num_old - 1; i >= 0; i--)
                        {
                            al[i] = old_stps![i].dot(q) * ro![i];
                            q.add_(old_dirs[i], alpha: -al[i]!.item<double>());
                        }

                        // multiply by initial Hessian; r/d is the final direction
                        var r = (Tensor)(q * H_diag);
                        d = r;
                        for (int i = 0; i < num_old; i++)
                        {
                            var be_i = old_dirs[i].dot(r) * ro![i];
                            r.add_(old_stps![i], alpha: (al[i]! - be_i).item<double>());
                        }
                    }

                    if (prev_flat_grad is null) prev_flat_grad = flat_grad.clone();
                    else prev_flat_grad.copy_(flat_grad);
                    prev_loss = loss;

                    // compute step length: reset initial guess for step size
                    t = (long)st["n_iter"] == 1 ? Num.Min(1.0, 1.0 / flat_grad.abs().sum()) * lr : lr;

                    // directional derivative
                    var gtd = flat_grad.dot(d!);  // g * d

                    // directional derivative is below tolerance
                    if ((bool)(gtd > -tolerance_change)) break;

                    // optional line search: user function
                    long ls_func_evals = 0;
                    if (line_search_fn is not null)
                    {
                        if (line_search_fn != "strong_wolfe") throw new InvalidOperationException("only 'strong_wolfe' is supported");
                        var x_init = CloneParam();
                        (loss, flat_grad, t, ls_func_evals) = StrongWolfe.Search(
                            (x, tt, dd) => DirectionalEvaluate(closure, x, tt, dd), x_init, t, d!, loss, flat_grad, gtd);
                        AddGrad(t, d!);
                        opt_cond = (bool)(flat_grad.abs().max() <= tolerance_grad);
                    }
                    else
                    {
                        // no line search, simply move with fixed-step
                        AddGrad(t, d!);
                        if (n_iter != max_iter)
                        {
                            // re-evaluate function only if not in last iteration (in a stochastic setting, no use to
                            // re-evaluate that function here)
                            loss = Evaluate(closure);
                            flat_grad = GatherFlatGrad();
                            opt_cond = (bool)(flat_grad.abs().max() <= tolerance_grad);
                            ls_func_evals = 1;
                        }
                    }

                    // update func eval
                    current_evals += ls_func_evals;
                    st["func_evals"] = (long)st["func_evals"] + ls_func_evals;

                    // check conditions
                    if (n_iter == max_iter) break;
                    if (current_evals >= max_eval) break;
                    // optimal condition
                    if (opt_cond) break;
                    // lack of progress
                    if ((bool)(((Tensor)(d! * t)).abs().max() <= tolerance_change)) break;
                    if (Math.Abs(loss - prev_loss) < tolerance_change) break;
                }

                st["d"] = d!;
                st["t"] = t;
                st["old_dirs"] = old_dirs!;
                st["old_stps"] = old_stps!;
                st["ro"] = ro!;
                st["H_diag"] = H_diag;
                st["prev_flat_grad"] = prev_flat_grad!;
                st["prev_loss"] = prev_loss;
                return orig_loss;
            }
        }
    }
}
