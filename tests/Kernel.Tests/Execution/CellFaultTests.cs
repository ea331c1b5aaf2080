using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// Cells that misbehave, in-process: runaway recursion in each kind of member is an error the session survives
/// (a stack overflow cannot be caught in .NET and would end the kernel), loops made of goto are interruptible,
/// and a huge print's memory is given back.
/// </summary>
[NonParallelizable]
public sealed class CellFaultTests
{
    private static CSharpInterpreter s_interpreter = null!;

    [OneTimeSetUp]
    public void CreateInterpreter() => s_interpreter = new CSharpInterpreter();

    // Cells run on a thread with the kernel's cell stack (the worker's 16 MB), as in the kernel.
    private static (CellOutcome Outcome, CollectingSink Sink) Execute(string code)
    {
        var sink = new CollectingSink();
        CellOutcome? outcome = null;
        var thread = new Thread(() => outcome = s_interpreter.Execute(code, sink), 16 * 1024 * 1024);
        thread.Start();
        Assert.That(thread.Join(TimeSpan.FromSeconds(120)), Is.True, "the cell ended");
        return (outcome!, sink);
    }

    [TestCase("int Down(int n) { return Down(n + 1) + 1; }\nDown(0)", TestName = "a method with a block body")]
    [TestCase("int Down(int n) => Down(n + 1) + 1;\nDown(0)", TestName = "an expression-bodied method")]
    [TestCase("void Down(int n) => Down(n + 1);\nDown(0);", TestName = "an expression-bodied void method")]
    [TestCase("async Task Down(int n) => await Down(n + 1);\nawait Down(0);", TestName = "an expression-bodied async Task method")]
    [TestCase("class Deep { public int P => P + 1; }\nnew Deep().P", TestName = "an expression-bodied property")]
    [TestCase("class Deep { public int P { get => P + 1; } }\nnew Deep().P", TestName = "an expression-bodied getter")]
    [TestCase("class Deep { public int this[int i] => this[i + 1]; }\nnew Deep()[0]", TestName = "an expression-bodied indexer")]
    [TestCase("class Deep { public Deep(int n) => new Deep(n + 1); }\nnew Deep(0);", TestName = "an expression-bodied constructor")]
    [TestCase("int Outer() { int Local(int n) => Local(n + 1); return Local(0); }\nOuter()", TestName = "a local function")]
    [TestCase("Func<int, int> f = null!;\nf = n => { return f(n + 1); };\nf(0)", TestName = "a block lambda")]
    [TestCase("class A { public static int Ping(int n) => B.Pong(n); }\nclass B { public static int Pong(int n) => A.Ping(n + 1); }\nA.Ping(0)", TestName = "mutual recursion")]
    public void RunawayRecursionIsAnErrorAndTheSessionLives(string code)
    {
        var (before, _) = Execute("var kept = 41;");
        Assert.That(before.Status, Is.EqualTo(CellStatus.Ok));
        var (outcome, _) = Execute(code);
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Error));
        Assert.That(outcome.Error!.Name, Is.EqualTo(nameof(InsufficientExecutionStackException)));
        // Python's RecursionError text (Objects/object.c: "maximum recursion depth exceeded").
        Assert.That(outcome.Error.Value, Is.EqualTo("maximum recursion depth exceeded"));
        var (after, sink) = Execute("kept + 1");
        Assert.That(after.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(sink.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("42"));
    }

    [Test]
    public void ARecursionErrorsTracebackIsShortAsPythons()
    {
        var (outcome, _) = Execute("int Down(int n) { return Down(n + 1) + 1; }\nDown(0)");
        var traceback = outcome.Error!.Traceback;
        Assert.That(traceback.Count(l => l.Contains("Down(Int32)")), Is.EqualTo(3));
        Assert.That(traceback, Has.Some.Match(@"^   \[Previous line repeated \d+ more times\]$"));
        Assert.That(traceback, Has.Count.LessThan(60));
    }

    [Test]
    public void DeepButFiniteRecursionStillRuns()
    {
        var (outcome, sink) = Execute("int Depth(int n) => n == 0 ? 0 : 1 + Depth(n - 1);\nDepth(3000)");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        Assert.That(sink.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("3000"));
    }

    [TestCase("spin: goto spin;", TestName = "a label and a goto")]
    [TestCase("var i = 0;\nagain:\ni++;\nif (i >= 0) goto again;", TestName = "a conditional goto")]
    [TestCase("switch (1) { case 1: goto case 2; case 2: goto case 1; }", TestName = "goto case")]
    [TestCase("void Spin() { top: goto top; }\nSpin();", TestName = "a goto inside a method")]
    public void LoopsMadeOfGotoAreInterruptible(string code)
    {
        var sink = new CollectingSink();
        CellOutcome? outcome = null;
        var thread = new Thread(() => outcome = s_interpreter.Execute(code, sink), 16 * 1024 * 1024);
        thread.Start();
        Thread.Sleep(500);
        s_interpreter.Interrupt();
        Assert.That(thread.Join(TimeSpan.FromSeconds(10)), Is.True, "the interrupt stopped the cell");
        Assert.That(outcome!.Status, Is.EqualTo(CellStatus.Interrupted));
    }

    private sealed class CountingSink : IOutputSink
    {
        public long Characters;

        public void Stream(string name, string text) => Characters += text.Length;

        public void Display(MimeBundle bundle, string? displayId, bool update)
        {
        }

        public void Result(MimeBundle bundle)
        {
        }

        public void ClearOutput(bool wait)
        {
        }

        public string RequestInput(string prompt, bool password) => "";
    }

    [Test]
    public void TheMemoryOfAHugePrintIsGivenBack()
    {
        static long Heap() => GC.GetTotalMemory(forceFullCollection: true);
        var sink = new CountingSink();
        s_interpreter.Execute("1", sink);
        var before = Heap();
        var outcome = s_interpreter.Execute("Console.Write(new string('x', 50_000_000));", sink);
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(sink.Characters, Is.EqualTo(50_000_000));
        s_interpreter.Execute("2", sink);
        var after = Heap();
        // 50 M characters are 100 MB; the output buffer used to keep that capacity for the rest of the session.
        Assert.That(after - before, Is.LessThan(20_000_000), $"heap grew from {before / 1e6:F0} MB to {after / 1e6:F0} MB");
    }
}
