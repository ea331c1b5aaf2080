using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// Cells compile against a few framework assemblies at first; one that needs another assembly is
/// compiled again with all of them, so it works the first time and later cells keep them.
/// </summary>
[NonParallelizable]
public sealed class DeferredReferenceTests
{
    private static (CellOutcome Outcome, CollectingSink Sink) Execute(CSharpInterpreter interpreter, string code)
    {
        var sink = new CollectingSink();
        return (interpreter.Execute(code, sink), sink);
    }

    private static string Result(CSharpInterpreter interpreter, string code)
    {
        var (outcome, sink) = Execute(interpreter, code);
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), () => $"{code}\n{string.Join("\n", outcome.Error?.Traceback ?? [])}");
        return sink.Results.Single().Data[MimeBundle.PlainText];
    }

    [TestCase("new System.Xml.Linq.XDocument(new System.Xml.Linq.XElement(\"root\", 42)).ToString()", "<root>42</root>")]
    [TestCase("typeof(System.Net.Http.HttpClient).Assembly.GetName().Name", "System.Net.Http")]
    [TestCase("System.Numerics.BigInteger.Pow(3, 50).ToString()", "717897987691852588770249")]
    [TestCase("using System.Text.RegularExpressions;\nRegex.Replace(\"a1b22\", @\"\\d+\", \"#\")", "a#b#")]
    [TestCase("var table = new System.Data.DataTable(\"t\");\ntable.Columns.Add(\"x\", typeof(int));\ntable.Rows.Add(7);\ntable.Rows[0][\"x\"]", "7")]
    public void ACellNeedingAnotherFrameworkAssemblyWorksTheFirstTime(string code, string expected)
    {
        var interpreter = new CSharpInterpreter();
        Assert.That(Result(interpreter, "1 + 1"), Is.EqualTo("2"));
        Assert.That(interpreter.Session.HasAllFrameworkReferences, Is.False, "a plain cell needs no more than the initial references");

        Assert.That(Result(interpreter, code), Is.EqualTo(expected));
        Assert.That(interpreter.Session.HasAllFrameworkReferences, Is.True);
        // Later cells compile against what the session now references.
        Assert.That(Result(interpreter, code), Is.EqualTo(expected));
    }

    [Test]
    public void VariablesOfDeferredTypesCarryOverToLaterCells()
    {
        var interpreter = new CSharpInterpreter();
        var (outcome, _) = Execute(interpreter, "using System.Xml.Linq;\nvar doc = XDocument.Parse(\"<a><b>1</b><b>2</b></a>\");");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        Assert.That(Result(interpreter, "doc.Root!.Elements(\"b\").Sum(e => (int)e)"), Is.EqualTo("3"));
    }

    [Test]
    public void AnUnknownTypeIsTheOrdinaryCompileErrorAndKeepsTheSessionSmall()
    {
        var interpreter = new CSharpInterpreter();
        var (outcome, _) = Execute(interpreter, "var ok = 1;\nvar w = new Widgetz();");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Error));
        Assert.That(outcome.Error!.Name, Is.EqualTo(CellError.CompilationErrorName));
        Assert.That(outcome.Error.Value, Is.EqualTo("(2,13): error CS0246: The type or namespace name 'Widgetz' could not be found (are you missing a using directive or an assembly reference?)"));
        Assert.That(outcome.Error.Traceback, Has.Count.EqualTo(3));
        Assert.That(outcome.Error.Traceback[2], Is.EqualTo("    " + new string(' ', 12) + "^"));
        Assert.That(interpreter.Session.HasAllFrameworkReferences, Is.False, "a cell that fails with every reference must not keep them");
        Assert.That(Result(interpreter, "2 * 21"), Is.EqualTo("42"));
    }

    [Test]
    public void UserExpressionsMayUseDeferredTypesWithoutKeepingThem()
    {
        var interpreter = new CSharpInterpreter();
        var outcome = interpreter.Session.Evaluate("System.Numerics.BigInteger.Parse(\"12345678901234567890\") * 2");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        Assert.That(outcome.Value!.ToString(), Is.EqualTo("24691357802469135780"));
        Assert.That(interpreter.Session.HasAllFrameworkReferences, Is.False);
    }

    [Test]
    public void TensorsAndFormattersNeedNoDeferredReference()
    {
        var interpreter = new CSharpInterpreter();
        Assert.That(Result(interpreter, "torch.manual_seed(0);\nvar t = torch.ones(2, 3);\n(t * 2).sum().item<float>()"), Is.EqualTo("12"));
        var (outcome, sink) = Execute(interpreter, "display(torch.zeros(2));");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        Assert.That(sink.Displays.Single().Data[MimeBundle.PlainText], Is.EqualTo("tensor([0., 0.])"));
        Assert.That(interpreter.Session.HasAllFrameworkReferences, Is.False);
    }
}
