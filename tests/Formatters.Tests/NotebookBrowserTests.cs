using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Notebooks.Formatters.Tests;

/// <summary>
/// The real-browser check: an executed lesson notebook converted by <c>jupyter nbconvert --to html</c>, opened in
/// headless Chromium with the network cut off, must show its autograd graph and its Plotly chart. Chromium's
/// <c>--dump-dom</c> prints the page after its scripts ran; plotly.js only creates <c>&lt;svg class="main-svg"&gt;</c>
/// when it ran, which proves the embedded offline bundle works without a CDN. A screenshot checks the pixels.
/// Without chromium or jupyter the test is ignored locally and fails on CI (which installs both through apt).
/// </summary>
[NonParallelizable]
public class NotebookBrowserTests
{
    private const string Notebook = "notebooks/02-pytorch-basics.ipynb";
    private const int ShotWidth = 1024, ShotHeight = 12000;

    private static readonly string[] NoNetwork =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions",
        "--no-first-run", "--disable-sync", "--disable-component-update", "--hide-scrollbars",
        // Every request goes to a closed port, every host name fails to resolve.
        "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
        // Let the page's scripts (plotly.js) finish before dumping or capturing.
        "--virtual-time-budget=15000",
    ];

    private static string? OnPath(params string[] names) =>
        names.SelectMany(n => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, n)))
             .FirstOrDefault(File.Exists);

    internal static string Require(string what, params string[] names)
    {
        var path = OnPath(names);
        if (path is not null) return path;
        var why = $"{what} is not installed ({string.Join("/", names)} not on PATH)";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail(why + "; CI must install it (apt-get install -y chromium jupyter-nbconvert)");
        Assert.Ignore(why + "; the notebook browser check is skipped");
        return null!;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Notebooks.sln")) && File.Exists(Path.Combine(d.FullName, Notebook))) return d.FullName;
        throw new DirectoryNotFoundException("repository root (with Notebooks.sln and " + Notebook + ") not found above " + TestContext.CurrentContext.TestDirectory);
    }

    internal static (int code, string stdout, string stderr) Run(string exe, IEnumerable<string> args, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(exe)} did not finish in {timeoutMs / 1000} s");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The texts of the graph the notebook stored (our SVG in a text/html output).</summary>
    private static List<string> StoredGraphTexts(string notebookPath)
    {
        using var nb = JsonDocument.Parse(File.ReadAllText(notebookPath));
        foreach (var cell in nb.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (!cell.TryGetProperty("outputs", out var outputs)) continue;
            foreach (var o in outputs.EnumerateArray())
            {
                if (!o.TryGetProperty("data", out var data) || !data.TryGetProperty("text/html", out var html)) continue;
                var text = html.ValueKind == JsonValueKind.Array ? string.Concat(html.EnumerateArray().Select(l => l.GetString())) : html.GetString()!;
                if (text.Contains("class=\"nb-graph\"")) return GraphTexts(text);
            }
        }
        Assert.Fail(notebookPath + " has no stored autograd graph output (was it committed executed?)");
        return null!;
    }

    private static List<string> GraphTexts(string html)
    {
        var svg = Regex.Match(html, "<svg[^>]*class=\"nb-graph\".*?</svg>", RegexOptions.Singleline);
        Assert.That(svg.Success, Is.True, "no nb-graph svg");
        return Regex.Matches(svg.Value, "<text[^>]*>([^<]*)</text>").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToList();
    }

    [Test]
    public void ExecutedNotebookRendersGraphAndChartOffline()
    {
        var chromium = Require("Chromium", "chromium", "chromium-browser", "google-chrome");
        var jupyter = Require("Jupyter", "jupyter");
        var root = RepoRoot();
        var notebook = Path.Combine(root, Notebook);
        var dir = Directory.CreateTempSubdirectory("nb-nbconvert-");
        try
        {
            var (code, _, err) = Run(jupyter, ["nbconvert", "--to", "html", "--output-dir", dir.FullName, notebook]);
            Assert.That(code, Is.EqualTo(0), "nbconvert failed:\n" + err);
            var html = Path.Combine(dir.FullName, Path.ChangeExtension(Path.GetFileName(Notebook), ".html"));
            var source = File.ReadAllText(html);
            // Before any script runs there is a chart container but no chart: plotly.js must draw it.
            Assert.That(source, Does.Contain("plotly"));
            Assert.That(Regex.IsMatch(source, "<svg[^>]*class=\"main-svg\""), Is.False, "the converted page already holds a plotly SVG");

            var url = new Uri(html).AbsoluteUri;
            var (domCode, dom, domErr) = Run(chromium, [.. NoNetwork, "--user-data-dir=" + Path.Combine(dir.FullName, "profile-dom"), "--dump-dom", url]);
            Assert.That(domCode, Is.EqualTo(0), "chromium --dump-dom failed:\n" + domErr);
            Assert.That(dom, Does.Contain("</html>"), "chromium printed no DOM");

            // The chart: plotly.js ran offline and built its SVG layers, with the plotted traces in them.
            Assert.That(Regex.Matches(dom, "<svg[^>]*class=\"main-svg\"").Count, Is.GreaterThanOrEqualTo(1), "plotly.js did not render (no svg.main-svg)");
            Assert.That(dom, Does.Contain("js-plotly-plot"));
            Assert.That(Regex.IsMatch(dom, "class=\"(scatterlayer|trace scatter)[^\"]*\""), Is.True, "the plotly chart has no scatter traces");

            // The graph: our SVG is in the page with every node text the notebook stored.
            var expected = StoredGraphTexts(notebook);
            Assert.That(expected, Has.Some.EndsWith("Backward0"));
            Assert.That(GraphTexts(dom), Is.EqualTo(expected));

            // The pixels: a full-width, non-blank capture in which the graph's boxes are painted in torchviz's colours.
            var png = Path.Combine(dir.FullName, "shot.png");
            var (shotCode, _, shotErr) = Run(chromium, [.. NoNetwork, "--user-data-dir=" + Path.Combine(dir.FullName, "profile-shot"),
                $"--window-size={ShotWidth},{ShotHeight}", "--screenshot=" + png, url]);
            Assert.That(shotCode, Is.EqualTo(0), "chromium --screenshot failed:\n" + shotErr);
            var shot = ScreenshotPng.Decode(File.ReadAllBytes(png));
            Assert.That(shot.Width, Is.EqualTo(ShotWidth));
            Assert.That(shot.Height, Is.EqualTo(ShotHeight));
            double ink = shot.Fraction(c => c != (255, 255, 255));
            Assert.That(ink, Is.GreaterThan(0.01), "the screenshot is blank");
            Assert.That(shot.Count(c => c == (0xca, 0xff, 0x70)), Is.GreaterThan(500), "no green output box of the graph in the screenshot");
            Assert.That(shot.Count(c => c == (0xad, 0xd8, 0xe6)), Is.GreaterThan(500), "no light-blue leaf box of the graph in the screenshot");
            Assert.That(shot.Count(c => c == (0xd3, 0xd3, 0xd3)), Is.GreaterThan(500), "no grey function box of the graph in the screenshot");
            Assert.That(shot.Count(c => c == (0x1f, 0x77, 0xb4)), Is.GreaterThan(50), "no plotted series in the first palette colour in the screenshot");
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { }
        }
    }
}

