using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.DotNet.Interactive.Formatting;
using Notebooks.Formatters.Plots;

namespace Notebooks.Formatters.Tests;

public class HeatmapTests
{
    [OneTimeSetUp] public void Load() => NotebookFormatters.Load();

    private static XElement Svg(string svg) => XElement.Parse(svg);

    /// <summary>The PNG the SVG embeds for its cell grid.</summary>
    private static DecodedPng Cells(XElement svg)
    {
        var href = (string)svg.Descendants().Single(e => e.Name.LocalName == "image").Attribute("href")!;
        Assert.That(href, Does.StartWith("data:image/png;base64,"));
        return DecodedPng.Decode(Convert.FromBase64String(href["data:image/png;base64,".Length..]));
    }

    private static (byte, byte, byte) Rgb(DecodedPng p, int x, int y) => (p.At(x, y, 0), p.At(x, y, 1), p.At(x, y, 2));

    private static List<string> Texts(XElement svg, string group) =>
        svg.Descendants().First(e => (string?)e.Attribute("class") == group).Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value).ToList();

    [Test]
    public void HeatmapCellsAreColouredByValue()
    {
        // Row 0 = [0, 1, 2], row 1 = [3, 4, 5]; Plotly draws row 0 at the bottom, so the PNG's top row is row 1.
        var z = torch.arange(6, dtype: torch.float64).reshape(2, 3);
        var h = viz.heatmap(z, x: torch.tensor(new[] { 10.0, 20.0, 30.0 }), y: torch.tensor(new[] { 1.0, 2.0 }));
        var svg = Svg(h.ToSvg());
        var png = Cells(svg);
        Assert.That((png.Width, png.Height), Is.EqualTo((3, 2)));
        var viridis = Colormap.Get("viridis");
        Assert.That(Rgb(png, 0, 1), Is.EqualTo(viridis.At(0)), "z = 0, the minimum");
        Assert.That(Rgb(png, 2, 0), Is.EqualTo(viridis.At(1)), "z = 5, the maximum");
        Assert.That(Rgb(png, 1, 0), Is.EqualTo(viridis.At(4 / 5.0)));
        Assert.That(viridis.Hex(0), Is.EqualTo("#440154"));
        Assert.That(viridis.Hex(1), Is.EqualTo("#fde725"));
        // Cells reach half a step beyond the first and last centre (5 … 35), as Plotly draws them.
        Assert.That(Texts(svg, "xticks"), Is.EqualTo(new[] { "5", "10", "15", "20", "25", "30", "35" }));
        Assert.That(Texts(svg, "colorbar"), Is.EqualTo(new[] { "0", "1", "2", "3", "4", "5" }));
        Assert.That(h[1, 2], Is.EqualTo(5));

        var (data, layout) = h.ToPlotlyJson();
        var trace = JsonDocument.Parse(data).RootElement[0];
        Assert.That(trace.GetProperty("type").GetString(), Is.EqualTo("heatmap"));
        Assert.That(trace.GetProperty("z")[1][2].GetDouble(), Is.EqualTo(5));
        Assert.That(trace.GetProperty("x")[2].GetDouble(), Is.EqualTo(30));
        Assert.That(trace.GetProperty("colorscale")[0][1].GetString(), Is.EqualTo("#440154"));
        Assert.That(JsonDocument.Parse(layout).RootElement.GetProperty("paper_bgcolor").GetString(), Is.EqualTo("rgba(0,0,0,0)"));
    }

    [Test]
    public void AnnotatedHeatmapWritesEachValue()
    {
        var h = viz.heatmap(torch.tensor(new[,] { { 0.5, 1.25 }, { -2.0, 3.0 } }, dtype: torch.float64), annotate: true, colorscale: "RdBu");
        var texts = Texts(Svg(h.ToSvg()), "cell-text");
        Assert.That(texts, Is.EquivalentTo(new[] { "0.5", "1.25", "-2", "3" }));
        Assert.Throws<ArgumentException>(() => viz.heatmap(torch.ones(3)));
        Assert.Throws<ArgumentException>(() => viz.heatmap(torch.ones(2, 2), x: torch.ones(3)));
        var ex = Assert.Throws<ArgumentException>(() => viz.heatmap(torch.ones(2, 2), colorscale: "jet"));
        Assert.That(ex!.Message, Does.StartWith("'jet' is not a known colormap name"));
    }

    [Test]
    public void ConfusionMatrixCountsAndNormalisedColours()
    {
        var truth = torch.tensor(new long[] { 0, 0, 0, 1, 1, 2, 2, 2, 2 });
        var pred = torch.tensor(new long[] { 0, 0, 1, 1, 1, 2, 0, 2, 2 });
        var cm = viz.confusion_matrix(truth, pred, ["cat", "dog", "bird"]);
        var svg = Svg(cm.ToSvg());
        // Counts by (true row, predicted column), as sklearn.metrics.confusion_matrix.
        var cells = svg.Descendants().Where(e => e.Name.LocalName == "text" && e.Attribute("data-row") is not null)
            .ToDictionary(t => ((int)t.Attribute("data-row")!, (int)t.Attribute("data-col")!), t => t.Value);
        Assert.That(cells[(0, 0)], Is.EqualTo("2"));
        Assert.That(cells[(0, 1)], Is.EqualTo("1"));
        Assert.That(cells[(2, 0)], Is.EqualTo("1"));
        Assert.That(cells[(2, 2)], Is.EqualTo("3"));
        Assert.That(cells[(1, 0)], Is.EqualTo("0"));
        // Colours normalised over each true row (normalize="true").
        Assert.That(cm[0, 0], Is.EqualTo(2 / 3.0).Within(1e-12));
        Assert.That(cm[2, 2], Is.EqualTo(3 / 4.0).Within(1e-12));
        var png = Cells(svg);
        Assert.That(Rgb(png, 1, 1), Is.EqualTo(Colormap.Get("Blues").At(1.0)), "dog → dog: the whole row");
        Assert.That(Rgb(png, 2, 1), Is.EqualTo(Colormap.Get("Blues").At(0.0)), "row 0 is on top: dog → bird is empty");
        Assert.That(Texts(svg, "xticks"), Is.EqualTo(new[] { "cat", "dog", "bird" }));
        Assert.That(Texts(svg, "yticks"), Is.EqualTo(new[] { "cat", "dog", "bird" }));
        Assert.That(svg.Descendants().Single(e => (string?)e.Attribute("class") == "xlabel").Value, Is.EqualTo("Predicted label"));
        Assert.That(svg.Descendants().Single(e => (string?)e.Attribute("class") == "ylabel").Value, Is.EqualTo("True label"));

        var raw = viz.confusion_matrix(truth, pred, normalize: null);
        Assert.That(raw[2, 2], Is.EqualTo(3));
        Assert.That(Texts(Svg(raw.ToSvg()), "xticks"), Is.EqualTo(new[] { "0", "1", "2" }));
        Assert.That(viz.confusion_matrix(truth, pred, normalize: "pred")[0, 0], Is.EqualTo(2 / 3.0).Within(1e-12));
        Assert.That(viz.confusion_matrix(truth, pred, normalize: "all")[2, 2], Is.EqualTo(3 / 9.0).Within(1e-12));
        // scikit-learn's wording for these two.
        Assert.That(Assert.Throws<ArgumentException>(() => viz.confusion_matrix(truth, pred[..3]))!.Message,
            Is.EqualTo("Found input variables with inconsistent numbers of samples: [9, 3]"));
        Assert.That(Assert.Throws<ArgumentException>(() => viz.confusion_matrix(truth, pred, normalize: "rows"))!.Message,
            Does.StartWith("normalize must be one of {'true', 'pred', 'all', None}"));

        var (data, _) = cm.ToPlotlyJson();
        var trace = JsonDocument.Parse(data).RootElement[0];
        Assert.That(trace.GetProperty("text")[2][2].GetString(), Is.EqualTo("3"));
        Assert.That(trace.GetProperty("y")[0].GetString(), Is.EqualTo("cat"));
    }

    [Test]
    public void ContourLinesFollowTheLevels()
    {
        Assert.That(viz.NiceLevels(0, 1, 10), Is.EqualTo(new[] { 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9 }));
        Assert.That(viz.NiceLevels(0, 10, 4), Is.EqualTo(new[] { 2.5, 5.0, 7.5 }));
        // z = x across a 2x2 grid: the 0.5 level is the vertical line x = 0.5.
        var segs = Contours.Segments(new double[,] { { 0, 1 }, { 0, 1 } }, 0.5);
        Assert.That(segs, Is.EqualTo(new[] { (0.5, 0.0, 0.5, 1.0) }));
        Assert.That(Contours.Segments(new double[,] { { 0, 0 }, { 0, 0 } }, 0.5), Is.Empty);

        var g = torch.linspace(-1, 1, 21, dtype: torch.float64);
        var z = g.unsqueeze(0).pow(2) + g.unsqueeze(1).pow(2);
        var c = viz.contour(z, g, g, levels: 4);
        var paths = Svg(c.ToSvg()).Descendants().Where(e => e.Name.LocalName == "path").ToList();
        Assert.That(paths.Select(p => (string)p.Attribute("data-level")!), Is.EqualTo(new[] { "0.5", "1", "1.5" }));
        // The level-1 circle passes through (1, 0): a segment endpoint near x = 1 on the middle row.
        var (data, _) = c.ToPlotlyJson();
        var trace = JsonDocument.Parse(data).RootElement[0];
        Assert.That(trace.GetProperty("type").GetString(), Is.EqualTo("contour"));
        Assert.That(trace.GetProperty("contours").GetProperty("size").GetDouble(), Is.EqualTo(0.5));
    }

    [Test]
    public void DecisionBoundaryShowsPredictedRegionsAndThePoints()
    {
        var X = torch.tensor(new[,] { { -1.0, 0.0 }, { -0.5, 1.0 }, { 1.0, 0.5 }, { 0.8, -1.0 } });
        var y = torch.tensor(new long[] { 0, 0, 1, 1 });
        int calls = 0;
        // A logit of x: class 1 right of x = 0.
        var h = viz.decision_boundary(p => { calls++; return p.select(1, 0).unsqueeze(1) * 3; }, X, y, resolution: 11, labels: ["left", "right"]);
        Assert.That(calls, Is.EqualTo(1), "the model runs once on the whole grid");
        Assert.That((h.rows, h.cols), Is.EqualTo((11, 11)));
        // x runs from -1.2 to 1.2: columns 0..4 are left of 0, 6..10 right.
        for (int i = 0; i < 11; i++)
            if (i != 5) Assert.That(h[3, i], Is.EqualTo(i < 5 ? 0 : 1), "column " + i);
        var svg = Svg(h.ToSvg());
        var groups = svg.Descendants().Where(e => e.Name.LocalName == "g" && e.Attribute("data-label") is not null).ToList();
        Assert.That(groups.Select(g => (string)g.Attribute("data-label")!), Is.EqualTo(new[] { "left", "right" }));
        Assert.That(groups.Select(g => g.Elements().Count()), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(svg.Descendants().Where(e => e.Name.LocalName == "path").Select(p => (string)p.Attribute("data-level")!), Is.EqualTo(new[] { "0.5" }));

        // [N, C] outputs are read by argmax.
        var three = viz.decision_boundary(p => torch.stack([-p.select(1, 0), p.select(1, 0), p.select(1, 1)], 1), X, y, resolution: 5);
        Assert.That(three[2, 0], Is.EqualTo(0));
        Assert.That(three[0, 4], Is.EqualTo(1));
        Assert.Throws<ArgumentException>(() => viz.decision_boundary(p => p, torch.ones(4, 3), y));
    }

    [Test]
    public void ImshowDrawsAxesColormapAndColorbar()
    {
        var img = torch.tensor(new[,] { { 0.0, 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0, 7.0 } });
        var view = viz.imshow(img, cmap: "viridis", colorbar: true, size: 400, title: "ramp");
        var png = DecodedPng.Decode(view.png);
        Assert.That((png.Width, png.Height, png.ColorType), Is.EqualTo((4, 2, 2)));
        Assert.That(Rgb(png, 0, 0), Is.EqualTo(Colormap.Get("viridis").At(0)));
        Assert.That(Rgb(png, 3, 1), Is.EqualTo(Colormap.Get("viridis").At(1)));
        var svg = Svg(view.ToSvg());
        Assert.That((string)svg.Attribute("width")!, Is.Not.Null);
        var image = svg.Descendants().Single(e => e.Name.LocalName == "image");
        Assert.That((string)image.Attribute("width")!, Is.EqualTo("400"));
        Assert.That((string)image.Attribute("height")!, Is.EqualTo("200"), "square pixels");
        Assert.That(Texts(svg, "xticks"), Is.EqualTo(new[] { "0", "1", "2", "3" }));
        Assert.That(Texts(svg, "colorbar"), Is.EqualTo(new[] { "0", "1", "2", "3", "4", "5", "6", "7" }));
        Assert.That(svg.Descendants().Single(e => (string?)e.Attribute("class") == "title").Value, Is.EqualTo("ramp"));
        // Shown inline with its image copy for untrusted notebooks.
        var html = Xml.Parse(view.ToDisplayString("text/html"));
        Assert.That(html.Named("svg").Count(), Is.GreaterThanOrEqualTo(1));
        Assert.That((string)html.Named("img").Single().Attribute("src")!, Does.StartWith("data:image/svg+xml;base64,"));

        // Channels last ([H, W, 3], H not 1 or 3) as matplotlib takes them.
        var hwc = torch.zeros(2, 2, 3);
        hwc[0, 0, 0] = torch.tensor(1.0f);
        hwc[1, 1, 2] = torch.tensor(1.0f);
        var p = DecodedPng.Decode(viz.imshow(hwc, scale: "clamp").png);
        Assert.That((p.Width, p.Height), Is.EqualTo((2, 2)));
        Assert.That(p.Pixels, Is.EqualTo(new byte[] { 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255 }));
    }

    [Test]
    public void MakeGridShowsTorchvisionsGrid()
    {
        var batch = torch.arange(6, dtype: torch.float32).reshape(6, 1, 1, 1).expand(6, 1, 4, 4) / 5;
        var view = viz.make_grid(batch, nrow: 3, padding: 1, pad_value: 1);
        var grid = torchvision.utils.make_grid(batch, nrow: 3, padding: 1, pad_value: 1);
        var png = DecodedPng.Decode(view.png);
        Assert.That((png.Width, png.Height), Is.EqualTo(((int)grid.size(2), (int)grid.size(1))));
        Assert.That(png.At(0, 0), Is.EqualTo(255), "pad_value 1 is white");
        Assert.That(png.At(1, 1), Is.EqualTo(0), "image 0");
        Assert.That(png.At(1 + 2 * 5, 1 + 5), Is.EqualTo(255), "image 5 = 1.0");
        Assert.That(png.At(1 + 5, 1), Is.EqualTo(51), "image 1 = 0.2");
        var bytes = viz.make_grid(torch.full(new long[] { 2, 1, 2, 2 }, 128, dtype: torch.uint8), padding: 0);
        Assert.That(DecodedPng.Decode(bytes.png).At(0, 0), Is.EqualTo(128), "uint8 read as 0..255");
    }

    [Test]
    public void SubplotsTileTheirCharts()
    {
        var x = torch.linspace(0, 1, 5);
        var fig = viz.subplots(1, 2).suptitle("two");
        fig[0].line(x, x * 2, label: "a").title("left");
        fig[1].scatter(x, x * x).title("right");
        fig.set(1, viz.heatmap(torch.ones(2, 2)).title("right"));
        var svg = Svg(fig.ToSvg());
        var panels = svg.Elements().Where(e => e.Name.LocalName == "svg").ToList();
        Assert.That(panels, Has.Count.EqualTo(2));
        Assert.That(panels.Select(p => (string)p.Attribute("x")!), Is.EqualTo(new[] { "0", "460" }));
        Assert.That((string)panels[0].Attribute("class")!, Is.EqualTo("nb-chart"));
        Assert.That((string)panels[1].Attribute("class")!, Is.EqualTo("nb-heatmap-svg"));
        Assert.That(svg.Elements().First(e => e.Name.LocalName == "text").Value, Is.EqualTo("two"));

        var (data, layout) = fig.ToPlotlyJson();
        var traces = JsonDocument.Parse(data).RootElement;
        Assert.That(traces.EnumerateArray().Select(t => t.GetProperty("xaxis").GetString()), Is.EqualTo(new[] { "x", "x2" }));
        var l = JsonDocument.Parse(layout).RootElement;
        Assert.That(l.GetProperty("xaxis2").GetProperty("domain")[0].GetDouble(), Is.EqualTo(0.535).Within(1e-9));
        Assert.That(l.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()), Is.EqualTo(new[] { "left", "right" }));
        Assert.Throws<IndexOutOfRangeException>(() => _ = fig[2]);
        Assert.Throws<InvalidOperationException>(() => _ = fig[1]);
        Assert.That(fig.ToDisplayString("text/plain"), Does.StartWith("Subplots(1x2, \"two\": Plot("));
        Assert.That(NotebookFormatters.MimeBundle(fig).Keys, Is.EquivalentTo(new[] { "text/html", "image/svg+xml", "text/plain" }));
    }
}
