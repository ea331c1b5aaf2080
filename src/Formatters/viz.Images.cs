using Notebooks.Formatters.Images;

namespace Notebooks.Formatters;

public static partial class viz
{
    /// <summary>
    /// Shows an image tensor: [H, W] or [1, H, W] grayscale, [3, H, W] RGB, or a [B, C, H, W] batch as a grid of
    /// <paramref name="nrow"/> images per row separated by <paramref name="padding"/> pixels (torchvision's make_grid).
    /// <paramref name="scale"/>: "minmax" maps the tensor's min..max to black..white (constant images become mid-grey);
    /// "clamp" takes values as already in 0..1 and clamps the rest.
    /// </summary>
    public static ImageView imshow(Tensor x, string scale = "minmax", int nrow = 8, int padding = 2, string? title = null)
    {
        if (scale is not ("minmax" or "clamp")) throw new ArgumentException($"scale must be \"minmax\" or \"clamp\", got \"{scale}\"", nameof(scale));
        var shape = x.shape.ToArray();
        long b, c, h, w;
        switch (shape.Length)
        {
            case 2: (b, c, h, w) = (1, 1, shape[0], shape[1]); break;
            case 3: (b, c, h, w) = (1, shape[0], shape[1], shape[2]); break;
            case 4: (b, c, h, w) = (shape[0], shape[1], shape[2], shape[3]); break;
            default: throw new ArgumentException($"imshow expects [H, W], [C, H, W] or [B, C, H, W], got a tensor of shape [{string.Join(", ", shape)}]");
        }
        if (c is not (1 or 3)) throw new ArgumentException($"imshow expects 1 (gray) or 3 (RGB) channels, got {c}");
        if (b == 0 || h == 0 || w == 0) throw new ArgumentException("imshow got an empty image");
        if (nrow < 1) throw new ArgumentException("nrow must be positive", nameof(nrow));
        if (padding < 0) throw new ArgumentException("padding must be non-negative", nameof(padding));
        var values = x.detach().ToArray<double>();

        double lo = 0, hi = 1;
        if (scale == "minmax")
        {
            lo = double.PositiveInfinity; hi = double.NegativeInfinity;
            foreach (var v in values) if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            if (!(hi > lo)) { lo -= 0.5; hi = lo + 1; }
        }

        int cols = (int)Math.Min(b, nrow), rows = (int)((b + cols - 1) / cols);
        bool grid = shape.Length == 4;
        int pad = grid ? padding : 0;
        long gw = cols * (w + pad) + pad, gh = rows * (h + pad) + pad;
        if (gw * gh * c > int.MaxValue / 2) throw new ArgumentException("image too large to show");
        var pixels = new byte[gw * gh * c]; // padding stays black, as make_grid's pad_value=0
        for (long i = 0; i < b; i++)
        {
            long ox = pad + (i % cols) * (w + pad), oy = pad + (i / cols) * (h + pad);
            for (long ch = 0; ch < c; ch++)
            for (long yy = 0; yy < h; yy++)
            for (long xx = 0; xx < w; xx++)
            {
                double v = values[((i * c + ch) * h + yy) * w + xx];
                double f = double.IsNaN(v) ? 0 : Math.Clamp((v - lo) / (hi - lo), 0, 1);
                pixels[((oy + yy) * gw + ox + xx) * c + ch] = (byte)Math.Round(f * 255);
            }
        }
        return new ImageView(Png.Encode((int)gw, (int)gh, (int)c, pixels), (int)gw, (int)gh, (int)c, (int)b, title);
    }
}
