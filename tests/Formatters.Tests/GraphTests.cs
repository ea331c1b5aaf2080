using Notebooks.Tensors.Autograd;
using System.Diagnostics;
using Microsoft.DotNet.Interactive.Formatting;
using Notebooks.Formatters.Graphs;

namespace Notebooks.Formatters.Tests;

public class GraphTests
{
    [OneTimeSetUp] public void Load() => NotebookFormatters.Load();

    private static (Tensor w, Tensor b, Tensor y) Linear()
    {
        var x = torch.randn(4, 3);
        var w = torch.randn(new long[] { 3, 2 }, requires_grad: true);
        var b = torch.zeros(new long[] { 2 }, requires_grad: true);
        var y = (x.matmul(w) + b).sum();
        return (w, b, y);
    }

    [Test]
    public void NodesAreColouredAndLabelledLikeTorchviz()
    {
        var (w, b, y) = Linear();
        var g = viz.make_dot(y, new Dictionary<string, Tensor> { ["weight"] = w, ["bias"] = b });
        Assert.That(g.nodes.Count(n => n.kind == GraphNodeKind.Output), Is.EqualTo(1));
        Assert.That(g.nodes.Where(n => n.kind == GraphNodeKind.Leaf).Select(n => n.label), Is.EquivalentTo(new[] { "weight\n (3, 2)", "bias\n (2)" }));
        Assert.That(g.nodes.Where(n => n.kind == GraphNodeKind.Function).Select(n => n.label),
            Is.EquivalentTo(new[] { "SumBackward0", "AddBackward0", "MmBackward0" }));
        Assert.That(g.nodes.Single(n => n.kind == GraphNodeKind.Output).label, Is.EqualTo("()"));
        Assert.That(g.edges, Has.Count.EqualTo(5)); // y<-Sum<-Add<-{Mm<-weight, bias}
        Assert.That(g.crossings, Is.EqualTo(0));
    }

    [Test]
    public void OutputIsAtTheBottomAndEdgesPointDown()
    {
        var (_, _, y) = Linear();
        var g = viz.make_dot(y);
        var output = g.nodes.Single(n => n.kind == GraphNodeKind.Output);
        Assert.That(g.nodes.Max(n => n.box.Y), Is.EqualTo(output.box.Y));
        foreach (var (a, b) in g.edges) Assert.That(g.nodes[a].box.Y, Is.LessThan(g.nodes[b].box.Y));
    }

    [Test]
    public void SvgHasOneGroupPerNodeAndOnePathPerEdge()
    {
        var (w, _, y) = Linear();
        var g = viz.make_dot(y, new Dictionary<string, Tensor> { ["w"] = w });
        var svg = Xml.Parse(g.ToDisplayString("text/html")).Named("svg").Single();
        var groups = svg.Named("g").Where(e => (string?)e.Attribute("class") == "node").ToList();
        Assert.That(groups, Has.Count.EqualTo(g.nodes.Count));
        Assert.That(svg.Named("polyline").Count(), Is.EqualTo(g.edges.Count));
        var leafFills = groups.Where(e => (string?)e.Attribute("data-kind") == "leaf").Select(e => (string)e.Named("rect").Single().Attribute("fill")!);
        Assert.That(leafFills, Is.All.EqualTo("#add8e6"));
        Assert.That(groups.SelectMany(e => e.Named("text")).Select(t => t.Value), Does.Contain("w").And.Contain("MmBackward0"));
    }

    [Test]
    public void SourceIsDot()
    {
        var (_, _, y) = Linear();
        var g = viz.make_dot(y);
        var src = g.source;
        Assert.That(src, Does.StartWith("digraph {\n"));
        Assert.That(src.TrimEnd(), Does.EndWith("}"));
        Assert.That(src.Split('\n').Count(l => l.Contains(" -> ")), Is.EqualTo(g.edges.Count));
        Assert.That(src, Does.Contain("fillcolor=darkolivegreen1").And.Contain("fillcolor=lightblue"));
    }

    [Test]
    public void RenderWritesTheSvg()
    {
        var (_, _, y) = Linear();
        var g = viz.make_dot(y);
        var path = Path.Combine(Path.GetTempPath(), "nb-graph-" + Guid.NewGuid().ToString("N"));
        var written = g.render(path);
        try
        {
            Assert.That(written, Does.EndWith(".svg"));
            Assert.That(File.ReadAllText(written), Is.EqualTo(g.svg()));
        }
        finally { File.Delete(written); }
    }

    [Test]
    public void LeafOutputIsASingleNode()
    {
        var g = viz.make_dot(torch.ones(2));
        Assert.That(g.nodes, Has.Count.EqualTo(1));
        Assert.That(g.edges, Is.Empty);
    }

