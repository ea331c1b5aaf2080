using Notebooks.Formatters.Images;

namespace Notebooks.Formatters;

public static partial class viz
{
    /// <summary>
    /// matplotlib's imshow for a tensor: [H, W] or [1, H, W] grayscale, [3, H, W] or [H, W, 3] RGB, or a [B, C, H, W]
    /// batch as a grid of <paramref name="nrow"/> images per row separated by <paramref name="padding"/> black pixels
    /// (laid out by <see cref="torchvision.utils.make_grid(Tensor, int, int, bool, ValueTuple{double, double}?, bool, double)"/>).
    /// <paramref name="scale"/>: "minmax" maps <paramref name="vmin"/>..<paramref name="vmax"/> (default the tensor's
    /// finite min and max) to the ends of the colour map (constant images become mid-grey); "clamp" takes values as
    /// already in 0..1 and clamps the rest. A grayscale image is coloured by <paramref name="cmap"/> (default "gray";
    /// see <see cref="Plots.Colormap"/>), with a colour bar when <paramref name="colorbar"/>. With <paramref name="axis"/>
    /// (default, as matplotlib) the picture is drawn <paramref name="size"/> pixels wide inside axes ticked in pixel
    /// coordinates; without, it is a bare enlarged &lt;img&gt;.
    /// </summary>
    public static ImageView imshow(Tensor x, string scale = "minmax", int nrow = 8, int padding = 2, string? title = null,
        string? cmap = null, bool colorbar = false, bool axis = true, int? size = null, double? vmin = null, double? vmax = null)
    {
        if (scale is not ("minmax" or "clamp")) throw new ArgumentException($"scale must be \"minmax\" or \"clamp\", got \"{scale}\"", nameof(scale));
        if (nrow < 1) throw new ArgumentException("nrow must be positive", nameof(nrow));
        if (padding < 0) throw new ArgumentException("padding must be non-negative", nameof(padding));
        if (size is <= 0) throw new ArgumentException($"size must be positive, got {size}", nameof(size));
        var shape = x.shape.ToArray();
        long b = 1;
        switch (shape.Length)
        {
            case 2: x = x.unsqueeze(0); break;
            case 3 when shape[0] is 1 or 3: break;
            // matplotlib's layout, channels last.
            case 3 when shape[2] is 1 or 3: x = x.permute(2, 0, 1); break;
            case 4: b = shape[0]; break;
            default: throw new ArgumentException($"imshow expects [H, W], [C, H, W], [H, W, C] or [B, C, H, W], got a tensor of shape [{string.Join(", ", shape)}]");
        }
        long c = x.size(-3);
        if (c is not (1 or 3)) throw new ArgumentException($"imshow expects 1 (gray) or 3 (RGB) channels, got {c}");
        if (x.numel() == 0) throw new ArgumentException("imshow got an empty image");
        var map = Plots.Colormap.Get(cmap ?? "gray");

        var all = x.detach().ToArray<double>();
        double lo = 0, hi = 1;
        if (scale == "minmax")
        {
            lo = double.PositiveInfinity; hi = double.NegativeInfinity;
            foreach (var v in all) if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            if (!double.IsFinite(lo)) (lo, hi) = (0, 1);
            lo = vmin ?? lo; hi = vmax ?? hi;
            if (!(hi > lo)) { lo -= 0.5; hi = lo + 1; }
        }

        // A batch is one picture: make_grid's layout, its padding at the value that maps to black.
        var picture = shape.Length == 4
            ? torchvision.utils.make_grid(x.detach().to(torch.float64), nrow, padding, pad_value: lo)
            : x.detach().to(torch.float64);
        if (shape.Length == 4 && c == 1) picture = picture.narrow(0, 0, 1); // make_grid repeats a gray channel three times
        long h = picture.size(1), w = picture.size(2);
        if (w * h * c > int.MaxValue / 2) throw new ArgumentException("image too large to show");
        var values = picture.contiguous().ToArray<double>();
        bool rgb = c == 3 || map.name != "gray";
        var pixels = new byte[w * h * (rgb ? 3 : 1)];
        var grey = new double[h, w];
        for (long yy = 0; yy < h; yy++)
        for (long xx = 0; xx < w; xx++)
        {
            if (c == 3)
                for (long ch = 0; ch < 3; ch++) pixels[(yy * w + xx) * 3 + ch] = (byte)Math.Round(Fraction(values[(ch * h + yy) * w + xx]) * 255);
            else
            {
                double v = values[yy * w + xx];
                grey[yy, xx] = v;
                if (!rgb) { pixels[yy * w + xx] = (byte)Math.Round(Fraction(v) * 255); continue; }
                var (r, g, bl) = map.At(Fraction(v));
                pixels[(yy * w + xx) * 3] = r; pixels[(yy * w + xx) * 3 + 1] = g; pixels[(yy * w + xx) * 3 + 2] = bl;
            }
        }
        var png = Png.Encode((int)w, (int)h, rgb ? 3 : 1, pixels);
        return new ImageView(png, (int)w, (int)h, rgb ? 3 : 1, (int)b, title)
        {
            Axis = axis, Colorbar = colorbar && c == 1, Cmap = map, Low = lo, High = hi, Values = c == 1 ? grey : null, IsRgb = c == 3,
            Size = size ?? (int)Math.Clamp(w * Math.Max(1, Math.Round(400.0 / w)), 200, 720),
        };

        double Fraction(double v) => double.IsNaN(v) ? 0 : Math.Clamp((v - lo) / (hi - lo), 0, 1);
    }

    /// <summary>
    /// Shows <see cref="torchvision.utils.make_grid(Tensor, int, int, bool, ValueTuple{double, double}?, bool, double)"/>'s
    /// grid of a [B, C, H, W] batch as <c>plt.imshow(make_grid(x).permute(1, 2, 0))</c> shows it: float values taken as
    /// 0..1 (clamped; pass <paramref name="normalize"/> to map the batch's range there), uint8 as 0..255.
    /// </summary>
    public static ImageView make_grid(Tensor tensor, int nrow = 8, int padding = 2, bool normalize = false, (double low, double high)? value_range = null,
        bool scale_each = false, double pad_value = 0.0, string? title = null, int? size = null)
    {
        var grid = torchvision.utils.make_grid(tensor.detach(), nrow, padding, normalize, value_range, scale_each, pad_value);
        bool bytes = grid.dtype == torch.uint8;
        var view = imshow(grid, scale: "minmax", title: title, size: size, vmin: 0, vmax: bytes ? 255 : 1);
        return view;
    }
}
