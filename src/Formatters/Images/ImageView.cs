using System.Globalization;

namespace Notebooks.Formatters.Images;

/// <summary>An image made by <see cref="viz.imshow"/>: a PNG that displays as an inline &lt;img&gt;.</summary>
public sealed class ImageView
{
    internal ImageView(byte[] png, int width, int height, int channels, int images, string? title)
    {
        this.png = png; this.width = width; this.height = height; this.channels = channels; this.images = images; this.title = title;
    }

    public byte[] png { get; }

    /// <summary>Drawn inside axes (ticks in pixel coordinates), <see cref="Size"/> pixels wide; otherwise a bare &lt;img&gt;.</summary>
    internal bool Axis { get; init; }
    internal bool Colorbar { get; init; }
    internal Plots.Colormap Cmap { get; init; } = Plots.Colormap.Get("gray");
    internal double Low { get; init; }
    internal double High { get; init; } = 1;
    /// <summary>A grayscale image's values (for the figure's cell grid); null for RGB.</summary>
    internal double[,]? Values { get; init; }
    internal bool IsRgb { get; init; }
    internal int Size { get; init; } = 400;

    /// <summary>The picture inside axes, as <see cref="Plots.Heatmap"/> draws it: square pixels, row 0 at the top.</summary>
    internal Plots.Heatmap Figure()
    {
        var f = new Plots.Heatmap(Values ?? new double[height, width], [.. Enumerable.Range(0, width).Select(i => (double)i)], [.. Enumerable.Range(0, height).Select(i => (double)i)], Cmap, Low, High)
        {
            Png = png, IsRgb = IsRgb, YDown = true, EqualAspect = true, ShowColorbar = Colorbar, Size = Size,
        };
        return title is null ? f : f.title(title);
    }

    /// <summary>The figure's SVG (axes, picture, colour bar), as shown with <c>axis: true</c>.</summary>
    public string ToSvg() => Figure().ToSvg();
    public int width { get; }
    public int height { get; }
    /// <summary>1 for grayscale, 3 for RGB.</summary>
    public int channels { get; }
    /// <summary>How many images the grid holds.</summary>
    public int images { get; }
    public string? title { get; }

    /// <summary>Small images (MNIST's 28×28) are shown enlarged with crisp pixels; the PNG keeps its true size.</summary>
    public int display_scale => Math.Clamp(160 / Math.Max(1, Math.Max(width, height)), 1, 8);

    public string ToHtml()
    {
        if (Axis) return Html.Theme.InlineSvgWithImageFallback(ToSvg(), "nb-image", ToString());
        var img = $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"{(width * display_scale).ToString(CultureInfo.InvariantCulture)}\" " +
                  $"height=\"{(height * display_scale).ToString(CultureInfo.InvariantCulture)}\" style=\"image-rendering:pixelated\" alt=\"{Html.Html.Escape(ToString())}\"/>";
        return title is null ? img : $"<figure style=\"margin:0\">{img}<figcaption>{Html.Html.Escape(title)}</figcaption></figure>";
    }

    public void save(string path) => File.WriteAllBytes(path, png);

    public override string ToString() => $"ImageView({width}x{height}, {(channels == 1 ? "gray" : "RGB")}, {images} image{(images == 1 ? "" : "s")})";
}
