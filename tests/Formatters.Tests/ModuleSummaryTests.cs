using System.Xml.Linq;
using Microsoft.DotNet.Interactive.Formatting;
using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Formatters.Tests;

public class ModuleSummaryTests
{
    [OneTimeSetUp] public void Load() => NotebookFormatters.Load();

    private static nn.Sequential Mlp() => new(new nn.Linear(3, 8), new nn.ReLU(), new nn.Linear(8, 1));

    private static long Total(XElement html, string cls) => (long)html.ByClass(cls).Single().Attribute("data-value")!;

    [Test]
    public void AnyModuleShowsItsReprAndCounts()
    {
        var model = Mlp();
        var html = Xml.Parse(model.ToDisplayString("text/html"));
        Assert.That(html.ByClass("nb-module-repr").Single().Value, Is.EqualTo(model.ToString()));
        var rows = html.ByClass("nb-layer").ToList();
        Assert.That(rows.Select(r => (string)r.Attribute("data-name")!), Is.EqualTo(new[] { "", "0", "1", "2" }));
        Assert.That(rows.Select(r => (long)r.Attribute("data-params")!), Is.EqualTo(new long[] { 0, 32, 0, 9 }));
        Assert.That(rows.Select(r => (int)r.Attribute("data-depth")!), Is.EqualTo(new[] { 0, 1, 1, 1 }));
        Assert.That(rows.Select(r => r.Elements().ElementAt(1).Value), Is.EqualTo(new[] { "Sequential", "Linear", "ReLU", "Linear" }));
        Assert.That(Total(html, "nb-total"), Is.EqualTo(41));
        Assert.That(Total(html, "nb-trainable"), Is.EqualTo(41));
        Assert.That(Total(html, "nb-param-bytes"), Is.EqualTo(41 * 4));
        Assert.That(html.ByClass("nb-shape"), Is.Empty);
        Assert.That(model.ToDisplayString("text/plain"), Is.EqualTo(model.ToString()));
        Assert.That(NotebookFormatters.MimeBundle(new nn.Linear(5, 3)).Keys, Does.Contain("text/html"));
    }

    [Test]
    public void FrozenParametersAreNotTrainable()
    {
        var model = Mlp();
        ((nn.Linear)model[0]).weight.requires_grad_(false);
        var s = viz.summary(model);
        Assert.That(s.total_params, Is.EqualTo(41));
        Assert.That(s.trainable_params, Is.EqualTo(41 - 24));
        var html = Xml.Parse(s.ToHtml());
        Assert.That(Total(html, "nb-non-trainable"), Is.EqualTo(24));
        Assert.That((long)html.ByClass("nb-layer").ElementAt(1).Attribute("data-trainable")!, Is.EqualTo(8));
    }

    [Test]
    public void ExampleInputGivesOutputShapes()
    {
        var model = new nn.Sequential(new nn.Linear(5, 16), new nn.ReLU(), new nn.Sequential(new nn.Linear(16, 4), new nn.Tanh()), new nn.Linear(4, 3));
        var s = viz.summary(model, input: torch.randn(2, 5));
        Assert.That(s.rows.Select(r => r.name), Is.EqualTo(new[] { "", "0", "1", "2", "2.0", "2.1", "3" }));
        Assert.That(s.rows.Select(r => string.Join("x", r.output_shape!)), Is.EqualTo(new[] { "2x3", "2x16", "2x16", "2x4", "2x4", "2x4", "2x3" }));
        Assert.That(s.shapes_unknown, Is.Empty);
        var html = Xml.Parse(s.ToDisplayString("text/html"));
        Assert.That(html.ByClass("nb-shape").Select(e => e.Value), Is.EqualTo(new[] { "[2, 3]", "[2, 16]", "[2, 16]", "[2, 4]", "[2, 4]", "[2, 4]", "[2, 3]" }));
        Assert.That(html.ByClass("nb-layer").Select(r => (int)r.Attribute("data-depth")!), Is.EqualTo(new[] { 0, 1, 1, 1, 2, 2, 1 }));
        Assert.That(Total(html, "nb-total"), Is.EqualTo(5 * 16 + 16 + 16 * 4 + 4 + 4 * 3 + 3));
        Assert.That(s.ToString(), Does.Contain("[2, 16]").And.Contain("Total params: 179"));
        // Running the model for shapes must not leave a graph behind.
        Assert.That(model.parameters().All(p => p.grad is null), Is.True);
    }

    [Test]
    public void InputSizeWorksLikeAnInput()
    {
        var s = viz.summary(Mlp(), input_size: [4, 3]);
        Assert.That(s.rows[0].output_shape, Is.EqualTo(new long[] { 4, 1 }));
        Assert.That(s.input_shape, Is.EqualTo(new long[] { 4, 3 }));
    }

