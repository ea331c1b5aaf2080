using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notebooks.Formatters.Tests;

/// <summary>
/// Every rich output in a real browser, as a reader meets it: a notebook holding our display bundles (tensor cards,
/// autograd graph, loss curve, Plotly plot, heatmap, decision boundary, confusion matrix, imshow, make_grid, subplots)
/// exported by <c>jupyter nbconvert --to html</c> in JupyterLab's light and dark themes
/// (<c>--HTMLExporter.theme=dark</c>), opened offline in headless Chromium over the DevTools protocol, reloaded, and
/// measured: each output has a real bounding box holding pixels that stand out from the page's background, no
/// script error is raised (<c>Plotly is not defined</c> after a reload was the old failure), the Plotly charts are drawn
/// with JavaScript and their static pictures show without it, the tensor cards stay compact and the histogram never
/// covers the stats text. Screenshots go to $NB_SCREENSHOTS (CI: TestResults/ci/screenshots), else
/// artifacts/screenshots under the repository (ignored by git).
/// </summary>
[NonParallelizable]
public class ThemeBrowserTests
{
    private const int PageWidth = 1100;

    private sealed record Output(string Name, object Value, int? MaxHeight = null, bool Plotly = false);

    private static List<Output> Outputs()
    {
        torch.manual_seed(0);
        var w = torch.randn(new long[] { 64, 2 }, requires_grad: true);
        (w * w).sum().backward();
        var a = torch.randn(new long[] { 3, 2 }, requires_grad: true);
        var loss = torch.randn(4, 3).matmul(a).relu().sum();
        var curve = new Training.LossCurve("training", false, 1e9, () => TimeSpan.Zero);
        for (int i = 0; i < 50; i++) curve.append(Math.Exp(-i / 10.0) + 0.05 * Math.Sin(i));
        var x = torch.linspace(-3, 3, 40);
        var gx = torch.linspace(-2, 2, 60);
        var z = (-(gx.unsqueeze(0).pow(2) + gx.unsqueeze(1).pow(2))).exp();
        var X = torch.cat([torch.randn(40, 2) + 1.5, torch.randn(40, 2) - 1.5], 0);
        var y = torch.cat([torch.zeros(40, dtype: torch.int64), torch.ones(40, dtype: torch.int64)], 0);
        var truth = torch.tensor(new long[] { 0, 0, 1, 1, 2, 2, 2, 1, 0, 2 });
        var pred = torch.tensor(new long[] { 0, 1, 1, 1, 2, 0, 2, 1, 0, 2 });
        var images = torch.rand(12, 1, 16, 16);
        var fig = viz.subplots(1, 2);
        fig[0].line(x, x.sin(), label: "sin");
        fig[1].scatter(x, x.cos(), label: "cos");
        return
        [
            new("tensor [400, 2]", torch.randn(400, 2), MaxHeight: 420),
            new("weight [64, 2] with grad", w, MaxHeight: 420),
            new("tensor [9, 3, 1]", torch.arange(27).reshape(9, 3, 1), MaxHeight: 220),
            new("all-inf tensor", torch.full(new long[] { 3 }, double.PositiveInfinity), MaxHeight: 120),
            new("autograd graph", viz.make_dot(loss, new Dictionary<string, Tensor> { ["a"] = a })),
            new("loss curve", curve),
            new("plot", viz.plot().scatter(x, x.sin(), label: "data").line(x, x.sin(), color: "red", label: "fit").title("a plot"), Plotly: true),
            new("heatmap", viz.heatmap(z, gx, gx, title: "heatmap"), Plotly: true),
            new("decision boundary", viz.decision_boundary(p => (-p.select(1, 0) - p.select(1, 1)).unsqueeze(1), X, y, resolution: 60, title: "boundary"), Plotly: true),
            new("confusion matrix", viz.confusion_matrix(truth, pred, ["cat", "dog", "bird"]), Plotly: true),
            new("imshow", viz.imshow(z, cmap: "viridis", colorbar: true, title: "imshow")),
            new("make_grid", viz.make_grid(images, nrow: 6)),
            new("subplots", fig, Plotly: true),
        ];
    }