    [Test]
    public void ThreeHundredOpGraphLaysOutWithoutOverlapsQuickly()
    {
        var ws = Enumerable.Range(0, 100).Select(_ => torch.randn(new long[] { 4 }, requires_grad: true)).ToArray();
        var h = ws[0];
        var rng = new Random(1);
        var live = new List<Tensor> { h };
        for (int i = 0; i < 300; i++)
        {
            // A deep chain with weights and residual-style skips, so there are long edges and crossings to reduce.
            var a = live[^1];
            var b = rng.Next(3) == 0 ? ws[i / 3] : live[Math.Max(0, live.Count - 1 - rng.Next(20))];
            var c = (i % 3) switch { 0 => a + b, 1 => a * b, _ => (a - b).tanh() };
            live.Add(c);
        }
        var y = live[^1].sum();
        viz.make_dot(ws[0] * 2).svg(); // JIT warm-up: the bound is on the layout, not on first-call compilation
        var sw = Stopwatch.StartNew();
        var g = viz.make_dot(y);
        var svg = g.svg();
        sw.Stop();
        TestContext.Out.WriteLine($"{g.nodes.Count} nodes, {g.edges.Count} edges, {g.crossings} crossings, {sw.Elapsed.TotalMilliseconds} ms");
        Assert.That(g.nodes.Count(n => n.kind == GraphNodeKind.Function), Is.GreaterThanOrEqualTo(300));
        Assert.That(sw.Elapsed.TotalSeconds, Is.LessThan(1.0));
        var boxes = g.nodes.Select(n => n.box).ToArray();
        for (int i = 0; i < boxes.Length; i++)
        for (int j = i + 1; j < boxes.Length; j++)
            Assert.That(boxes[i].Overlaps(boxes[j]), Is.False, $"{g.nodes[i].label} overlaps {g.nodes[j].label}");
        foreach (var (a, b) in g.edges) Assert.That(boxes[a].Y + boxes[a].Height, Is.LessThan(boxes[b].Y));
        Assert.That(Xml.Parse(svg).Named("g").Count(), Is.EqualTo(g.nodes.Count));
    }

    [Test]
    public void PlaceInOrderKeepsGapsAndHitsReachableTargets()
    {
        var x = LayeredLayout.PlaceInOrder([0, 0, 100], [10, 10, 10]);
        Assert.That(x[1] - x[0], Is.EqualTo(10 + LayeredLayout.HorizontalGap).Within(1e-9));
        Assert.That((x[0] + x[1]) / 2, Is.EqualTo(0).Within(1e-9)); // the squeezed pair centres on its target
        Assert.That(x[2], Is.EqualTo(100));
    }

    [Test]
    public void BarycenterSweepsRemoveAvoidableCrossings()
    {
        // Two chains a0->b1, a1->b0 drawn crossed by the initial order unless reordered; with c joining them.
        var widths = Enumerable.Repeat(20.0, 6).ToArray();
        var heights = Enumerable.Repeat(10.0, 6).ToArray();
        var edges = new List<(int, int)> { (0, 3), (1, 2), (0, 4), (1, 4), (2, 5), (3, 5), (4, 5) };
        var layout = LayeredLayout.Compute(widths, heights, edges);
        Assert.That(layout.Crossings, Is.EqualTo(0));
    }
}

public class SavedTensorGraphTests
{
    [Test]
    public void ShowSavedDrawsSavedTensorsOrange()
    {
        var x = torch.randn(4, 3);
        var w = torch.randn(new long[] { 3, 2 }, requires_grad: true);
        var y = x.matmul(w).exp().sum();
        var plain = viz.make_dot(y);
        var g = viz.make_dot(y, show_saved: true);
        Assert.That(plain.nodes.Any(n => n.kind == Graphs.GraphNodeKind.Saved), Is.False);
        var saved = g.nodes.Where(n => n.kind == Graphs.GraphNodeKind.Saved).ToList();
        Assert.That(saved, Is.Not.Empty);
        // MmBackward0 saved x (the input needed for w's gradient); ExpBackward0 saved its result.
        Assert.That(saved.Select(n => n.label.Split('\n')[1]), Does.Contain("(4, 3)").And.Contain("(4, 2)"));
        Assert.That(saved.Select(n => n.label), Does.Contain("self\n(4, 3)").And.Contain("result\n(4, 2)"));
        foreach (var s in saved)
        {
            int i = g.nodes.ToList().IndexOf(s);
            Assert.That(g.edges.Where(e => e.from == i).Select(e => g.nodes[e.to].kind), Is.All.EqualTo(Graphs.GraphNodeKind.Function));
        }
        var svg = Xml.Parse(g.svg());
        var fills = svg.Descendants().Where(e => (string?)e.Attribute("data-kind") == "saved").Select(e => (string)e.Elements().First().Attribute("fill")!).ToList();
        Assert.That(fills, Has.Count.EqualTo(saved.Count).And.All.EqualTo("#ffa500"));
        Assert.That(g.source, Does.Contain("fillcolor=orange"));
        // Saved boxes only feed nodes: nothing points into them, and the rest of the graph is unchanged.
        var savedIds = saved.Select(s => g.nodes.ToList().IndexOf(s)).ToHashSet();
        Assert.That(g.edges.Where(e => savedIds.Contains(e.to)), Is.Empty);
        Assert.That(g.edges.Count(e => !savedIds.Contains(e.from)), Is.EqualTo(plain.edges.Count));
    }

    [Test]
    public void AfterBackwardNothingIsSaved()
    {
        var w = torch.randn(new long[] { 3 }, requires_grad: true);
        var y = (w * w).sum();
        Assert.That(y.grad_fn!.next_functions[0].fn!.saved_tensors_for_display().Count(), Is.EqualTo(2));
        y.backward();
        Assert.That(viz.make_dot(y, show_saved: true).nodes.Any(n => n.kind == Graphs.GraphNodeKind.Saved), Is.False);
    }
}