    [Test]
    public void ShapesAreTakenInEvalModeWithoutSideEffects()
    {
        var bn = new nn.BatchNorm1d(4);
        var model = new nn.Sequential(new nn.Linear(3, 4), bn, new nn.Dropout(0.5), new nn.Linear(4, 2));
        var before = bn.running_mean!.clone();
        var s = viz.summary(model, input: torch.randn(8, 3) * 5 + 3);
        Assert.That(s.rows[0].output_shape, Is.EqualTo(new long[] { 8, 2 }));
        Assert.That(torch.equal(bn.running_mean!, before), Is.True, "BatchNorm's running stats changed");
        Assert.That(model.modules().All(m => m.training), Is.True, "training flags not restored");
        // BatchNorm1d(4): weight + bias = 8 parameters, its running stats are buffers.
        Assert.That(s.rows[2].@params, Is.EqualTo(8));
        Assert.That(s.buffer_bytes, Is.GreaterThan(0));
        model.eval();
        viz.summary(model, input_size: [2, 3]);
        Assert.That(model.modules().Any(m => m.training), Is.False, "eval flags not restored");
    }

    private sealed class Net : nn.Module
    {
        public readonly nn.Linear fc1 = new(4, 6);
        public readonly nn.ReLU act = new();
        public readonly nn.Linear fc2 = new(6, 2);
        public override Tensor forward(Tensor x) => fc2.call(act.call(fc1.call(x)));
    }

    private sealed class Outer : nn.Module
    {
        public readonly Net body = new();
        public readonly nn.Linear head = new(2, 5);
        public readonly nn.Linear unused = new(3, 3);
        public override Tensor forward(Tensor x) => head.call(body.call(x));
    }

    [Test]
    public void CustomModulesShowEverySubmodulesOutputThroughForwardHooks()
    {
        var net = new Net();
        var s = viz.summary(net, input: torch.randn(3, 4));
        Assert.That(s.rows.Select(r => r.name), Is.EqualTo(new[] { "", "fc1", "act", "fc2" }));
        Assert.That(s.rows.Select(r => string.Join("x", r.output_shape!)), Is.EqualTo(new[] { "3x2", "3x6", "3x6", "3x2" }));
        Assert.That(s.rows.Select(r => r.@params), Is.EqualTo(new long[] { 0, 4 * 6 + 6, 0, 6 * 2 + 2 }));
        Assert.That(s.rows.Select(r => r.depth), Is.EqualTo(new[] { 0, 1, 1, 1 }));
        Assert.That(s.shapes_unknown, Is.Empty);
        Assert.That(s.total_params, Is.EqualTo(4 * 6 + 6 + 6 * 2 + 2));
        var html = Xml.Parse(s.ToHtml());
        Assert.That(html.ByClass("nb-shape").Select(e => e.Value), Is.EqualTo(new[] { "[3, 2]", "[3, 6]", "[3, 6]", "[3, 2]" }));
        Assert.That(html.ByClass("nb-note"), Is.Empty);
        Assert.That(html.ByClass("nb-layer").First().Elements().ElementAt(1).Value, Is.EqualTo("Net"));
        Assert.That(s.table(), Does.Contain("  fc1  Linear  [3, 6]").And.Contain("  act  ReLU    [3, 6]"));
        // The summary's hooks are gone afterwards: the modules' call is hook-free again.
        Assert.That(net.modules().All(m => m._forward_hooks.Count == 0), Is.True);
        Assert.That(net.parameters().All(p => p.grad is null), Is.True);
    }

    [Test]
    public void NestedCustomModulesGetDepthsAndUncalledModulesAreNamed()
    {
        var s = viz.summary(new Outer(), input: torch.randn(7, 4));
        Assert.That(s.rows.Select(r => (r.name, r.depth)), Is.EqualTo(new[]
        {
            ("", 0), ("body", 1), ("body.fc1", 2), ("body.act", 2), ("body.fc2", 2), ("head", 1), ("unused", 1),
        }));
        Assert.That(s.rows.Select(r => r.output_shape is null ? "--" : string.Join("x", r.output_shape)),
            Is.EqualTo(new[] { "7x5", "7x2", "7x6", "7x6", "7x2", "7x5", "--" }));
        Assert.That(s.shapes_unknown, Is.EqualTo(new[] { "unused" }));
        var html = Xml.Parse(s.ToHtml());
        Assert.That(html.ByClass("nb-note").Single().Value, Does.Contain("unused").And.Contain("not called"));
    }

    [Test]
    public void HooksAreRemovedWhenForwardThrows()
    {
        var net = new Net();
        Assert.Throws<ArgumentException>(() => viz.summary(net, input: torch.randn(3, 5)));
        Assert.That(net.modules().All(m => m._forward_hooks.Count == 0), Is.True);
    }
}
