using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

public static partial class torchvision
{
    /// <summary>torchvision.transforms: callables from an image to a tensor, composable.</summary>
    public static class transforms
    {
        /// <summary>A transform: <c>t.call(x)</c>; any <c>Func&lt;Tensor, Tensor&gt;</c> converts to one (as transforms.Lambda).</summary>
        public abstract class Transform
        {
            public abstract Tensor call(Tensor input);
            public static implicit operator Transform(Func<Tensor, Tensor> f) => new Lambda(f);
        }

        /// <summary>Applies its transforms in order.</summary>
        public sealed class Compose(params Transform[] transforms) : Transform
        {
            public Transform[] transforms { get; } = transforms;

            public override Tensor call(Tensor input)
            {
                foreach (var t in transforms) input = t.call(input);
                return input;
            }

            public override string ToString() => "Compose(\n" + string.Concat(transforms.Select(t => $"    {t}\n")) + ")";
        }

        /// <summary>
        /// An image as uint8 (H, W) or (H, W, C) becomes float32 (C, H, W) divided by 255, as torchvision's to_tensor
        /// (`img.to(dtype=default_float_dtype).div(255)`); a float tensor passes through as (C, H, W).
        /// </summary>
        public sealed class ToTensor : Transform
        {
            public override Tensor call(Tensor pic)
            {
                if (pic.dim() != 2 && pic.dim() != 3) throw new ArgumentException($"pic should be 2/3 dimensional. Got {pic.dim()} dimensions.");
                var img = pic.dim() == 2 ? pic.unsqueeze(0) : pic.permute(2, 0, 1).contiguous();
                if (img.dtype != DType.UInt8) return img;
                if (img.is_cpu && torch.get_default_dtype() == DType.Float32)
                {
                    // One pass and one allocation per image (a data loader calls this 60 000 times an epoch); the same
                    // float division by 255 as img.to(float32).div(255).
                    var src = img.ContiguousRaw();
                    var r = Tensor.Empty(src._shape, DType.Float32, Device.CPU);
                    var from = HostMemory.Elements<byte>(src.Buffer);
                    var to = HostMemory.Storage<float>(r.Buffer);
                    for (int i = 0; i < from.Length; i++) to[i] = from[i] / 255f;
                    GC.KeepAlive(src);   // the span reads src's memory: src's storage must outlive it (LargeArrayPool)
                    return r;
                }
                return img.to(torch.get_default_dtype()).div(255);
            }

            public override string ToString() => "ToTensor()";
        }

        /// <summary>(x - mean[c]) / std[c] per channel of a (C, H, W) or (N, C, H, W) float tensor, as torchvision's normalize.</summary>
        public sealed class Normalize : Transform
        {
            public double[] mean { get; }
            public double[] std { get; }
            public bool inplace { get; }
            private Tensor? _mean, _std;

            public Normalize(double[] mean, double[] std, bool inplace = false)
            {
                if (std.Any(s => s == 0)) throw new ArgumentException($"std evaluated to zero after conversion to {torch.get_default_dtype()}, leading to division by zero.");
                this.mean = mean; this.std = std; this.inplace = inplace;
            }

            public Normalize(double mean, double std, bool inplace = false) : this([mean], [std], inplace) { }

            public override Tensor call(Tensor tensor)
            {
                if (!tensor.is_floating_point()) throw new ArgumentException($"Input tensor should be a float tensor. Got {tensor.dtype}.");
                if (tensor.dim() < 3) throw new ArgumentException($"Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = {tensor.shape}");
                if (!inplace && tensor.is_cpu && tensor.dtype == DType.Float32 && tensor.dim() == 3 && tensor.is_contiguous() && tensor.size(0) == mean.Length
                    && mean.Length == std.Length)
                {
                    // One pass per image: (x - m) / s with m and s rounded to float, as the tensor ops compute it.
                    var r = Tensor.Empty(tensor._shape, DType.Float32, Device.CPU);
                    var from = HostMemory.Elements<float>(tensor.Buffer);
                    var to = HostMemory.Storage<float>(r.Buffer);
                    int plane = (int)(tensor.size(1) * tensor.size(2));
                    for (int c = 0; c < mean.Length; c++)
                    {
                        float m = (float)mean[c], sd = (float)std[c];
                        for (int i = c * plane; i < (c + 1) * plane; i++) to[i] = (from[i] - m) / sd;
                    }
                    GC.KeepAlive(tensor);   // the span reads tensor's memory: its storage must outlive it (LargeArrayPool)
                    return r;
                }
                // The (C, 1, 1) mean and std are made once per dtype/device, not per image.
                if (_mean is null || _mean.dtype != tensor.dtype || _mean.device != tensor.device)
                {
                    _mean = torch.tensor(mean, dtype: tensor.dtype).to(tensor.device).view(-1, 1, 1);
                    _std = torch.tensor(std, dtype: tensor.dtype).to(tensor.device).view(-1, 1, 1);
                }
                return inplace ? tensor.sub_(_mean).div_(_std!) : tensor.sub(_mean).div(_std!);
            }

            public override string ToString() => $"Normalize(mean={Tuple(mean)}, std={Tuple(std)})";

            private static string Tuple(double[] v) => v.Length == 1 ? $"({PyRepr.Float(v[0])},)" : "(" + string.Join(", ", v.Select(PyRepr.Float)) + ")";
        }

        /// <summary>A user function as a transform.</summary>
        public sealed class Lambda(Func<Tensor, Tensor> lambd) : Transform
        {
            public override Tensor call(Tensor input) => lambd(input);
            public override string ToString() => "Lambda()";
        }
    }
}
