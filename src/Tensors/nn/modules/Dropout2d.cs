using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Zeroes whole channels of (N, C, H, W) (or unbatched (C, H, W)) with probability p while training.</summary>
        public class Dropout2d(double p = 0.5, bool inplace = false) : Module
        {
            public double p { get; } = p >= 0 && p <= 1 ? p : throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PyRepr.Float(p)}");
            public bool inplace { get; } = inplace;
            public override Tensor forward(Tensor input) => functional.dropout2d(input, p, training, inplace);
            public override string extra_repr() => $"p={PyRepr.Float(p)}, inplace={PyRepr.Bool(inplace)}";
        }

        public static partial class functional
        {
            /// <summary>
            /// F.dropout2d as ATen's _dropout_impl with feature dropout: one bernoulli_(1 - p) draw per (sample, channel),
            /// in row-major order, divided by 1 - p and multiplied in (grad_fn MulBackward0).
            /// </summary>
            public static Tensor dropout2d(Tensor input, double p = 0.5, bool training = true, bool inplace = false)
            {
                if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PyRepr.Float(p)}");
                int dim = input.dim();
                if (dim != 3 && dim != 4)
                    warnings.warn($"dropout2d: Received a {dim}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).");
                if (!training || p == 0) return input;
                // A 3-d input is (C, H, W): its channels are features, so the mask is (C, 1, 1).
                bool batched = dim != 3;
                var x = batched ? input : input.unsqueeze(0);
                if (p == 1) return inplace ? input.mul_(torch.zeros([], dtype: input.dtype)) : input * torch.zeros([], dtype: input.dtype);
                Tensor noise;
                using (new NoGradScope())
                {
                    var shape = new long[x.dim()];
                    shape[0] = x.size(0); shape[1] = x.size(1);
                    for (int i = 2; i < shape.Length; i++) shape[i] = 1;
                    noise = torch.empty(shape, dtype: input.dtype, device: input.device);
                    noise.bernoulli_(1 - p);
                    noise.div_(1 - p);
                    if (!batched) noise = noise.squeeze(0);
                }
                return inplace ? input.mul_(noise) : input * noise;
            }
        }
    }
}
