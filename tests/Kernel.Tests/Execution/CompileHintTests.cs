using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// PyTorch's SGD step by hand (`for param in model.parameters(): param -= lr * param.grad`) is a C# compile error on a
/// foreach variable (CS1656); the kernel keeps the compiler's error and adds a line saying what works, and what it
/// suggests does work.
/// </summary>
[NonParallelizable]
public sealed class CompileHintTests
{
    private const string Model = """
        using nn = Notebooks.Tensors.torch.nn;
        torch.manual_seed(0);
        var model = new nn.Linear(2, 1);
        model.call(torch.ones(1, 2)).sum().backward();
        var before = model.bias!.item();
        var lr = 0.5;
        """;

    [Test]
    public void CompoundAssignmentToAForeachVariableGetsTheInPlaceHint()
    {
        var interpreter = new CSharpInterpreter();
        Assert.That(interpreter.Execute(Model, new CollectingSink()).Status, Is.EqualTo(CellStatus.Ok));
        var outcome = interpreter.Execute("using (torch.no_grad())\n    foreach (var param in model.parameters()) param -= lr * param.grad;", new CollectingSink());
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Error));
        Assert.That(outcome.Error!.Value, Does.Contain("error CS1656: Cannot assign to 'param' because it is a 'foreach iteration variable'"));
        Assert.That(outcome.Error.Traceback, Has.Some.StartsWith("hint: a foreach variable cannot be assigned in C#").And.Contains("param.sub_(lr * param.grad)"));

        // Both suggested spellings compile and update the parameters in place (bias grad is 1: bias - 0.5).
        Assert.That(interpreter.Execute("using (torch.no_grad())\n    foreach (var param in model.parameters()) param.sub_(lr * param.grad);", new CollectingSink()).Status,
            Is.EqualTo(CellStatus.Ok));
        Assert.That(Value(interpreter, "Math.Round((double)(before - model.bias!.item()), 6)"), Is.EqualTo("0.5"));
        Assert.That(interpreter.Execute("using (torch.no_grad()) { var ps = model.parameters().ToList(); for (int i = 0; i < ps.Count; i++) { var p = ps[i]; p -= lr * p.grad; } }", new CollectingSink()).Status,
            Is.EqualTo(CellStatus.Ok));
        Assert.That(Value(interpreter, "Math.Round((double)(before - model.bias!.item()), 6)"), Is.EqualTo("1"));
    }

    private static string Value(CSharpInterpreter interpreter, string code)
    {
        var sink = new CollectingSink();
        var outcome = interpreter.Execute(code, sink);
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), () => string.Join("\n", outcome.Error?.Traceback ?? []));
        return sink.Results.Single().Data[MimeBundle.PlainText];
    }

    [Test]
    public void OtherErrorsCarryNoHint()
    {
        var outcome = new CSharpInterpreter().Execute("foreach (var i in new[] { 1 }) { int j = \"x\"; }", new CollectingSink());
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Error));
        Assert.That(outcome.Error!.Traceback, Has.None.StartsWith("hint:"));
    }
}
