namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// Adam (torch/optim/adam.py, single-tensor): moments by lerp_/addcmul_, bias corrections in double from a
        /// float32 step count, param.addcdiv_(m, √v/√bc2 + eps, -lr/bc1). AdamW decays the parameter first.
        /// Bit for bit with libtorch (see <see cref="CppFrontend"/> for the one place its C++ API differs).
        /// </summary>
        public class Adam : Optimizer
        {
            private readonly bool _decoupled;

            /// <summary>
            /// Follow libtorch's C++ <c>torch::optim::Adam</c>/<c>AdamW</c> (torch/csrc/api/src/optim/adam.cpp) instead of
            /// Python's: it moves the first moment with <c>exp_avg.mul_(beta1).add_(grad, 1 - beta1)</c> where Python's
            /// <c>_single_tensor_adam</c> calls <c>exp_avg.lerp_(grad, 1 - beta1)</c>, which rounds differently once the
            /// moment is non-zero. The libtorch reference trajectories (shared/reference/torch_optim.json) were recorded
            /// through the C++ API, so their test sets this; everything else is shared.
            /// </summary>
            internal bool CppFrontend { get; init; }

            public Adam(IEnumerable<Tensor> @params, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false)
                : this([new ParamGroup(@params)], lr, betas, eps, weight_decay, amsgrad, maximize) { }

            public Adam(IEnumerable<ParamGroup> @params, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false)
                : this(@params, lr, betas, eps, weight_decay, amsgrad, maximize, decoupled: false) { }

            private protected Adam(IEnumerable<ParamGroup> @params, double lr, (double, double)? betas, double eps,
                double weight_decay, bool amsgrad, bool maximize, bool decoupled)
                : base(@params, Defaults(lr, betas ?? (0.9, 0.999), eps, weight_decay, amsgrad, maximize))
            {
                _decoupled = decoupled;
            }

            private static Dictionary<string, object?> Defaults(double lr, (double b1, double b2) betas, double eps, double weight_decay, bool amsgrad, bool maximize)
            {
                if (!(0.0 <= lr)) throw new ArgumentException($"Invalid learning rate: {PyRepr.Float(lr)}");
                if (!(0.0 <= eps)) throw new ArgumentException($"Invalid epsilon value: {PyRepr.Float(eps)}");
                if (!(0.0 <= betas.b1 && betas.b1 < 1.0)) throw new ArgumentException($"Invalid beta parameter at index 0: {PyRepr.Float(betas.b1)}");
                if (!(0.0 <= betas.b2 && betas.b2 < 1.0)) throw new ArgumentException($"Invalid beta parameter at index 1: {PyRepr.Float(betas.b2)}");
                if (!(0.0 <= weight_decay)) throw new ArgumentException($"Invalid weight_decay value: {PyRepr.Float(weight_decay)}");
                return new()
                {
                    ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weight_decay, ["amsgrad"] = amsgrad,
                    ["maximize"] = maximize, ["foreach"] = null, ["capturable"] = false, ["differentiable"] = false, ["fused"] = null,
                };
            }

            protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object> state)
            {
                double lr = group.lr, eps = group.Get("eps"), wd = group.Get("weight_decay");
                var (beta1, beta2) = ((double, double))group["betas"]!;
                bool amsgrad = group.Flag("amsgrad");
                if (state.Count == 0)
                {
                    state["step"] = torch.tensor(0.0f);
                    state["exp_avg"] = torch.zeros_like(param);
                    state["exp_avg_sq"] = torch.zeros_like(param);
                    if (amsgrad) state["max_exp_avg_sq"] = torch.zeros_like(param);
                }
                var stepT = (Tensor)state["step"];
                var expAvg = (Tensor)state["exp_avg"];
                var expAvgSq = (Tensor)state["exp_avg_sq"];
                if (group.Flag("maximize")) grad = -grad;
                stepT.add_(1);
                if (wd != 0)
                {
                    if (_decoupled) param.mul_(1 - lr * wd);
                    else grad = grad.add(param, alpha: wd);
                }
                if (CppFrontend) expAvg.mul_(beta1).add_(grad, alpha: 1 - beta1);
                else Lerp(expAvg, grad, 1 - beta1);
                expAvgSq.mul_(beta2);
                Addcmul(expAvgSq, grad, grad, 1 - beta2);
                double step = stepT.item<float>();
                double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
                // Python takes bias_correction2 ** 0.5, C++ std::sqrt: both correctly rounded in glibc, kept as written.
                double stepSize = lr / bc1, bc2Sqrt = CppFrontend ? Math.Sqrt(bc2) : Math.Pow(bc2, 0.5);
                Tensor denom;
                if (amsgrad)
                {
                    var maxSq = (Tensor)state["max_exp_avg_sq"];
                    maxSq.copy_(torch.maximum(maxSq, expAvgSq));
                    denom = (maxSq.sqrt() / bc2Sqrt).add_(eps);
                }
                else denom = (expAvgSq.sqrt() / bc2Sqrt).add_(eps);
                Addcdiv(param, expAvg, denom, -stepSize);
            }
        }

        /// <summary>Adam with decoupled weight decay: param·(1 - lr·weight_decay) before the Adam step.</summary>
        public class AdamW : Adam
        {
            public AdamW(IEnumerable<Tensor> @params, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false)
                : base([new ParamGroup(@params)], lr, betas, eps, weight_decay, amsgrad, maximize, decoupled: true) { }

            public AdamW(IEnumerable<ParamGroup> @params, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false)
                : base(@params, lr, betas, eps, weight_decay, amsgrad, maximize, decoupled: true) { }
        }
    }
}
