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
        var img = $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"{(width * display_scale).ToString(CultureInfo.InvariantCulture)}\" " +
                  $"height=\"{(height * display_scale).ToString(CultureInfo.InvariantCulture)}\" style=\"image-rendering:pixelated\" alt=\"{Html.Html.Escape(ToString())}\"/>";
        return title is null ? img : $"<figure style=\"margin:0\">{img}<figcaption>{Html.Html.Escape(title)}</figcaption></figure>";
    }

    public void save(string path) => File.WriteAllBytes(path, png);

    public override string ToString() => $"ImageView({width}x{height}, {(channels == 1 ? "gray" : "RGB")}, {images} image{(images == 1 ? "" : "s")})";
}