    private static string NotebookJson(List<Output> outputs)
    {
        NotebookFormatters.Load();
        var cells = new JsonArray();
        for (int i = 0; i < outputs.Count; i++)
        {
            var data = new JsonObject();
            foreach (var (mime, text) in NotebookFormatters.MimeBundle(outputs[i].Value)) data[mime] = text;
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = i + 1, ["metadata"] = new JsonObject(), ["source"] = "// " + outputs[i].Name,
                ["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() }),
            });
        }
        var nb = new JsonObject
        {
            ["nbformat"] = 4, ["nbformat_minor"] = 5, ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["name"] = "notebooks-csharp", ["display_name"] = "C# (Notebooks)", ["language"] = "C#" },
                ["language_info"] = new JsonObject { ["name"] = "C#", ["file_extension"] = ".cs", ["mimetype"] = "text/x-csharp" },
            },
        };
        return nb.ToJsonString();
    }

    private static string Screenshots()
    {
        var env = Environment.GetEnvironmentVariable("NB_SCREENSHOTS");
        if (!string.IsNullOrEmpty(env)) return Directory.CreateDirectory(env).FullName;
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Notebooks.sln"))) return Directory.CreateDirectory(Path.Combine(d.FullName, "artifacts", "screenshots")).FullName;
        return Directory.CreateTempSubdirectory("nb-screenshots-").FullName;
    }

    // Per output: its root element's box in page coordinates, the pictures it shows, the Plotly charts drawn in it,
    // and how much of the tensor cards' stats text the histogram covers (px²).
    private const string Measure = """
        (() => {
          const out = [];
          for (const cell of document.querySelectorAll('.jp-CodeCell')) {
            const area = cell.querySelector('.jp-OutputArea-output');
            const root = area ? (area.firstElementChild || area) : null;
            if (!root) { out.push(null); continue; }
            const r = root.getBoundingClientRect();
            const imgs = Array.from(root.querySelectorAll('img')).filter(i => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0).length;
            const svgs = Array.from(root.querySelectorAll('svg')).filter(s => !s.parentElement.closest('svg') && !s.closest('.js-plotly-plot') && s.getBoundingClientRect().width > 20).length;
            const plotly = root.querySelectorAll('.js-plotly-plot .main-svg').length;
            let overlap = 0;
            for (const s of root.querySelectorAll('.nb-stats')) {
              const h = s.querySelector('svg'); if (!h) continue;
              const hr = h.getBoundingClientRect();
              for (const n of s.childNodes) {
                if (n === h) continue;
                const rg = document.createRange(); rg.selectNodeContents(n);
                for (const t of rg.getClientRects()) {
                  const w = Math.min(t.right, hr.right) - Math.max(t.left, hr.left), hh = Math.min(t.bottom, hr.bottom) - Math.max(t.top, hr.top);
                  if (w > 0.5 && hh > 0.5) overlap += w * hh;
                }
              }
            }
            out.push({ x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height, imgs, svgs, plotly, overlap });
          }
          const bg = getComputedStyle(document.body).backgroundColor;
          return { bg, out };
        })()
        """;

    [TestCase("light")]
    [TestCase("dark")]
    public void RichOutputsShowInBothThemesAfterReloadAndWithoutScripts(string theme)
    {
        var chromium = NotebookBrowserTests.Require("Chromium", "chromium", "chromium-browser", "google-chrome");
        var jupyter = NotebookBrowserTests.Require("Jupyter", "jupyter");
        var outputs = Outputs();
        var dir = Directory.CreateTempSubdirectory("nb-themes-");
        var shots = Screenshots();
        try
        {
            var ipynb = Path.Combine(dir.FullName, "outputs.ipynb");
            File.WriteAllText(ipynb, NotebookJson(outputs));
            var (code, _, err) = NotebookBrowserTests.Run(jupyter, ["nbconvert", "--to", "html", "--HTMLExporter.theme=" + theme, "--output", "outputs-" + theme, "--output-dir", dir.FullName, ipynb]);
            Assert.That(code, Is.EqualTo(0), "nbconvert failed:\n" + err);
            var url = new Uri(Path.Combine(dir.FullName, "outputs-" + theme + ".html")).AbsoluteUri;

            using var browser = DevTools.Launch(chromium, Path.Combine(dir.FullName, "profile"));
            foreach (var scripts in new[] { true, false })
            {
                browser.SetScriptsEnabled(scripts);
                browser.ClearErrors();
                browser.Navigate(url);
                const string allDrawn = "Array.from(document.querySelectorAll('.nb-plot')).every(p => p.querySelector('.js-plotly-plot .main-svg'))";
                if (scripts)
                {
                    Assert.That(browser.WaitFor(allDrawn), Is.True, $"{theme}: the Plotly charts were not drawn on first load");
                    // A reload must draw every chart again (plotly.js travels with each output, not once per kernel).
                    browser.Reload();
                    Assert.That(browser.WaitFor(allDrawn), Is.True, $"{theme}: the Plotly charts were not drawn after a reload");
                }
                var label = theme + (scripts ? "-scripts" : "-no-scripts");
                var png = browser.CaptureFullPage(PageWidth);
                File.WriteAllBytes(Path.Combine(shots, label + ".png"), png);
                var shot = ScreenshotPng.Decode(png);
                var m = browser.Eval(Measure);
                var bg = ParseRgb(m.GetProperty("bg").GetString()!);
                var boxes = m.GetProperty("out").EnumerateArray().ToList();
                Assert.That(boxes, Has.Count.EqualTo(outputs.Count), label + ": one output per cell");
                Assert.That(browser.Errors, Is.Empty, label + ": script errors in the page");
                for (int i = 0; i < outputs.Count; i++)
                {
                    var o = outputs[i];
                    var b = boxes[i];
                    var what = $"{label}: {o.Name}";
                    Assert.That(b.ValueKind, Is.EqualTo(JsonValueKind.Object), what + " has no output element");
                    double x = b.GetProperty("x").GetDouble(), y = b.GetProperty("y").GetDouble(), w = b.GetProperty("w").GetDouble(), h = b.GetProperty("h").GetDouble();
                    Assert.That(w, Is.GreaterThan(20), what + " width");
                    Assert.That(h, Is.GreaterThan(20), what + " height");
                    if (o.MaxHeight is { } max) Assert.That(h, Is.LessThan(max), what + " is not compact");
                    Assert.That(b.GetProperty("overlap").GetDouble(), Is.EqualTo(0), what + ": the histogram covers the stats text");
                    // Legible: enough pixels that differ strongly from the page background (text, lines, cells).
                    int ink = shot.CountIn((int)x, (int)y, (int)Math.Ceiling(w), (int)Math.Ceiling(h), c => Math.Max(Math.Abs(c.r - bg.r), Math.Max(Math.Abs(c.g - bg.g), Math.Abs(c.b - bg.b))) > 70);
                    Assert.That(ink, Is.GreaterThan(150), what + ": too few pixels stand out from the background");
                    if (o.Plotly && scripts) Assert.That(b.GetProperty("plotly").GetInt32(), Is.GreaterThan(0), what + ": no Plotly chart drawn");
                    if (o.Plotly && !scripts) Assert.That(b.GetProperty("imgs").GetInt32(), Is.GreaterThan(0), what + ": no static picture without scripts");
                    if (!scripts) Assert.That(b.GetProperty("plotly").GetInt32(), Is.EqualTo(0), what + ": a Plotly chart drawn with scripts off?");
                    // One picture per chart: its static copy is hidden or removed wherever the live drawing shows.
                    if (!o.Name.StartsWith("tensor") && !o.Name.StartsWith("weight") && !o.Name.StartsWith("all-inf"))
                        Assert.That(b.GetProperty("svgs").GetInt32() + b.GetProperty("imgs").GetInt32() + (b.GetProperty("plotly").GetInt32() > 0 ? 1 : 0), Is.EqualTo(1), what + ": shown more than once, or not at all");
                }
            }
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { }
        }
    }

    private static (int r, int g, int b) ParseRgb(string css)
    {
        var parts = css[(css.IndexOf('(') + 1)..css.IndexOf(')')].Split(',').Select(p => p.Trim()).ToArray();
        // A transparent body shows the browser's white canvas.
        if (parts.Length == 4 && double.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) == 0) return (255, 255, 255);
        return (int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
    }
}
