using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;

namespace Notebooks.Formatters.Tests;

public class TensorCardTests
{
    [OneTimeSetUp] public void Load() => NotebookFormatters.Load();

    private static string Html(object o) => o.ToDisplayString("text/html");

    [Test]
    public void PlainTextIsTheRepr()
    {
        var x = torch.arange(6).reshape(2, 3);
        Assert.That(x.ToDisplayString("text/plain"), Is.EqualTo("tensor([[0, 1, 2],\n        [3, 4, 5]])"));
        Assert.That(x.shape.ToDisplayString("text/plain"), Is.EqualTo("torch.Size([2, 3])"));
        Assert.That(x.dtype.ToDisplayString("text/plain"), Is.EqualTo("torch.int64"));
        Assert.That(x.device.ToDisplayString("text/plain"), Is.EqualTo("cpu"));
    }

    [Test]
    public void LoadTwiceIsHarmless()
    {
        NotebookFormatters.Load();
        NotebookFormatters.Load();
        Assert.That(Xml.Parse(Html(torch.ones(2))).ByClass("nb-tensor").Count(), Is.EqualTo(1));
    }

    [Test]
    public void HeaderBadges()
    {
        var w = torch.ones(new long[] { 2, 3 }, requires_grad: true);
        var y = w * 2;
        var head = Xml.Parse(Html(y)).ByClass("nb-tensor-head").Single();
        var badges = head.ByClass("nb-badge").ToDictionary(b => (string)b.Attribute("data-k")!, b => b.Value);
        Assert.That(badges["shape"], Is.EqualTo("[2, 3]"));
        Assert.That(badges["dtype"], Is.EqualTo("torch.float32"));
        Assert.That(badges["device"], Is.EqualTo("cpu"));
        Assert.That(badges["grad_fn"], Is.EqualTo("grad_fn=MulBackward0"));
        Assert.That(badges["nbytes"], Is.EqualTo("24 B"));
        var leafBadges = Xml.Parse(Html(w)).ByClass("nb-badge").Select(b => (string)b.Attribute("data-k")!).ToList();
        Assert.That(leafBadges, Does.Contain("requires_grad").And.Not.Contain("grad_fn"));
    }

    [Test]
    public void SmallMatrixValuesAreReadBack()
    {
        var x = torch.tensor(new double[,] { { 1.5, -2.25 }, { 3, 4 } });
        var table = Xml.Parse(Html(x)).Named("table").Single();
        var cells = table.Named("td").Select(c => c.Value).ToArray();
        Assert.That(cells, Is.EqualTo(new[] { "1.5000", "-2.2500", "3.0000", "4.0000" }));
    }

    [Test]
    public void IntegerValuedFloatsPrintLikePyTorch()
    {
        var cells = Xml.Parse(Html(torch.tensor(new double[] { 1, 2, 3 }))).Named("td").Select(c => c.Value);
        Assert.That(cells, Is.EqualTo(new[] { "1.", "2.", "3." }));
        var bools = Xml.Parse(Html(torch.tensor(new[] { true, false }))).Named("td").Select(c => c.Value);
        Assert.That(bools, Is.EqualTo(new[] { "True", "False" }));
    }

    [Test]
    public void LargeMatrixIsSummarisedToEdgeItems()
    {
        var x = torch.arange(100 * 50).reshape(100, 50);
        var table = Xml.Parse(Html(x)).Named("table").Single();
        var rows = table.Named("tr").ToList();
        Assert.That(rows, Has.Count.EqualTo(1 + 7)); // header + 3 + gap + 3
        var headers = rows[0].Named("th").Skip(1).Select(h => h.Value).ToArray();
        Assert.That(headers, Is.EqualTo(new[] { "0", "1", "2", "…", "47", "48", "49" }));
        var last = rows[^1].Named("td").Select(c => c.Value).ToArray();
        Assert.That(last, Is.EqualTo(new[] { "4950", "4951", "4952", "…", "4997", "4998", "4999" }));
    }

    [Test]
    public void SmallTensorIsNotSummarised()
    {
        var x = torch.arange(30 * 30).reshape(30, 30);
        Assert.That(Xml.Parse(Html(x)).Named("td").Count(), Is.EqualTo(900));
    }

