using System.Diagnostics;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>Long sessions: the script chain is collapsed so memory stays bounded, and nothing a cell declared is lost.</summary>
[NonParallelizable]
public sealed class SessionMemoryTests
{
    private static CellOutcome Run(CSharpInterpreter interpreter, string code, out CollectingSink sink)
    {
        sink = new CollectingSink();
        var outcome = interpreter.Execute(code, sink);
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), () => $"{code}\n{outcome.Error?.Value}");
        return outcome;
    }

    private static string Result(CSharpInterpreter interpreter, string code)
    {
        Run(interpreter, code, out var sink);
        return sink.Results.Single().Data[MimeBundle.PlainText];
    }

    [Test]
    public void FifteenHundredCellsKeepTheHeapBoundedAndTheSessionIntact()
    {
        var interpreter = new CSharpInterpreter();
        var clock = Stopwatch.StartNew();
        Run(interpreter, "var first = 41;", out _);
        Run(interpreter, "class Doubler { public int Twice(int x) => 2 * x; }\nint Add(int a, int b) => a + b;", out _);
        Run(interpreter, "using L = System.Collections.Generic.List<int>;\nvar kept = new L { 1, 2 };", out _);
        for (var i = 0; i < 1500; i++)
        {
            Run(interpreter, $"var m{i % 10} = {i}; m{i % 10} + 1", out _);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heap = GC.GetTotalMemory(true);
        TestContext.Out.WriteLine($"1500 cells in {clock.Elapsed.TotalSeconds:F1} s; heap {heap / 1e6:F0} MB; {interpreter.Session.Collapses} collapses; chain {interpreter.Session.ChainLength}");

        Assert.That(Result(interpreter, "new Doubler().Twice(first) + Add(m9, 0)"), Is.EqualTo((82 + 1499).ToString()));
        Assert.That(Result(interpreter, "new L(kept).Count"), Is.EqualTo("2"));
        Assert.That(interpreter.Session.Collapses, Is.GreaterThan(0));
        Assert.That(interpreter.Session.ChainLength, Is.LessThan(interpreter.Session.CollapseEvery + 10));
        Assert.That(heap, Is.LessThan(300_000_000));
    }

    [Test]
    public void CollapsingKeepsTypesTuplesDynamicUsingsAndMethodsOverBaseVariables()
    {
        var interpreter = new CSharpInterpreter();
        interpreter.Session.CollapseEvery = 2;
        Run(interpreter, "int counter = 0;\nvoid Bump() => counter++;", out _);
        Run(interpreter, "record Point(int X, int Y);\nclass CustomReLU { public double call(double x) => Math.Max(0, x); }", out _);
        Run(interpreter, "using T = System.Text;\nvar relu = new CustomReLU();\n(int count, string name) pair = (2, \"two\");\ndynamic d = 5;", out _);
        Run(interpreter, "var points = new List<Point> { new(1, 2) };\nvar @class = \"keyword\";\nint? maybe = null;", out _);
        for (var i = 0; i < 6; i++)
        {
            Run(interpreter, $"var filler{i} = new T.StringBuilder(\"{i}\"); Bump();", out _);
        }
        Assert.That(interpreter.Session.Collapses, Is.GreaterThan(0));
        Assert.That(Result(interpreter, "relu.call(-3) + relu.call(2)"), Is.EqualTo("2"));
        Assert.That(Result(interpreter, "pair.name + pair.count"), Is.EqualTo("two2"));
        Assert.That(Result(interpreter, "(d + 1).ToString()"), Is.EqualTo("6"));
        Assert.That(Result(interpreter, "points[0].Y + (maybe ?? 40) + @class.Length"), Is.EqualTo("49"));
        Assert.That(Result(interpreter, "counter"), Is.EqualTo("6"));
        Run(interpreter, "relu = new CustomReLU(); pair.count = 7;", out _);
        Assert.That(Result(interpreter, "pair.count"), Is.EqualTo("7"));
        Assert.That(Result(interpreter, "filler0.ToString() + filler5"), Is.EqualTo("05"));
    }

    [Test]
    public void ClosuresFromCollapsedCellsSeeVariablesReassignedLater()
    {
        var interpreter = new CSharpInterpreter();
        Run(interpreter, "var x = 1;\nFunc<int> f = () => x;", out _);
        Run(interpreter, "var threshold = 2;\nvar big = new[] { 1, 2, 3, 4 }.Where(v => v > threshold);", out _);
        Run(interpreter, "var scale = 10;\nFunc<int, int> times = delegate (int v) { return v * scale; };", out _);
        Run(interpreter, "x = 2;", out _);
        for (var i = 0; i < 150; i++)
        {
            Run(interpreter, $"var m{i % 10} = {i};", out _);
            if (i == 120)
            {
                Run(interpreter, "x = 3; threshold = 3; scale = 100;", out _);
            }
        }
        Assert.That(interpreter.Session.Collapses, Is.GreaterThan(0));
        // What an un-collapsed session gives: each closure reads the one variable every cell assigns.
        Assert.That(Result(interpreter, "f()"), Is.EqualTo("3"));
        Assert.That(Result(interpreter, "big.Count()"), Is.EqualTo("1"));
        Assert.That(Result(interpreter, "times(2)"), Is.EqualTo("200"));
        Run(interpreter, "x = 4;", out _);
        Assert.That(Result(interpreter, "f() + x"), Is.EqualTo("8"));
    }

    [Test]
    public void CellsWhoseLambdasCaptureNoVariableAreStillCollapsed()
    {
        var interpreter = new CSharpInterpreter();
        interpreter.Session.CollapseEvery = 5;
        for (var i = 0; i < 30; i++)
        {
            Run(interpreter, $"var q{i % 3} = new[] {{ 1, 2, {i} }}.Select(v => v * 2).Sum();", out _);
        }
        Assert.That(interpreter.Session.Collapses, Is.GreaterThan(0));
        Assert.That(interpreter.Session.ChainLength, Is.LessThan(15));
        Assert.That(Result(interpreter, "q2"), Is.EqualTo(((1 + 2 + 29) * 2).ToString()));
    }
}

/// <summary>Run by hand: heap and resident memory over 1000 small cells (NOTEBOOKS_KERNEL_COLLAPSE_EVERY=0 measures without collapsing).</summary>
[Explicit("measurement")]
public sealed class SessionMemoryMeasurement
{
    [Test]
    public void ThousandCells()
    {
        var interpreter = new CSharpInterpreter();
        interpreter.WarmUp();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            var outcome = interpreter.Execute($"var m{i % 10} = {i}; m{i % 10} + 1", new CollectingSink());
            Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok));
            if (i % 200 == 199)
            {
                TestContext.Out.WriteLine($"{i + 1} cells: {clock.Elapsed.TotalSeconds:F1} s, heap {GC.GetTotalMemory(true) / 1e6:F0} MB, resident {Environment.WorkingSet / 1e6:F0} MB");
            }
        }
    }
}