/// <summary>A PNG decoder for Chromium's screenshots: 8-bit RGB or RGBA, all five row filters.</summary>
internal sealed class ScreenshotPng
{
    public int Width { get; }
    public int Height { get; }
    private readonly byte[] _rgb;

    private ScreenshotPng(int w, int h, byte[] rgb) { Width = w; Height = h; _rgb = rgb; }

    public int Count(Func<(byte r, byte g, byte b), bool> pred)
    {
        int n = 0;
        for (int i = 0; i < _rgb.Length; i += 3) if (pred((_rgb[i], _rgb[i + 1], _rgb[i + 2]))) n++;
        return n;
    }

    /// <summary>How many pixels of the rectangle (clipped to the image) satisfy <paramref name="pred"/>.</summary>
    public int CountIn(int x, int y, int w, int h, Func<(byte r, byte g, byte b), bool> pred)
    {
        int n = 0;
        for (int yy = Math.Max(0, y); yy < Math.Min(Height, y + h); yy++)
        for (int xx = Math.Max(0, x); xx < Math.Min(Width, x + w); xx++)
        {
            int i = (yy * Width + xx) * 3;
            if (pred((_rgb[i], _rgb[i + 1], _rgb[i + 2]))) n++;
        }
        return n;
    }

    public double Fraction(Func<(byte r, byte g, byte b), bool> pred) => Count(pred) / (double)(Width * Height);

    public static ScreenshotPng Decode(byte[] png)
    {
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        int pos = 8, w = 0, h = 0, depth = 0, type = 0;
        var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var kind = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            if (kind == "IHDR")
            {
                w = BinaryPrimitives.ReadInt32BigEndian(data);
                h = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                depth = data[8]; type = data[9];
                Assert.That(data[12], Is.EqualTo(0), "interlaced PNG");
            }
            else if (kind == "IDAT") idat.Write(data);
            else if (kind == "IEND") break;
            pos += 12 + len;
        }
        Assert.That(depth, Is.EqualTo(8), "bit depth");
        Assert.That(type, Is.EqualTo(2).Or.EqualTo(6), "colour type (RGB or RGBA)");
        int bpp = type == 6 ? 4 : 3, stride = w * bpp;
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        var bytes = raw.GetBuffer();
        Assert.That(raw.Length, Is.EqualTo((long)h * (stride + 1)));
        var prev = new byte[stride];
        var cur = new byte[stride];
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            int filter = bytes[y * (stride + 1)];
            Array.Copy(bytes, y * (stride + 1) + 1, cur, 0, stride);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                cur[i] = (byte)(cur[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException("PNG filter " + filter),
                });
            }
            for (int x = 0; x < w; x++)
            {
                // Composite on white where there is alpha (Chromium's page background is opaque anyway).
                int alpha = bpp == 4 ? cur[x * 4 + 3] : 255;
                for (int k = 0; k < 3; k++)
                    rgb[(y * w + x) * 3 + k] = (byte)((cur[x * bpp + k] * alpha + 255 * (255 - alpha) + 127) / 255);
            }
            (prev, cur) = (cur, prev);
        }
        return new ScreenshotPng(w, h, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
