using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;
using Notebooks.Formatters.Plots;

namespace Notebooks.Formatters.Tests;

public class PlotTests
{
    [OneTimeSetUp] public void Load() => NotebookFormatters.Load();

    private static Plot Lesson()
    {
        var x = torch.linspace(0, 10, 20);
        var y = x * 2 + 1;
        return viz.plot().scatter(x, y, label: "data").line(x, y, color: "red", label: "fit").title("Linear fit").xlabel("x").ylabel("y");
    }

    [Test]
    public void SvgFallbackHasPointsLineLegendAndLabels()
    {
        var svg = Xml.Parse(Lesson().ToDisplayString("image/svg+xml")).Named("svg").Single();
        var series = svg.Named("g").Where(g => g.Attribute("data-kind") is not null).ToList();
        Assert.That(series.Select(g => (string)g.Attribute("data-label")!), Is.EqualTo(new[] { "data", "fit" }));
        Assert.That(series[0].Named("circle").Count(), Is.EqualTo(20));
        var line = series[1].Named("polyline").Single();
        Assert.That(((string)line.Attribute("points")!).Split(' '), Has.Length.EqualTo(20));
        Assert.That((string)line.Attribute("stroke")!, Is.EqualTo("#d62728"));
        Assert.That(svg.ByClass("title").Single().Value, Is.EqualTo("Linear fit"));
        Assert.That(svg.ByClass("xlabel").Single().Value, Is.EqualTo("x"));
        Assert.That(svg.ByClass("ylabel").Single().Value, Is.EqualTo("y"));
        Assert.That(svg.ByClass("legend").Single().Named("text").Select(t => t.Value), Is.EqualTo(new[] { "data", "fit" }));
    }

    [Test]
    public void PointsLandWhereTheirValuesSay()
    {
        // y = x on [0, 10]: a point's pixel y must fall as its x rises, linearly.
        var x = torch.tensor(new[] { 0.0, 5.0, 10.0 });
        var svg = Xml.Parse(viz.plot().scatter(x, x).ToSvg());
        var pts = svg.Named("circle").Select(c => (x: double.Parse((string)c.Attribute("cx")!, CultureInfo.InvariantCulture), y: double.Parse((string)c.Attribute("cy")!, CultureInfo.InvariantCulture))).ToArray();
        Assert.That(pts[1].x - pts[0].x, Is.EqualTo(pts[2].x - pts[1].x).Within(0.02));
        Assert.That(pts[0].y, Is.GreaterThan(pts[1].y));
        Assert.That(pts[0].y - pts[1].y, Is.EqualTo(pts[1].y - pts[2].y).Within(0.02));
    }

    [Test]
    public void TicksAreNice()
    {
        Assert.That(SvgChart.Ticks(0, 10), Is.EqualTo(new[] { 0.0, 2, 4, 6, 8, 10 }));
        Assert.That(SvgChart.Ticks(-0.3, 0.3), Is.EqualTo(new[] { -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3 }).Within(1e-12));
    }

    [Test]
    public void EveryChartCarriesPlotlyAndAStaticPicture()
    {
        // Each output stands alone (a reload, a re-run cell, an untrusted notebook): the library (evaluated only when
        // the page lacks it), the chart, and the static SVG as an image the front end's sanitizer keeps.
        foreach (var html in new[] { Lesson().ToDisplayString("text/html"), Lesson().ToDisplayString("text/html") })
        {
            Assert.That(html, Does.Contain("if (typeof window.Plotly === 'undefined') { (function(define, module, exports)"));
            Assert.That(html.Length, Is.GreaterThan(1_000_000)); // plotly.min.js itself
            Assert.That(html.Replace(PlotlyEmbed.LibraryScript, ""), Does.Contain("Plotly.newPlot").And.Contain("Linear fit").And.Not.Contain("cdn.plot.ly"));
            var image = System.Text.RegularExpressions.Regex.Match(html, "<img class=\"nb-static\" alt=\"([^\"]*)\" src=\"data:image/svg\\+xml;base64,([^\"]+)\"/>");
            Assert.That(image.Success, Is.True);
            Assert.That(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(image.Groups[2].Value)), Is.EqualTo(Lesson().ToSvg()));
            Assert.That(image.Groups[1].Value, Does.Contain("Linear fit"));
        }
    }

    [Test]
    public void MimeBundleCarriesHtmlSvgAndText()
    {
        var b = NotebookFormatters.MimeBundle(Lesson());
        Assert.That(b.Keys, Is.EquivalentTo(new[] { "text/html", "image/svg+xml", "text/plain" }));
        Assert.That(b["text/plain"], Is.EqualTo("Plot(\"Linear fit\", 2 series: scatter 'data', line 'fit')"));
    }

    [Test]
    public void MismatchedLengthsThrowLikeMatplotlib()
    {
        var ex = Assert.Throws<ArgumentException>(() => viz.plot().line(torch.ones(3), torch.ones(4)));
        Assert.That(ex!.Message, Is.EqualTo("x and y must have same first dimension, but have shapes (3,) and (4,)"));
    }
}

