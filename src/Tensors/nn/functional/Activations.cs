using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// <c>torch.nn.functional</c> (alias it: <c>using F = Notebooks.Tensors.torch.nn.functional;</c>). Ops that are
        /// one kernel in ATen get their own node named as PyTorch names it; composite ones are built from tensor ops.
        /// Forward formulas follow ATen's CPU kernels (aten/src/ATen/native/cpu/Activation.cpp), backward formulas
        /// tools/autograd/derivatives.yaml.
        /// </summary>
        public static partial class functional
        {
            private const double Sqrt1_2 = 0.70710678118654752440;

            /// <summary>max(x, 0) element-wise (in place with inplace: true).</summary>
            public static Tensor relu(Tensor input, bool inplace = false) => inplace ? input.relu_() : input.relu();

            public static Tensor relu_(Tensor input) => input.relu_();

            /// <summary>x for x &gt;= 0, negative_slope·x below.</summary>
            public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01, bool inplace = false)
            {
                if (inplace) return input.InPlace(s => leaky_relu(s, negative_slope));
                Tensor r;
                using (new NoGradScope()) r = torch.where(input > 0, input, input * negative_slope);
                return Derivatives.LeakyRelu.Record(r, input, scalar: negative_slope);
            }

            /// <summary>1 / (1 + e^-x) element-wise.</summary>
            public static Tensor sigmoid(Tensor input) => input.sigmoid();
            /// <summary>Hyperbolic tangent element-wise.</summary>
            public static Tensor tanh(Tensor input) => input.tanh();

            /// <summary>exp(x) normalised to sum to 1 along dim.</summary>
            public static Tensor softmax(Tensor input, int dim, DType? dtype = null) => input.softmax(dim, dtype);
            /// <summary>log(softmax(x)) along dim, computed stably.</summary>
            public static Tensor log_softmax(Tensor input, int dim, DType? dtype = null) => input.log_softmax(dim, dtype);

            /// <summary>GELU: x·Φ(x) exactly (<c>approximate: "none"</c>) or with PyTorch's tanh approximation.</summary>
            public static Tensor gelu(Tensor input, string approximate = "none")
            {
                if (approximate is not ("none" or "tanh"))
                    throw new ArgumentException($"approximate argument must be either none or tanh.");
                Tensor r;
                const double kBeta = 0.7978845608028654, kKappa = 0.044715; // sqrt(2/pi) and the cubic coefficient
                using (new NoGradScope())
                {
                    r = approximate == "none"
                        ? input * 0.5 * ((input * Sqrt1_2).erf() + 1)
                        : input * 0.5 * (((input + input * input * input * kKappa) * kBeta).tanh() + 1);
                }
                return Derivatives.Gelu.Record(r, input, scalar: approximate == "none" ? 0 : 1);
            }

            public static Tensor elu(Tensor input, double alpha = 1.0, bool inplace = false)
            {
                if (inplace) return input.InPlace(s => elu(s, alpha));
                Tensor r;
                using (new NoGradScope()) r = torch.where(input > 0, input, input.expm1() * alpha);
                return Derivatives.Elu.Record(r, input, scalar: alpha);
            }

            public static Tensor silu(Tensor input, bool inplace = false)
            {
                if (inplace) return input.InPlace(s => silu(s));
                Tensor r;
                using (new NoGradScope()) r = input / ((-input).exp() + 1);
                return Derivatives.Silu.Record(r, input);
            }

            public static Tensor softplus(Tensor input, double beta = 1.0, double threshold = 20.0)
            {
                Tensor r;
                using (new NoGradScope())
                {
                    var xb = input * beta;
                    r = torch.where(xb > threshold, input, xb.exp().log1p() / beta);
                }
                return GradMode.ShouldRecord(input) ? Derivatives.Softplus.Record(r, input, state: (beta, threshold)) : r;
            }

            public static Tensor hardtanh(Tensor input, double min_val = -1.0, double max_val = 1.0, bool inplace = false)
            {
                if (min_val > max_val) throw new ArgumentException("min_val cannot be greater than max_val");
                if (inplace) return input.InPlace(s => hardtanh(s, min_val, max_val));
                Tensor r;
                using (new NoGradScope()) r = input.clamp(min_val, max_val);
                return GradMode.ShouldRecord(input) ? Derivatives.Hardtanh.Record(r, input, state: (min_val, max_val)) : r;
            }

            /// <summary>
            /// Zeroes elements with probability p and scales the rest by 1/(1-p), as ATen's CPU <c>_dropout_impl</c>:
            /// a noise tensor filled by bernoulli_(1-p), divided by 1-p, multiplied in (so grad_fn is MulBackward0).
            /// </summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true, bool inplace = false)
            {
                if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PyRepr.Float(p)}");
                if (!training || p == 0) return input;
                if (p == 1) return inplace ? input.mul_(torch.zeros([], dtype: input.dtype)) : input * torch.zeros([], dtype: input.dtype);
                Tensor noise;
                using (new NoGradScope())
                {
                    noise = torch.empty_like(input);
                    noise.bernoulli_(1 - p);
                    noise.div_(1 - p);
                }
                return inplace ? input.mul_(noise) : input * noise;
            }

            /// <summary>
            /// y = x·Wᵀ + b. A matrix input with a bias is one addmm (AddmmBackward0), as in ATen's <c>linear</c>, and
            /// so is a contiguous input of more dims (viewed as rows, then back: ViewBackward0); others go through
            /// matmul, then add the bias.
            /// </summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                if (bias is not null && input.dim() >= 3 && input.is_contiguous())
                {
                    // ATen's _flatten_nd_linear: a contiguous N-d input is one addmm over its rows, viewed back.
                    long[] lead = input._shape[..^1];
                    var flat = linear(input.reshape(-1, input._shape[^1]), weight, bias);
                    return flat.view([.. lead, flat._shape[1]]);
                }
                var wt = weight.t();
                if (input.dim() == 2 && bias is not null)
                {
                    Tensor r;
                    // add, not +: the operator would file this result as "bias + y" for Module's parameter setter
                    // (a weak-table entry per forward), which only user-written updates need.
                    using (new NoGradScope()) r = bias.add(input.mm(wt));
                    return Derivatives.Addmm.Record(r, [bias, input, wt]);
                }
                Tensor output;
                if (input.dim() == 1)
                {
                    // ATen's matmul of a vector and a matrix: unsqueeze(0).mm(...).squeeze_(0).
                    var m = input.unsqueeze(0).mm(wt);
                    output = new Tensor(m._storage, [m._shape[1]], [m._strides[1]], m._offset);
                    Derivatives.SqueezeInPlace.Record(output, m);
                }
                else
                {
                    output = input.matmul(wt);
                }
                return bias is null ? output : output + bias;
            }
        }
    }
}
