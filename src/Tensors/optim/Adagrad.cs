namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Adagrad (torch/optim/adagrad.py, single-tensor).</summary>
        public class Adagrad : Optimizer
        {
            public Adagrad(IEnumerable<Tensor> @params, double lr = 1e-2, double lr_decay = 0, double weight_decay = 0,
                double initial_accumulator_value = 0, double eps = 1e-10, bool maximize = false)
                : this([new ParamGroup(@params)], lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize) { }

            public Adagrad(IEnumerable<ParamGroup> @params, double lr = 1e-2, double lr_decay = 0, double weight_decay = 0,
                double initial_accumulator_value = 0, double eps = 1e-10, bool maximize = false)
                : base(@params, new()
                {
                    ["lr"] = 0.0 <= lr ? lr : throw new ArgumentException($"Invalid learning rate: {PyRepr.Float(lr)}"),
                    ["lr_decay"] = lr_decay >= 0 ? lr_decay : throw new ArgumentException($"Invalid lr_decay value: {PyRepr.Float(lr_decay)}"),
                    ["weight_decay"] = weight_decay >= 0 ? weight_decay : throw new ArgumentException($"Invalid weight_decay value: {PyRepr.Float(weight_decay)}"),
                    ["initial_accumulator_value"] = initial_accumulator_value >= 0 ? initial_accumulator_value
                        : throw new ArgumentException($"Invalid initial_accumulator_value value: {PyRepr.Float(initial_accumulator_value)}"),
                    ["eps"] = 0.0 <= eps ? eps : throw new ArgumentException($"Invalid epsilon value: {PyRepr.Float(eps)}"),
                    ["maximize"] = maximize, ["foreach"] = null, ["differentiable"] = false, ["fused"] = null,
                })
            {
                // Adagrad creates its state eagerly, in the constructor.
                foreach (var g in param_groups)
                    foreach (var p in g.@params)
                        state[p] = new() { ["step"] = torch.tensor(0.0f), ["sum"] = torch.full(p._shape, g.Get("initial_accumulator_value"), dtype: p.dtype) };
            }

            protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object> state)
            {
                double lr = group.lr, lrDecay = group.Get("lr_decay"), wd = group.Get("weight_decay"), eps = group.Get("eps");
                var stepT = (Tensor)state["step"];
                var sum = (Tensor)state["sum"];
                stepT.add_(1);
                double step = stepT.item<float>();
                if (group.Flag("maximize")) grad = -grad;
                if (wd != 0) grad = grad.add(param, alpha: wd);
                double clr = lr / (1 + (step - 1) * lrDecay);
                Addcmul(sum, grad, grad, 1);
                var std = sum.sqrt().add_(eps);
                Addcdiv(param, grad, std, -clr);
            }
        }
    }
}
