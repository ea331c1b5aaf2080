using Microsoft.DotNet.Interactive.Events;

namespace Notebooks.Interactive.Tests;

/// <summary>Tensors, graphs, modules and live views as the host shows them once the package is loaded.</summary>
[NonParallelizable]
public sealed class DisplayTests
{
    private HostKernel _host = null!;

    [SetUp]
    public async Task StartHost() => _host = await HostKernel.StartAsync();

    [TearDown]
    public void StopHost() => _host.Dispose();

    [Test]
    public async Task ATensorShowsAsACardWithPyTorchsReprAsText()
    {
        // torch, viz and the nn alias come from the package's usings: the cell declares none.
        var result = await _host.RunAsync("torch.manual_seed(0);\ntorch.randn(2, 3)");
        HostKernel.AssertSucceeded(result);
        var value = result.Events.OfType<ReturnValueProduced>().Single().FormattedValues;
        Assert.That(value.Select(v => v.MimeType), Is.EqualTo(new[] { "text/html", "text/plain" }));
        // PyTorch 2.x, torch.manual_seed(0); torch.randn(2, 3)
        Assert.That(value.Single(v => v.MimeType == "text/plain").Value,
            Is.EqualTo("tensor([[ 1.5410, -0.2934, -2.1788],\n        [ 0.5684, -1.0845, -1.3986]])"));
        Assert.That(value.Single(v => v.MimeType == "text/html").Value, Does.Contain("1.5410").And.Not.Contain("dni-"));
    }

    [Test]
    public async Task SizesAndDtypesCarryTheirTextAsInOurKernel()
    {
        var result = await _host.RunAsync("torch.zeros(2, 3).shape");
        HostKernel.AssertSucceeded(result);
        var value = result.Events.OfType<ReturnValueProduced>().Single().FormattedValues;
        Assert.That(value.Single(v => v.MimeType == "text/plain").Value, Is.EqualTo("torch.Size([2, 3])"));
        Assert.That(value.Single(v => v.MimeType == "text/html").Value, Is.EqualTo("<code>torch.Size([2, 3])</code>"));
    }

    [Test]
    public async Task AModuleAndAnAutogradGraphDisplay()
    {
        var module = await _host.RunAsync("new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU())");
        HostKernel.AssertSucceeded(module);
        var moduleValue = module.Events.OfType<ReturnValueProduced>().Single().FormattedValues;
        Assert.That(moduleValue.Single(v => v.MimeType == "text/plain").Value,
            Is.EqualTo("Sequential(\n  (0): Linear(in_features=3, out_features=2, bias=True)\n  (1): ReLU()\n)"));

        var graph = await _host.RunAsync("var a = torch.ones(2, requires_grad: true);\nviz.make_dot((a * 2).sum())");
        HostKernel.AssertSucceeded(graph);
        var graphValue = graph.Events.OfType<ReturnValueProduced>().Single().FormattedValues;
        Assert.That(graphValue.Single(v => v.MimeType == "text/html").Value, Does.Contain("<svg").And.Contain("SumBackward0"));
    }

    [Test]
    public async Task APlotShowsItsSvgWherePlotlyCannotLoad()
    {
        var result = await _host.RunAsync("viz.plot().line(new double[] { 1, 2, 3 }, new double[] { 3, 1, 2 }, label: \"loss\")");
        HostKernel.AssertSucceeded(result);
        var value = result.Events.OfType<ReturnValueProduced>().Single().FormattedValues;
        Assert.That(value.Single(v => v.MimeType == "text/plain").Value, Is.EqualTo("Plot(1 series: line 'loss')"));
        Assert.That(value.Single(v => v.MimeType == "text/html").Value, Does.Contain("<svg").Or.Contain("Plotly"));
    }

    [Test]
    public async Task ALossCurveUpdatesItsDisplayInPlace()
    {
        var result = await _host.RunAsync("var curve = viz.loss_curve(max_fps: 1e9);\ncurve.append(1.0);\ncurve.append(0.5);\ncurve.flush();");
        HostKernel.AssertSucceeded(result);
        var shown = result.Events.OfType<DisplayedValueProduced>().Single();
        var updates = result.Events.OfType<DisplayedValueUpdated>().ToList();
        Assert.That(updates, Is.Not.Empty);
        Assert.That(updates.Select(u => u.ValueId), Is.All.EqualTo(shown.ValueId));
        Assert.That(shown.FormattedValues.Single(v => v.MimeType == "text/plain").Value, Is.EqualTo("loss 1 (step 0, min 1)"));
        Assert.That(updates[^1].FormattedValues.Single(v => v.MimeType == "text/plain").Value, Is.EqualTo("loss 0.5 (step 1, min 0.5)"));
    }
}
