namespace Notebooks.Tensors;

public static partial class torchvision
{
    /// <summary>torchvision.utils.</summary>
    public static class utils
    {
        /// <summary>
        /// torchvision.utils.make_grid: a [B, C, H, W] batch (or a list of same-sized [C, H, W] images) laid out as one
        /// [C, H', W'] image, <paramref name="nrow"/> images per row, <paramref name="padding"/> pixels of
        /// <paramref name="pad_value"/> around each. As torchvision (vision/torchvision/utils.py): a [H, W] or
        /// [1, H, W] image and single-channel batches become 3 channels; with <paramref name="normalize"/> a copy is
        /// clamped to <paramref name="value_range"/> (default the tensor's min and max, per image with
        /// <paramref name="scale_each"/>) and mapped to 0..1 by <c>(x - low) / max(high - low, 1e-5)</c>; a batch of one
        /// image is returned without padding.
        /// </summary>
        public static Tensor make_grid(Tensor tensor, int nrow = 8, int padding = 2, bool normalize = false,
            (double low, double high)? value_range = null, bool scale_each = false, double pad_value = 0.0)
        {
            if (tensor.dim() == 2) tensor = tensor.unsqueeze(0); // single image H x W
            if (tensor.dim() == 3)
            {
                if (tensor.size(0) == 1) tensor = torch.cat([tensor, tensor, tensor], 0); // single-channel image to 3 channels
                tensor = tensor.unsqueeze(0);
            }
            if (tensor.dim() != 4) throw new ArgumentException($"make_grid expects a 2-, 3- or 4-D tensor, got {tensor.dim()} dimensions");
            if (tensor.size(1) == 1) tensor = torch.cat([tensor, tensor, tensor], 1); // single-channel images

            if (normalize)
            {
                tensor = tensor.clone(); // avoid modifying tensor in-place
                if (scale_each)
                    for (long i = 0; i < tensor.size(0); i++) NormRange(tensor.select(0, i), value_range);
                else NormRange(tensor, value_range);
            }

            if (tensor.size(0) == 1) return tensor.squeeze(0);

            // make the mini-batch of images into a grid
            long nmaps = tensor.size(0);
            long xmaps = Math.Min(nrow, nmaps);
            long ymaps = (long)Math.Ceiling((double)nmaps / xmaps);
            long height = tensor.size(2) + padding, width = tensor.size(3) + padding;
            long channels = tensor.size(1);
            var grid = torch.full([channels, height * ymaps + padding, width * xmaps + padding], pad_value, dtype: tensor.dtype, device: tensor.device);
            long k = 0;
            for (long y = 0; y < ymaps; y++)
            for (long x = 0; x < xmaps; x++)
            {
                if (k >= nmaps) break;
                grid.narrow(1, y * height + padding, height - padding).narrow(2, x * width + padding, width - padding).copy_(tensor.select(0, k));
                k++;
            }
            return grid;
        }

        /// <summary>make_grid(list): the images stacked into a batch first (torch.stack(tensor, dim=0)).</summary>
        public static Tensor make_grid(IEnumerable<Tensor> tensors, int nrow = 8, int padding = 2, bool normalize = false,
            (double low, double high)? value_range = null, bool scale_each = false, double pad_value = 0.0) =>
            make_grid(torch.stack([.. tensors], 0), nrow, padding, normalize, value_range, scale_each, pad_value);

        private static void NormRange(Tensor t, (double low, double high)? range)
        {
            var (low, high) = range ?? (t.min().item<double>(), t.max().item<double>());
            t.clamp_(low, high);
            t.sub_(low).div_(Math.Max(high - low, 1e-5));
        }
    }
}
