namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>y = x·Wᵀ + b with W of shape [out_features, in_features], initialised as PyTorch does.</summary>
        public class Linear : Module
        {
            public long in_features { get; }
            public long out_features { get; }

            public new Tensor weight { get => _parameters["weight"]!; set => SetParameter("weight", value); }
            public new Tensor? bias { get => _parameters["bias"]; set => SetParameter("bias", value); }

            public Linear(long in_features, long out_features, bool bias = true, Device? device = null, DType? dtype = null)
            {
                this.in_features = in_features;
                this.out_features = out_features;
                weight = Parameter(torch.empty([out_features, in_features], dtype, device));
                this.bias = bias ? Parameter(torch.empty([out_features], dtype, device)) : null;
                reset_parameters();
            }

            /// <summary>kaiming_uniform_(W, a=√5), then b ~ U(-1/√fan_in, 1/√fan_in): Linear.reset_parameters.</summary>
            public void reset_parameters()
            {
                init.kaiming_uniform_(weight, a: Math.Sqrt(5));
                if (bias is { } b)
                {
                    var (fanIn, _) = init._calculate_fan_in_and_fan_out(weight);
                    double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                    init.uniform_(b, -bound, bound);
                }
            }

            public override Tensor forward(Tensor input) => functional.linear(input, weight, bias);

            public override string extra_repr() => $"in_features={in_features}, out_features={out_features}, bias={PyRepr.Bool(bias is not null)}";
        }

        /// <summary>Returns its input unchanged.</summary>
        public class Identity : Module
        {
            public override Tensor forward(Tensor input) => input;
        }

        public class Flatten(int start_dim = 1, int end_dim = -1) : Module
        {
            public int start_dim { get; } = start_dim;
            public int end_dim { get; } = end_dim;
            public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
            public override string extra_repr() => $"start_dim={start_dim}, end_dim={end_dim}";
        }

        public class Unflatten(int dim, params long[] unflattened_size) : Module
        {
            public int dim { get; } = dim;
            public long[] unflattened_size { get; } = unflattened_size;
            public override Tensor forward(Tensor input) => input.unflatten(dim, unflattened_size);
            public override string extra_repr() => $"dim={dim}, unflattened_size={PyRepr.Tuple(unflattened_size)}";
        }
    }
}