    [Test]
    public void ThreeDimensionalShowsLabelledSlices()
    {
        var x = torch.arange(24).reshape(2, 3, 4);
        var root = Xml.Parse(Html(x));
        Assert.That(root.ByClass("nb-slice-label").Select(l => l.Value), Is.EqualTo(new[] { "[0, :, :]", "[1, :, :]" }));
        Assert.That(root.Named("table").Last().Named("td").Last().Value, Is.EqualTo("23"));

        var big = torch.zeros(20, 10, 10);
        var labels = Xml.Parse(Html(big)).ByClass("nb-slice-label").Select(l => l.Value).ToArray();
        Assert.That(labels, Is.EqualTo(new[] { "[0, :, :]", "[1, :, :]", "[2, :, :]", "[17, :, :]", "[18, :, :]", "[19, :, :]" }));
    }

    private static Func<string, double> StatsOf(Tensor x)
    {
        var s = Xml.Parse(Html(x)).ByClass("nb-stats").First();
        return n => double.Parse((string)s.Attribute(n)!, CultureInfo.InvariantCulture);
    }

    // The card's stats are torch's over the non-NaN values: x[~x.isnan()].min()/max()/mean()/std(). With an infinity
    // torch's min/max return it, mean is ±inf (nan for inf + -inf) and std is nan (ReduceOps: inf - inf in the deviation).
    [Test]
    public void StatsCountNaNAndInf()
    {
        var x = torch.tensor(new[] { 1.0, 2.0, 3.0, double.NaN, double.PositiveInfinity });
        var s = Xml.Parse(Html(x)).ByClass("nb-stats").Single();
        double A(string n) => double.Parse((string)s.Attribute(n)!, CultureInfo.InvariantCulture);
        var finite = torch.tensor(new[] { 1.0, 2.0, 3.0, double.PositiveInfinity });
        Assert.That(A("data-min"), Is.EqualTo(finite.min().item<double>()).And.EqualTo(1));
        Assert.That(A("data-max"), Is.EqualTo(double.PositiveInfinity));
        Assert.That(A("data-mean"), Is.EqualTo(double.PositiveInfinity));
        Assert.That(A("data-std"), Is.NaN);
        Assert.That((string)s.Attribute("data-nan")!, Is.EqualTo("1"));
        Assert.That((string)s.Attribute("data-inf")!, Is.EqualTo("1"));
        Assert.That(s.Value, Does.Contain("max inf").And.Contain("NaN 1").And.Contain("Inf 1"));
        var bars = s.Named("rect").Select(r => int.Parse((string)r.Attribute("data-count")!)).ToArray();
        Assert.That(bars.Sum(), Is.EqualTo(3), "the histogram bins the finite values");
    }

    [Test]
    public void AllInfTensorHasInfiniteMinAndMax()
    {
        var stats = StatsOf(torch.full(new long[] { 4 }, double.PositiveInfinity));
        Assert.That(stats("data-min"), Is.EqualTo(double.PositiveInfinity));
        Assert.That(stats("data-max"), Is.EqualTo(double.PositiveInfinity));
        Assert.That(stats("data-mean"), Is.EqualTo(double.PositiveInfinity));
        Assert.That(stats("data-std"), Is.NaN);
        Assert.That(Xml.Parse(Html(torch.full(new long[] { 4 }, double.PositiveInfinity))).ByClass("nb-stats").Single().Value,
            Does.StartWith("min inf · max inf · mean inf · std nan"));

        var both = StatsOf(torch.tensor(new[] { double.NegativeInfinity, 5.0, double.PositiveInfinity }));
        Assert.That(both("data-min"), Is.EqualTo(double.NegativeInfinity));
        Assert.That(both("data-max"), Is.EqualTo(double.PositiveInfinity));
        Assert.That(both("data-mean"), Is.NaN, "inf + -inf");

        var nans = StatsOf(torch.tensor(new[] { double.NaN, double.NaN }));
        Assert.That(nans("data-nan"), Is.EqualTo(2));
        Assert.That(nans("data-min"), Is.NaN);
    }

    [Test]
    public void FiniteStatsAreTorchs()
    {
        var x = torch.tensor(new[] { 0.5, -1.25, 3.0, 8.0, 2.0 }, dtype: torch.float64);
        var stats = StatsOf(x);
        Assert.That(stats("data-mean"), Is.EqualTo(x.mean().item<double>()).Within(1e-12));
        Assert.That(stats("data-std"), Is.EqualTo(x.std().item<double>()).Within(1e-12));
        Assert.That(StatsOf(torch.tensor(new[] { 2.0 }))("data-std"), Is.NaN, "torch.std of one value (unbiased) is nan");
    }

    [Test]
    public void ValuesScrollInABoundedBox()
    {
        // A [400, 2] tensor (800 values, under the print threshold) keeps its 400 rows like its repr, in a box of bounded height.
        var root = Xml.Parse(Html(torch.randn(400, 2)));
        var box = root.ByClass("nb-values-box").Single();
        Assert.That(box.Named("tr").Count(), Is.EqualTo(401));
        var style = root.Named("style").Single().Value;
        Assert.That(style, Does.Contain(".nb-values-box{max-height:280px;max-width:100%;overflow:auto}"));
    }

