using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// The background compilations that let the runtime tier up Roslyn while the kernel is idle: they must leave the
/// session exactly as it was, and wait while the kernel is busy.
/// </summary>
[NonParallelizable]
public sealed class CompilerTierUpTests
{
    private static string Result(CSharpInterpreter interpreter, string code)
    {
        var sink = new CollectingSink();
        var outcome = interpreter.Execute(code, sink);
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), () => string.Join("\n", outcome.Error?.Traceback ?? []));
        return sink.Results.Single().Data[MimeBundle.PlainText];
    }

    [Test]
    public void BackgroundCompilationsLeaveNoVariablesTypesOrSubmissionsBehind()
    {
        var interpreter = new CSharpInterpreter();
        Assert.That(Result(interpreter, "var kept = 41; kept + 1"), Is.EqualTo("42"));
        var chain = interpreter.Session.ChainLength;
        var variables = interpreter.Session.Variables.Select(v => v.Name).ToList();

        var thread = interpreter.Session.StartTierUp(() => false, CancellationToken.None);
        Assert.That(thread, Is.Not.Null);
        Assert.That(thread!.Join(TimeSpan.FromMinutes(2)), Is.True, "the tier-up thread ends by itself");

        Assert.That(interpreter.Session.ChainLength, Is.EqualTo(chain));
        Assert.That(interpreter.Session.Variables.Select(v => v.Name), Is.EqualTo(variables));
        // Its cells declare __a, __Twice and __P; none of them exists for the user.
        var sink = new CollectingSink();
        var outcome = interpreter.Execute("__Twice(1)", sink);
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Error));
        Assert.That(Result(interpreter, "kept * 2"), Is.EqualTo("82"));
    }

    [Test]
    public void ItWaitsWhileTheKernelIsBusyAndStopsWhenAsked()
    {
        var interpreter = new CSharpInterpreter();
        var polls = 0;
        using var stop = new CancellationTokenSource();
        var thread = interpreter.Session.StartTierUp(() => Interlocked.Increment(ref polls) > 0, stop.Token);
        Assert.That(thread, Is.Not.Null);
        Thread.Sleep(300);
        Assert.That(thread!.IsAlive, Is.True, "a busy kernel holds the background work back");
        Assert.That(Volatile.Read(ref polls), Is.GreaterThan(1), "it keeps asking whether the kernel is still busy");
        stop.Cancel();
        Assert.That(thread.Join(TimeSpan.FromSeconds(5)), Is.True);
    }
}
