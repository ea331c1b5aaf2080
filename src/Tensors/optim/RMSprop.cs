namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>RMSprop (torch/optim/rmsprop.py, single-tensor), with the centered and momentum variants.</summary>
        public class RMSprop : Optimizer
        {
            public RMSprop(IEnumerable<Tensor> @params, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false)
                : this([new ParamGroup(@params)], lr, alpha, eps, weight_decay, momentum, centered, maximize) { }

            public RMSprop(IEnumerable<ParamGroup> @params, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false)
                : base(@params, new()
                {
                    ["lr"] = 0.0 <= lr ? lr : throw new ArgumentException($"Invalid learning rate: {PyRepr.Float(lr)}"),
                    ["alpha"] = alpha >= 0 ? alpha : throw new ArgumentException($"Invalid alpha value: {PyRepr.Float(alpha)}"),
                    ["eps"] = 0.0 <= eps ? eps : throw new ArgumentException($"Invalid epsilon value: {PyRepr.Float(eps)}"),
                    ["weight_decay"] = weight_decay >= 0 ? weight_decay : throw new ArgumentException($"Invalid weight_decay value: {PyRepr.Float(weight_decay)}"),
                    ["momentum"] = momentum >= 0 ? momentum : throw new ArgumentException($"Invalid momentum value: {PyRepr.Float(momentum)}"),
                    ["centered"] = centered, ["maximize"] = maximize, ["foreach"] = null, ["capturable"] = false, ["differentiable"] = false,
                })
            { }

            protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object> state)
            {
                double lr = group.lr, alpha = group.Get("alpha"), eps = group.Get("eps"), wd = group.Get("weight_decay"), momentum = group.Get("momentum");
                bool centered = group.Flag("centered");
                if (state.Count == 0)
                {
                    state["step"] = torch.tensor(0.0f);
                    state["square_avg"] = torch.zeros_like(param);
                    if (momentum > 0) state["momentum_buffer"] = torch.zeros_like(param);
                    if (centered) state["grad_avg"] = torch.zeros_like(param);
                }
                var squareAvg = (Tensor)state["square_avg"];
                if (group.Flag("maximize")) grad = -grad;
                ((Tensor)state["step"]).add_(1);
                if (wd != 0) grad = grad.add(param, alpha: wd);
                squareAvg.mul_(alpha);
                Addcmul(squareAvg, grad, grad, 1 - alpha);
                Tensor avg;
                if (centered)
                {
                    var gradAvg = (Tensor)state["grad_avg"];
                    Lerp(gradAvg, grad, 1 - alpha);
                    avg = (squareAvg + gradAvg * -1.0 * gradAvg).sqrt_();
                }
                else avg = squareAvg.sqrt();
                avg = avg.add_(eps);
                if (momentum > 0)
                {
                    var buf = (Tensor)state["momentum_buffer"];
                    buf.mul_(momentum);
                    Addcdiv(buf, grad, avg, 1);
                    param.add_(buf, alpha: -lr);
                }
                else Addcdiv(param, grad, avg, -lr);
            }
        }
    }
}
