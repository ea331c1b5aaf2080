using Notebooks.Tensors.Autograd;
namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// <c>torch.nn.init</c>: the same formulas and the same generator calls as torch/nn/init.py, so a seeded
        /// init gives PyTorch's numbers bit for bit. All fill in place without recording.
        /// </summary>
        public static class init
        {
            /// <summary>The recommended gain for a nonlinearity (init.py's table).</summary>
            public static double calculate_gain(string nonlinearity, double? param = null)
            {
                switch (nonlinearity)
                {
                    case "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid":
                        return 1;
                    case "tanh": return 5.0 / 3;
                    case "relu": return Math.Sqrt(2.0);
                    case "leaky_relu":
                        double slope = param ?? 0.01;
                        return Math.Sqrt(2.0 / (1 + slope * slope));
                    case "selu": return 3.0 / 4;
                    default: throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}");
                }
            }

            public static (long fan_in, long fan_out) _calculate_fan_in_and_fan_out(Tensor tensor)
            {
                if (tensor.dim() < 2)
                    throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
                long receptive = 1;
                for (int d = 2; d < tensor.dim(); d++) receptive *= tensor.size(d);
                return (tensor.size(1) * receptive, tensor.size(0) * receptive);
            }

            private static long CorrectFan(Tensor tensor, string mode)
            {
                if (mode is not ("fan_in" or "fan_out"))
                    throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out");
                var (fanIn, fanOut) = _calculate_fan_in_and_fan_out(tensor);
                return mode == "fan_in" ? fanIn : fanOut;
            }

            private static Tensor NoGrad(Func<Tensor> f) { using (new NoGradScope()) return f(); }

            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null) =>
                NoGrad(() => tensor.uniform_(a, b, generator));

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null) =>
                NoGrad(() => tensor.normal_(mean, std, generator));

            public static Tensor constant_(Tensor tensor, double val) => NoGrad(() => tensor.fill_(val));
            public static Tensor zeros_(Tensor tensor) => NoGrad(() => tensor.zero_());
            public static Tensor ones_(Tensor tensor) => NoGrad(() => tensor.fill_(1));

            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
            {
                if (tensor.numel() == 0) { warnings.warnFromLibrary("Initializing zero-element tensors is a no-op"); return tensor; }
                double std = calculate_gain(nonlinearity, a) / Math.Sqrt(CorrectFan(tensor, mode));
                double bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound, generator);
            }

            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
            {
                if (tensor.numel() == 0) { warnings.warnFromLibrary("Initializing zero-element tensors is a no-op"); return tensor; }
                double std = calculate_gain(nonlinearity, a) / Math.Sqrt(CorrectFan(tensor, mode));
                return normal_(tensor, 0, std, generator);
            }

            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0, Generator? generator = null)
            {
                var (fanIn, fanOut) = _calculate_fan_in_and_fan_out(tensor);
                double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                double a = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -a, a, generator);
            }

            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0, Generator? generator = null)
            {
                var (fanIn, fanOut) = _calculate_fan_in_and_fan_out(tensor);
                double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                return normal_(tensor, 0, std, generator);
            }

            /// <summary>
            /// A truncated normal by init.py's method: uniform over [2l-1, 2u-1] (l, u the normal CDF at the bounds),
            /// then erfinv, scale by std·√2, shift by mean, clamp to [a, b].
            /// </summary>
            public static Tensor trunc_normal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2, Generator? generator = null)
            {
                static double NormCdf(double x) => (1 + Backend.Functions.SpecialFunctions.Erf(x / Math.Sqrt(2))) / 2;
                if (mean < a - 2 * std || mean > b + 2 * std)
                    warnings.warnFromLibrary("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.");
                using (new NoGradScope())
                {
                    double l = NormCdf((a - mean) / std), u = NormCdf((b - mean) / std);
                    tensor.uniform_(2 * l - 1, 2 * u - 1, generator);
                    Erfinv.Apply(tensor);
                    tensor.mul_(std * Math.Sqrt(2.0));
                    tensor.add_(mean);
                    tensor.clamp_(a, b);
                }
                return tensor;
            }
        }
    }
}