public class LogScaleTests
{
    [OneTimeSetUp] public void Load() => NotebookFormatters.Load();

    private static Plot Decades() =>
        viz.plot().line(torch.tensor(new[] { 0.0, 1.0, 2.0, 3.0 }), torch.tensor(new[] { 1.0, 10.0, 100.0, 1000.0 }), label: "loss").yscale("log");

    [Test]
    public void SvgFallbackPlacesDecadesEvenlyAndLabelsThem()
    {
        var p = Decades();
        Assert.That(p.get_yscale(), Is.EqualTo("log"));
        var svg = Xml.Parse(p.ToSvg());
        var pts = ((string)svg.Named("polyline").Single().Attribute("points")!).Split(' ')
            .Select(s => double.Parse(s.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        // Equal ratios are equal steps on a log axis (a linear axis would put 1 and 10 almost together).
        Assert.That(pts[0] - pts[1], Is.EqualTo(pts[1] - pts[2]).Within(0.02));
        Assert.That(pts[1] - pts[2], Is.EqualTo(pts[2] - pts[3]).Within(0.02));
        Assert.That(svg.ByClass("yticks").Single().Named("text").Select(t => t.Value), Is.EqualTo(new[] { "1", "10", "100", "1000" }));
    }

    [Test]
    public void NonPositiveValuesAreLeftOutOfALogPlot()
    {
        var svg = Xml.Parse(viz.plot().scatter(new[] { 0.0, 1, 2, 3 }, new[] { -1.0, 0, 10, 100 }).yscale("log").ToSvg());
        Assert.That(svg.Named("circle").Count(), Is.EqualTo(2));
    }

    [Test]
    public void PlotlyChartHasALogYAxis()
    {
        var yaxis = Layout(Decades().ylabel("loss")).GetProperty("yaxis");
        Assert.That(yaxis.GetProperty("type").GetString(), Is.EqualTo("log"));
        Assert.That(yaxis.GetProperty("title").GetProperty("text").GetString(), Is.EqualTo("loss"));
        Assert.That(Layout(viz.plot().line(new[] { 0.0, 1 }, new[] { 1.0, 2 }).yscale("linear")).TryGetProperty("yaxis", out _), Is.False);
    }

    [Test]
    public void PlotlyChartIsTransparentForDarkThemes()
    {
        // Plotly's default template paints white paper and a #E5ECF6 plot area: a bright box in a dark notebook theme.
        var layout = Layout(viz.plot().line(new[] { 0.0, 1 }, new[] { 1.0, 2 }).title("t").xlabel("x"));
        Assert.That(layout.GetProperty("paper_bgcolor").GetString(), Is.EqualTo("rgba(0,0,0,0)"));
        Assert.That(layout.GetProperty("plot_bgcolor").GetString(), Is.EqualTo("rgba(0,0,0,0)"));
        Assert.That(layout.GetProperty("font").GetProperty("color").GetString(), Is.EqualTo("#808080"));
        Assert.That(layout.GetProperty("title").GetProperty("text").GetString(), Is.EqualTo("t"));
        Assert.That(layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString(), Is.EqualTo("x"));
    }

    /// <summary>The layout object the chart passes to Plotly.newPlot.</summary>
    private static System.Text.Json.JsonElement Layout(Plot p)
    {
        var html = p.ToHtml().Replace(PlotlyEmbed.LibraryScript, "");
        var json = System.Text.RegularExpressions.Regex.Match(html, @"var layout = (\{.*\});").Groups[1].Value;
        return System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
    }

    [Test]
    public void UnknownScalesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => viz.plot().yscale("symlog"));
        Assert.That(viz.plot().yscale("log").yscale("linear").get_yscale(), Is.EqualTo("linear"));
    }
}
