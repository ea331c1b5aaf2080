using Microsoft.DotNet.Interactive.Formatting;

namespace Notebooks.Formatters.Tests;

public class ImageTests
{
    [OneTimeSetUp] public void Load() => NotebookFormatters.Load();

    [Test]
    public void KnownCrc()
    {
        // The CRC of "IEND" with no data is fixed by the PNG spec: AE 42 60 82.
        Assert.That(Images.Png.Crc32("IEND"u8, 0xFFFFFFFF) ^ 0xFFFFFFFF, Is.EqualTo(0xAE426082u));
    }

    [Test]
    public void GrayscaleMinMaxScaling()
    {
        var x = torch.tensor(new[] { new[] { -1.0, 0.0 }, new[] { 1.0, 3.0 } });
        var png = DecodedPng.Decode(viz.imshow(x).png);
        Assert.That((png.Width, png.Height, png.BitDepth, png.ColorType), Is.EqualTo((2, 2, 8, 0)));
        Assert.That(png.Pixels, Is.EqualTo(new byte[] { 0, 64, 128, 255 }));
    }

    [Test]
    public void ClampScaling()
    {
        var x = torch.tensor(new[] { new[] { -1.0, 0.5, 2.0 } });
        var png = DecodedPng.Decode(viz.imshow(x, scale: "clamp").png);
        Assert.That(png.Pixels, Is.EqualTo(new byte[] { 0, 128, 255 }));
        Assert.Throws<ArgumentException>(() => viz.imshow(x, scale: "log"));
    }

    [Test]
    public void RgbChannelsInterleave()
    {
        // [3, 1, 2]: red channel 1 at (0,0), green 1 at (1,0), blue 0 everywhere.
        var x = torch.tensor(new[] { new[] { new[] { 1.0, 0.0 } }, new[] { new[] { 0.0, 1.0 } }, new[] { new[] { 0.0, 0.0 } } });
        var png = DecodedPng.Decode(viz.imshow(x, scale: "clamp").png);
        Assert.That((png.Width, png.Height, png.ColorType), Is.EqualTo((2, 1, 2)));
        Assert.That(png.Pixels, Is.EqualTo(new byte[] { 255, 0, 0, 0, 255, 0 }));
        var gray = DecodedPng.Decode(viz.imshow(torch.ones(1, 4, 5)).png);
        Assert.That((gray.Width, gray.Height, gray.ColorType), Is.EqualTo((5, 4, 0)));
    }

    [Test]
    public void BatchMakesAPaddedGrid()
    {
        // 5 images of 2x3, each filled with its index; nrow 3 → 3 columns, 2 rows, padding 1.
        var x = torch.arange(5).reshape(5, 1, 1, 1).expand(5, 1, 2, 3).to(torch.float32);
        var view = viz.imshow(x, nrow: 3, padding: 1);
        var png = DecodedPng.Decode(view.png);
        Assert.That((png.Width, png.Height), Is.EqualTo((3 * (3 + 1) + 1, 2 * (2 + 1) + 1)));
        Assert.That(view.images, Is.EqualTo(5));
        Assert.That(png.At(0, 0), Is.EqualTo(0), "padding");
        Assert.That(png.At(1, 1), Is.EqualTo(0), "image 0");
        Assert.That(png.At(5, 1), Is.EqualTo(64), "image 1");
        Assert.That(png.At(9, 2), Is.EqualTo(128), "image 2");
        Assert.That(png.At(1 + 2, 4 + 1), Is.EqualTo(191), "image 3 (second row)");
        Assert.That(png.At(5, 4), Is.EqualTo(255), "image 4");
        Assert.That(png.At(9, 4), Is.EqualTo(0), "empty grid cell");
    }

    [Test]
    public void HtmlIsAnInlinePng()
    {
        // Without axes (axis: false) the picture is a bare enlarged <img>; with them (the default) see HeatmapTests.
        var view = viz.imshow(torch.rand(28, 28), title: "digit", axis: false);
        var root = Xml.Parse(view.ToDisplayString("text/html"));
        var src = (string)root.Named("img").Single().Attribute("src")!;
        Assert.That(src, Does.StartWith("data:image/png;base64,"));
        var bytes = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
        Assert.That(bytes, Is.EqualTo(view.png));
        Assert.That((string)root.Named("img").Single().Attribute("width")!, Is.EqualTo((28 * view.display_scale).ToString()));
        Assert.That(root.Named("figcaption").Single().Value, Is.EqualTo("digit"));
        Assert.That(view.ToDisplayString("text/plain"), Is.EqualTo("ImageView(28x28, gray, 1 image)"));
    }

    [Test]
    public void RejectsBadShapes()
    {
        Assert.Throws<ArgumentException>(() => viz.imshow(torch.ones(5)));
        Assert.Throws<ArgumentException>(() => viz.imshow(torch.ones(2, 4, 4)));
    }
}
