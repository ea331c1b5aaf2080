using Microsoft.DotNet.Interactive.Formatting;
using Notebooks.Formatters.Training;

namespace Notebooks.Formatters.Tests;

public class TrainingTests
{
    private sealed class Recorder : IDisplayHandle
    {
        public readonly List<string> Html = [];
        public void Update(object value) => Html.Add(value.ToDisplayString("text/html"));
    }

    private Recorder _display = null!;
    private int _opened;
    private TimeSpan _now;

    [SetUp]
    public void SetUp()
    {
        NotebookFormatters.Load();
        _display = new Recorder();
        _opened = 0;
        _now = TimeSpan.Zero;
        NotebookFormatters.DisplayFactory = _ => { _opened++; return _display; };
    }

    [TearDown] public void TearDown() => NotebookFormatters.DisplayFactory = null;

    [Test]
    public void LossCurveIsThrottledToTenUpdatesASecond()
    {
        var curve = new LossCurve("training", false, 10, () => _now);
        for (int i = 0; i < 1000; i++)
        {
            curve.append(1.0 / (i + 1));
            _now += TimeSpan.FromMilliseconds(1); // 1000 appends in one second
        }
        curve.flush();
        Assert.That(_opened, Is.EqualTo(1));
        Assert.That(curve.updates, Is.InRange(10, 12));
        Assert.That(_display.Html, Has.Count.EqualTo(curve.updates));
        var last = Xml.Parse(_display.Html[^1]).Named("polyline").Single();
        Assert.That(((string)last.Attribute("points")!).Split(' '), Has.Length.EqualTo(1000));
    }

    [Test]
    public void SeveralSeriesAndLogScale()
    {
        var curve = new LossCurve(null, true, 10, () => _now);
        for (int e = 0; e < 5; e++) { curve.append("train", e, Math.Pow(10, -e)); curve.append("val", e, 2 * Math.Pow(10, -e)); _now += TimeSpan.FromSeconds(1); }
        curve.flush();
        var svg = Xml.Parse(curve.ToSvg());
        Assert.That(svg.Named("g").Where(g => g.Attribute("data-label") is not null).Select(g => (string)g.Attribute("data-label")!), Is.EqualTo(new[] { "train", "val" }));
        // On a log axis, decades are evenly spaced.
        var ys = ((string)svg.Named("polyline").First().Attribute("points")!).Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (int i = 2; i < ys.Length; i++) Assert.That(ys[i] - ys[i - 1], Is.EqualTo(ys[1] - ys[0]).Within(0.02));
        Assert.That(curve.ToString(), Is.EqualTo("train 0.0001 (step 4, min 0.0001), val 0.0002 (step 4, min 0.0002)"));
    }

    [Test]
    public void ProgressReportsRateAndEta()
    {
        var bar = new ProgressBar<int>(Enumerable.Range(0, 100), "epochs", null, 10, () => _now);
        int seen = 0;
        foreach (var i in bar)
        {
            Assert.That(i, Is.EqualTo(seen++));
            _now += TimeSpan.FromMilliseconds(50); // 20 it/s
            if (i == 49)
            {
                Assert.That(bar.view.total, Is.EqualTo(100));
                Assert.That(bar.view.rate, Is.EqualTo(20).Within(0.5));
            }
        }
        Assert.That(seen, Is.EqualTo(100));
        Assert.That(bar.updates, Is.InRange(40, 55)); // 5 s at 10/s, plus the first and last
        Assert.That(bar.view.ToString(), Is.EqualTo("epochs: 100%|████████████████████| 100/100 [00:05<00:00, 20.00it/s]"));
        var html = Xml.Parse(_display.Html[^1]);
        Assert.That((string)html.Named("progress").Single().Attribute("value")!, Is.EqualTo("100"));
    }

    [Test]
    public void ProgressMidwayShowsEta()
    {
        var view = new ProgressView("x", 100) { n = 25, elapsed = TimeSpan.FromSeconds(5) };
        Assert.That(view.eta, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(view.ToString(), Is.EqualTo("x:  25%|█████               | 25/100 [00:05<00:15, 5.00it/s]"));
        var unknown = new ProgressView(null, null) { n = 7, elapsed = TimeSpan.FromSeconds(2) };
        Assert.That(unknown.ToString(), Is.EqualTo("7 [00:02, 3.50it/s]"));
    }

    [Test]
    public void WithoutAKernelUpdatesGoToTheConsole()
    {
        NotebookFormatters.DisplayFactory = null;
        var old = Console.Out;
        var sw = new StringWriter();
        Console.SetOut(sw);
        try { foreach (var _ in viz.progress(3, "steps")) { } }
        finally { Console.SetOut(old); }
        Assert.That(sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(), Does.StartWith("steps: 100%|"));
    }
}
