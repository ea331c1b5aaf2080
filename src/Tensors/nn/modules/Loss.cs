namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A loss module: <c>criterion.call(input, target)</c> (Python's <c>criterion(input, target)</c>). The
        /// element-wise losses' size-mismatch warning is attributed to their forward, as Python's is to loss.py.
        /// </summary>
        public abstract class Loss(string reduction) : Module
        {
            public string reduction { get; } = reduction;
            public abstract Tensor forward(Tensor input, Tensor target);
            public Tensor call(Tensor input, Tensor target) =>
                _hooks is null && ModuleHooks.GlobalCount == 0 ? forward(input, target)
                    : CallWithHooks([input, target], static (m, a) => ((Loss)m).forward(a[0], a[1]));
        }

        public class MSELoss(string reduction = "mean") : Loss(reduction)
        {
            public override Tensor forward(Tensor input, Tensor target)
            {
                using var _ = warnings.AttributeTo("MSELoss.forward");
                return functional.mse_loss(input, target, reduction);
            }
        }

        public class L1Loss(string reduction = "mean") : Loss(reduction)
        {
            public override Tensor forward(Tensor input, Tensor target)
            {
                using var _ = warnings.AttributeTo("L1Loss.forward");
                return functional.l1_loss(input, target, reduction);
            }
        }

        public class SmoothL1Loss(string reduction = "mean", double beta = 1.0) : Loss(reduction)
        {
            public double beta { get; } = beta;
            public override Tensor forward(Tensor input, Tensor target)
            {
                using var _ = warnings.AttributeTo("SmoothL1Loss.forward");
                return functional.smooth_l1_loss(input, target, reduction, beta);
            }
        }

        public class HuberLoss(string reduction = "mean", double delta = 1.0) : Loss(reduction)
        {
            public double delta { get; } = delta;
            public override Tensor forward(Tensor input, Tensor target)
            {
                using var _ = warnings.AttributeTo("HuberLoss.forward");
                return functional.huber_loss(input, target, reduction, delta);
            }
        }

        public class BCELoss : Loss
        {
            public BCELoss(Tensor? weight = null, string reduction = "mean") : base(reduction) => register_buffer("weight", weight);

            public override Tensor forward(Tensor input, Tensor target) => functional.binary_cross_entropy(input, target, _buffers["weight"], reduction);
        }

        public class BCEWithLogitsLoss : Loss
        {
            public BCEWithLogitsLoss(Tensor? weight = null, string reduction = "mean", Tensor? pos_weight = null) : base(reduction)
            {
                register_buffer("weight", weight);
                register_buffer("pos_weight", pos_weight);
            }

            public override Tensor forward(Tensor input, Tensor target) =>
                functional.binary_cross_entropy_with_logits(input, target, _buffers["weight"], reduction, _buffers["pos_weight"]);
        }

        public class NLLLoss : Loss
        {
            public long ignore_index { get; }

            public NLLLoss(Tensor? weight = null, long ignore_index = -100, string reduction = "mean") : base(reduction)
            {
                register_buffer("weight", weight);
                this.ignore_index = ignore_index;
            }

            public override Tensor forward(Tensor input, Tensor target) => functional.nll_loss(input, target, _buffers["weight"], ignore_index, reduction);
        }

        public class CrossEntropyLoss : Loss
        {
            public long ignore_index { get; }
            public double label_smoothing { get; }

            public CrossEntropyLoss(Tensor? weight = null, long ignore_index = -100, string reduction = "mean", double label_smoothing = 0.0) : base(reduction)
            {
                register_buffer("weight", weight);
                this.ignore_index = ignore_index;
                this.label_smoothing = label_smoothing;
            }

            public override Tensor forward(Tensor input, Tensor target) =>
                functional.cross_entropy(input, target, _buffers["weight"], ignore_index, reduction, label_smoothing);
        }
    }
}
