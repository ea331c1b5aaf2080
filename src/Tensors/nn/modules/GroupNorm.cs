using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Normalises each sample's channel groups (C / num_groups channels · spatial positions, biased variance); per-channel affine.</summary>
        public class GroupNorm : Module
        {
            public long num_groups { get; }
            public long num_channels { get; }
            public double eps { get; }
            public bool affine { get; }

            public new Tensor? weight { get => _parameters.GetValueOrDefault("weight"); set => SetParameter("weight", value); }
            public new Tensor? bias { get => _parameters.GetValueOrDefault("bias"); set => SetParameter("bias", value); }

            public GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true, Device? device = null, DType? dtype = null)
            {
                if (num_channels % num_groups != 0) throw new ArgumentException("num_channels must be divisible by num_groups");
                this.num_groups = num_groups; this.num_channels = num_channels; this.eps = eps; this.affine = affine;
                if (affine)
                {
                    weight = Parameter(torch.ones([num_channels], dtype, device));
                    bias = Parameter(torch.zeros([num_channels], dtype, device));
                }
            }

            public override Tensor forward(Tensor input) => functional.group_norm(input, num_groups, weight, bias, eps);

            public override string extra_repr() => $"{num_groups}, {num_channels}, eps={PyRepr.Float(eps)}, affine={PyRepr.Bool(affine)}";
        }

        public static partial class functional
        {
            /// <summary>
            /// F.group_norm over (N, C, *): y = x·a + b per (sample, channel) with a = rstd·w and b = bias - mean·a, as
            /// ATen's CPU kernel applies it; one NativeGroupNormBackward0 node.
            /// </summary>
            public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                if (input.dim() < 2) throw new ArgumentException($"Expected at least 2 dimensions for input tensor but received {input.dim()}");
                long n = input.size(0), c = input.size(1);
                if (c % num_groups != 0)
                    throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape {Shapes.Format(input._shape)} and num_groups={num_groups}");
                if (weight is not null && (weight.dim() != 1 || weight.numel() != c))
                    throw new ArgumentException($"Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape {Shapes.Format(weight._shape)} and input of shape {Shapes.Format(input._shape)}");
                if (bias is not null && (bias.dim() != 1 || bias.numel() != c))
                    throw new ArgumentException($"Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape {Shapes.Format(bias._shape)} and input of shape {Shapes.Format(input._shape)}");
                long cg = c / num_groups;
                Tensor mean, rstd, y;
                using (new NoGradScope())
                {
                    var x4 = input.reshape(n, num_groups, cg, -1);
                    mean = x4.mean([2L, 3], keepdim: true);
                    rstd = ((x4 - mean).square().mean([2L, 3], keepdim: true) + eps).rsqrt();
                    var a = weight is null ? rstd : rstd * weight.view(1, num_groups, cg, 1);
                    var b = bias is null ? -mean * a : bias.view(1, num_groups, cg, 1) - mean * a;
                    y = (x4 * a + b).view(input._shape);
                }
                return Derivatives.NativeGroupNorm.Record(y, [input, weight, bias], state: new GroupNormArgs(mean, rstd, weight, bias is not null, num_groups));
            }
        }
    }
}
