using System.Diagnostics;
using Microsoft.DotNet.Interactive.Formatting;

namespace Notebooks.Formatters.Tests;

/// <summary>Renders a tensor card, a graph and a chart in headless Chromium and checks the screenshot is a real picture.</summary>
public class BrowserTests
{
    private static string? FindChromium() =>
        new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(n => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, n)))
            .FirstOrDefault(File.Exists);

    [Test]
    public void ScreenshotIsNonTrivial()
    {
        var chromium = FindChromium();
        if (chromium is null) Assert.Ignore("chromium is not installed (apt-get install -y chromium); browser rendering check skipped");
        NotebookFormatters.Load();
        var w = torch.randn(new long[] { 3, 2 }, requires_grad: true);
        var y = torch.randn(4, 3).matmul(w).sum();
        var x = torch.linspace(0, 1, 10);
        var page = "<html><body>" + torch.randn(5, 5).ToDisplayString("text/html") + viz.make_dot(y).svg()
                 + viz.plot().scatter(x, x * 2, label: "data").title("chart").ToSvg() + "</body></html>";
        var dir = Directory.CreateTempSubdirectory("nb-browser-");
        var html = Path.Combine(dir.FullName, "page.html");
        var png = Path.Combine(dir.FullName, "shot.png");
        File.WriteAllText(html, page);
        var psi = new ProcessStartInfo(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--window-size=1024,1400", "--screenshot=" + png, "file://" + html]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        Assert.That(p.WaitForExit(60_000), Is.True, "chromium timed out");
        // Chromium writes RGBA with filtered rows, which our test decoder doesn't read: check the header and size.
        var bytes = File.ReadAllBytes(png);
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"));
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(1024));
        // A blank 1024×1400 page compresses to a few KB; text, badges, boxes and points don't.
        Assert.That(bytes.Length, Is.GreaterThan(30_000));
        dir.Delete(true);
    }
}
