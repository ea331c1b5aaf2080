namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay (torch/optim/sgd.py).</summary>
        public class SGD : Optimizer
        {
            public SGD(IEnumerable<Tensor> @params, double lr = 1e-3, double momentum = 0, double dampening = 0,
                double weight_decay = 0, bool nesterov = false, bool maximize = false)
                : this([new ParamGroup(@params)], lr, momentum, dampening, weight_decay, nesterov, maximize) { }

            public SGD(IEnumerable<ParamGroup> @params, double lr = 1e-3, double momentum = 0, double dampening = 0,
                double weight_decay = 0, bool nesterov = false, bool maximize = false)
                : base(@params, Defaults(lr, momentum, dampening, weight_decay, nesterov, maximize)) { }

            private static Dictionary<string, object?> Defaults(double lr, double momentum, double dampening, double weight_decay, bool nesterov, bool maximize)
            {
                if (lr < 0) throw new ArgumentException($"Invalid learning rate: {PyRepr.Float(lr)}");
                if (momentum < 0) throw new ArgumentException($"Invalid momentum value: {PyRepr.Float(momentum)}");
                if (weight_decay < 0) throw new ArgumentException($"Invalid weight_decay value: {PyRepr.Float(weight_decay)}");
                if (nesterov && (momentum <= 0 || dampening != 0))
                    throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
                return new()
                {
                    ["lr"] = lr, ["momentum"] = momentum, ["dampening"] = dampening, ["weight_decay"] = weight_decay,
                    ["nesterov"] = nesterov, ["maximize"] = maximize, ["foreach"] = null, ["differentiable"] = false, ["fused"] = null,
                };
            }

            protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object> state)
            {
                double lr = group.lr, momentum = group.Get("momentum"), dampening = group.Get("dampening"), wd = group.Get("weight_decay");
                if (group.Flag("maximize")) grad = -grad;
                if (wd != 0) grad = grad.add(param, alpha: wd);
                if (momentum != 0)
                {
                    if (!state.TryGetValue("momentum_buffer", out var b))
                    {
                        var buf = grad.clone().detach();
                        state["momentum_buffer"] = buf;
                        grad = group.Flag("nesterov") ? grad.add(buf, alpha: momentum) : buf;
                    }
                    else
                    {
                        var buf = (Tensor)b;
                        buf.mul_(momentum).add_(grad, alpha: 1 - dampening);
                        grad = group.Flag("nesterov") ? grad.add(buf, alpha: momentum) : buf;
                    }
                }
                param.add_(grad, alpha: -lr);
            }
        }
    }
}
