using System.Diagnostics;
using Notebooks.Kernel.History;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// history_request's search patterns are SQLite's GLOB (IPython's history search runs
/// <c>SELECT ... WHERE source GLOB ?</c>, IPython/core/history.py). Every expected value below is what SQLite 3
/// answers for <c>SELECT text GLOB pattern</c>; patterns that a regular expression translation rejected or
/// backtracked on are included: every pattern is valid, and matching is bounded.
/// </summary>
public sealed class HistoryGlobTests
{
    [TestCase("[", "[", false, TestName = "an unclosed [ matches nothing")]
    [TestCase("x[", "x[", false)]
    [TestCase("x", "x[", false)]
    [TestCase("ab", "a[b", false)]
    [TestCase("a", "[z-a]", false, TestName = "a reversed range is empty")]
    [TestCase("m", "[z-a]", false)]
    [TestCase("z", "[z-a]", true, TestName = "the character before the dash is compared on its own")]
    [TestCase("b", "[a-c]", true)]
    [TestCase("-", "[a-]", true)]
    [TestCase("]", "[]]", true)]
    [TestCase("]", "[]-a]", true)]
    [TestCase("-", "[]-a]", true)]
    [TestCase("b", "[]-a]", false)]
    [TestCase("d", "[a-c-e]", false)]
    [TestCase("-", "[a-c-e]", true)]
    [TestCase("e", "[a-c-e]", true)]
    [TestCase("b", "[^a]", true)]
    [TestCase("a", "[^a]", false)]
    [TestCase("^", "[\\^]", true)]
    [TestCase("[", "[[]", true)]
    [TestCase("*", "[*]", true)]
    [TestCase("a", "[*]", false)]
    [TestCase("a]", "a]", true)]
    [TestCase("abc", "a*c", true)]
    [TestCase("abc", "a?c", true)]
    [TestCase("ac", "a?c", false)]
    [TestCase("ABC", "abc", false, TestName = "case-sensitive")]
    [TestCase("aXbXc", "*b*", true)]
    [TestCase("é", "?", true)]
    [TestCase("😀", "?", true, TestName = "? is one code point, not one UTF-16 unit")]
    [TestCase("a\nb", "a?b", true)]
    [TestCase("a\nb", "a*", true)]
    [TestCase("print(1)", "print(*)", true)]
    [TestCase("", "*", true)]
    [TestCase("", "?", false)]
    public void MatchesAsSqliteGlob(string text, string pattern, bool expected) =>
        Assert.That(new HistoryGlob(pattern).IsMatch(text), Is.EqualTo(expected));

    [Test]
    public void PatternsThatMakeBacktrackingMatchersExplodeStayLinearInTheirSize()
    {
        // "*a*a*...*b" against "aaaa...": a backtracking matcher tries every split (exponential); the greedy scan with
        // one resume point does at most text × pattern steps.
        var text = new string('a', 20_000);
        var pattern = string.Concat(Enumerable.Repeat("*a", 30)) + "*b";
        var watch = Stopwatch.StartNew();
        Assert.That(new HistoryGlob(pattern).IsMatch(text), Is.False);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void ALongMatchStopsWhenItsTimeIsUp()
    {
        var text = new string('a', 2_000_000);
        var pattern = "*" + new string('a', 3_000) + "b";
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(() => new HistoryGlob(pattern).IsMatch(text, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
