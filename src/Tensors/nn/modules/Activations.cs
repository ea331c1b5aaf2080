namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        // Activation modules: each calls its functional form; extra_repr as torch/nn/modules/activation.py prints.
        public class ReLU(bool inplace = false) : Module
        {
            public bool inplace { get; } = inplace;
            public override Tensor forward(Tensor input) => functional.relu(input, inplace);
            public override string extra_repr() => inplace ? "inplace=True" : "";
        }

        public class LeakyReLU(double negative_slope = 0.01, bool inplace = false) : Module
        {
            public double negative_slope { get; } = negative_slope;
            public bool inplace { get; } = inplace;
            public override Tensor forward(Tensor input) => functional.leaky_relu(input, negative_slope, inplace);
            public override string extra_repr() => $"negative_slope={PyRepr.Float(negative_slope)}{(inplace ? ", inplace=True" : "")}";
        }

        public class Sigmoid : Module
        {
            public override Tensor forward(Tensor input) => input.sigmoid();
        }

        public class Tanh : Module
        {
            public override Tensor forward(Tensor input) => input.tanh();
        }

        public class Softmax(int dim) : Module
        {
            public int dim { get; } = dim;
            public override Tensor forward(Tensor input) => input.softmax(dim);
            public override string extra_repr() => $"dim={dim}";
        }

        public class LogSoftmax(int dim) : Module
        {
            public int dim { get; } = dim;
            public override Tensor forward(Tensor input) => input.log_softmax(dim);
            public override string extra_repr() => $"dim={dim}";
        }

        public class GELU(string approximate = "none") : Module
        {
            public string approximate { get; } = approximate;
            public override Tensor forward(Tensor input) => functional.gelu(input, approximate);
            public override string extra_repr() => $"approximate='{approximate}'";
        }

        public class ELU(double alpha = 1.0, bool inplace = false) : Module
        {
            public double alpha { get; } = alpha;
            public bool inplace { get; } = inplace;
            public override Tensor forward(Tensor input) => functional.elu(input, alpha, inplace);
            public override string extra_repr() => $"alpha={PyRepr.Float(alpha)}{(inplace ? ", inplace=True" : "")}";
        }

        public class SiLU(bool inplace = false) : Module
        {
            public bool inplace { get; } = inplace;
            public override Tensor forward(Tensor input) => functional.silu(input, inplace);
            public override string extra_repr() => inplace ? "inplace=True" : "";
        }

        public class Softplus(double beta = 1.0, double threshold = 20.0) : Module
        {
            public double beta { get; } = beta;
            public double threshold { get; } = threshold;
            public override Tensor forward(Tensor input) => functional.softplus(input, beta, threshold);
            public override string extra_repr() => $"beta={PyRepr.Float(beta)}, threshold={PyRepr.Float(threshold)}";
        }

        public class Hardtanh(double min_val = -1.0, double max_val = 1.0, bool inplace = false) : Module
        {
            public double min_val { get; } = min_val;
            public double max_val { get; } = max_val;
            public bool inplace { get; } = inplace;
            public override Tensor forward(Tensor input) => functional.hardtanh(input, min_val, max_val, inplace);
            public override string extra_repr() => $"min_val={PyRepr.Float(min_val)}, max_val={PyRepr.Float(max_val)}{(inplace ? ", inplace=True" : "")}";
        }

        public class Dropout(double p = 0.5, bool inplace = false) : Module
        {
            public double p { get; } = p >= 0 && p <= 1 ? p : throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PyRepr.Float(p)}");
            public bool inplace { get; } = inplace;
            public override Tensor forward(Tensor input) => functional.dropout(input, p, training, inplace);
            public override string extra_repr() => $"p={PyRepr.Float(p)}, inplace={PyRepr.Bool(inplace)}";
        }
    }
}
