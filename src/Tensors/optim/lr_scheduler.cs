namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary><c>torch.optim.lr_scheduler</c>: the chainable forms of torch/optim/lr_scheduler.py.</summary>
        public static class lr_scheduler
        {
            public abstract class LRScheduler
            {
                public Optimizer optimizer { get; }
                public List<double> base_lrs { get; }
                public int last_epoch { get; private set; }
                private List<double> _lastLr = [];
                protected int _step_count { get; private set; }

                protected LRScheduler(Optimizer optimizer, int last_epoch = -1)
                {
                    this.optimizer = optimizer;
                    if (last_epoch == -1)
                        foreach (var g in optimizer.param_groups) g.TryAdd("initial_lr", g.lr);
                    base_lrs = optimizer.param_groups.Select(g => g.Get("initial_lr")).ToList();
                    this.last_epoch = last_epoch;
                    // PyTorch's _initial_step: the constructor takes the first step (epoch 0).
                    step();
                }

                /// <summary>The learning rates for last_epoch, computed from the current ones (chainable form).</summary>
                protected abstract IReadOnlyList<double> get_lr();

                public void step()
                {
                    _step_count++;
                    last_epoch++;
                    var lrs = get_lr();
                    for (int i = 0; i < lrs.Count; i++) optimizer.param_groups[i].lr = lrs[i];
                    _lastLr = optimizer.param_groups.Select(g => g.lr).ToList();
                }

                public IReadOnlyList<double> get_last_lr() => _lastLr;

                protected IEnumerable<double> CurrentLrs => optimizer.param_groups.Select(g => g.lr);
            }

            /// <summary>Multiplies the learning rate by gamma every step_size epochs.</summary>
            public class StepLR(Optimizer optimizer, int step_size, double gamma = 0.1, int last_epoch = -1) : LRScheduler(optimizer, last_epoch)
            {
                protected override IReadOnlyList<double> get_lr() =>
                    last_epoch == 0 || last_epoch % step_size != 0 ? CurrentLrs.ToList() : CurrentLrs.Select(lr => lr * gamma).ToList();
            }

            /// <summary>Multiplies the learning rate by gamma every epoch.</summary>
            public class ExponentialLR(Optimizer optimizer, double gamma, int last_epoch = -1) : LRScheduler(optimizer, last_epoch)
            {
                protected override IReadOnlyList<double> get_lr() =>
                    last_epoch == 0 ? CurrentLrs.ToList() : CurrentLrs.Select(lr => lr * gamma).ToList();
            }

            /// <summary>Cosine annealing from the base rate to eta_min over T_max epochs (the recursive form PyTorch steps by).</summary>
            public class CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0, int last_epoch = -1) : LRScheduler(optimizer, last_epoch)
            {
                protected override IReadOnlyList<double> get_lr()
                {
                    var groups = optimizer.param_groups;
                    if (last_epoch == 0) return CurrentLrs.ToList();
                    if (_step_count == 1 && last_epoch > 0)
                        return base_lrs.Select(b => eta_min + (b - eta_min) * (1 + Math.Cos(last_epoch * Math.PI / T_max)) / 2).ToList();
                    int m = 2 * T_max, k = ((last_epoch - 1 - T_max) % m + m) % m;
                    if (k == 0)
                        return groups.Select((g, i) => g.lr + (base_lrs[i] - eta_min) * (1 - Math.Cos(Math.PI / T_max)) / 2).ToList();
                    return groups.Select(g =>
                        (1 + Math.Cos(Math.PI * last_epoch / T_max)) / (1 + Math.Cos(Math.PI * (last_epoch - 1) / T_max)) * (g.lr - eta_min) + eta_min).ToList();
                }
            }
        }
    }
}