    [Test]
    public void GradSitsBesideItsValue()
    {
        var w = torch.randn(new long[] { 64, 2 }, requires_grad: true);
        (w * w).sum().backward();
        var root = Xml.Parse(Html(w));
        var body = root.ByClass("nb-tensor-body").First();
        // The value (its own values box) and the grad section are siblings in one wrapping flex row.
        Assert.That(body.Elements().Select(e => (string)e.Attribute("class")!), Is.EqualTo(new[] { "nb-tensor-main", "nb-grad-section" }));
        Assert.That(root.ByClass("nb-values-box").Count(), Is.EqualTo(2));
        Assert.That(root.Named("style").First().Value, Does.Contain(".nb-tensor-body{display:flex;flex-wrap:wrap"));
    }

    [Test]
    public void SlicesWrapSideBySide()
    {
        var root = Xml.Parse(Html(torch.arange(27).reshape(9, 3, 1)));
        var slices = root.ByClass("nb-slices").Single();
        Assert.That(slices.ByClass("nb-slice").Count(), Is.EqualTo(9));
        Assert.That(slices.ByClass("nb-slice").Last().Named("td").Select(c => c.Value), Is.EqualTo(new[] { "24", "25", "26" }));
        Assert.That(root.Named("style").Single().Value, Does.Contain(".nb-slices{display:flex;flex-wrap:wrap"));
    }

    [Test]
    public void ColoursFollowTheTheme()
    {
        var style = Xml.Parse(Html(torch.ones(2))).Named("style").Single().Value;
        // No fixed dark text on a fixed light fill: badges are translucent over the inherited text colour.
        Assert.That(style, Does.Not.Contain("#24292f").And.Not.Contain("#eef1f4"));
        Assert.That(style, Does.Contain("var(--jp-border-color1,"));
        Assert.That(style, Does.Contain(".nb-badge{").And.Contain("color:inherit"));
    }

    [Test]
    public void ColorScaleTintsCells()
    {
        var x = torch.tensor(new[] { -1.0, 0.5, 1.0 });
        NotebookFormatters.TensorHtml.ColorScale = true;
        try
        {
            var cells = Xml.Parse(Html(x)).Named("td").ToList();
            Assert.That(cells.All(c => ((string?)c.Attribute("style"))?.StartsWith("background:rgba") == true));
        }
        finally { NotebookFormatters.TensorHtml.ColorScale = false; }
        Assert.That(Xml.Parse(Html(x)).Named("td").Any(c => c.Attribute("style") is not null), Is.False);
    }

    [Test]
    public void GradIsShownWhenPresent()
    {
        var w = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        Assert.That(Xml.Parse(Html(w)).ByClass("nb-grad-section"), Is.Empty);
        (w * w).sum().backward();
        var section = Xml.Parse(Html(w)).ByClass("nb-grad-section").Single();
        Assert.That(section.Named("td").Select(c => c.Value), Is.EqualTo(new[] { "2.", "4." }));
    }

    [Test]
    public void HugeTensorRendersFastAndSmall()
    {
        var x = torch.randn(10_000, 10_000);
        var sw = Stopwatch.StartNew();
        var html = Html(x);
        sw.Stop();
        Assert.That(sw.Elapsed.TotalSeconds, Is.LessThan(1.0));
        Assert.That(html.Length, Is.LessThan(100_000));
        var root = Xml.Parse(html);
        Assert.That(root.Named("td").Count(), Is.EqualTo(49));
        var s = root.ByClass("nb-stats").Single();
        Assert.That((string)s.Attribute("data-sampled")!, Is.EqualTo("true"));
        Assert.That(double.Parse((string)s.Attribute("data-std")!, CultureInfo.InvariantCulture), Is.EqualTo(1).Within(0.01));
        var first = root.Named("td").First().Value;
        Assert.That(double.Parse(first, CultureInfo.InvariantCulture), Is.EqualTo(x.select(0, 0).select(0, 0).item<double>()).Within(1e-4));
    }

    [Test]
    public void MimeBundleListsHtmlAndText()
    {
        var b = NotebookFormatters.MimeBundle(torch.ones(1));
        Assert.That(b.Keys, Is.EquivalentTo(new[] { "text/html", "text/plain" }));
        Assert.That(b["text/plain"], Is.EqualTo("tensor([1.])"));
    }
}
