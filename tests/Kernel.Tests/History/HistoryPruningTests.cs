using Notebooks.Kernel.History;

namespace Notebooks.Kernel.Tests;

/// <summary>Saved history keeps only the newest sessions, and pruning never hands out a number again.</summary>
public sealed class HistoryPruningTests
{
    [Test]
    public void StartingASessionDropsTheOldestFilesBeyondTheCap()
    {
        var directory = Directory.CreateTempSubdirectory("history-prune-").FullName;
        try
        {
            var existing = HistoryFiles.KeptSessions + 100;
            for (var session = 1; session <= existing; session++)
            {
                File.WriteAllText(Path.Combine(directory, $"session-{session}.jsonl"), $"{{\"line\":1,\"input\":\"{session}\"}}\n");
            }
            var history = HistoryFiles.Start(directory);
            Assert.That(history, Is.Not.Null);
            Assert.That(history!.Session, Is.EqualTo(existing + 1));
            var kept = Directory.GetFiles(directory, "session-*.jsonl").Select(p => int.Parse(Path.GetFileNameWithoutExtension(p)["session-".Length..])).Order().ToList();
            Assert.That(kept, Has.Count.EqualTo(HistoryFiles.KeptSessions));
            Assert.That(kept[0], Is.EqualTo(existing + 1 - HistoryFiles.KeptSessions + 1));
            Assert.That(kept[^1], Is.EqualTo(existing + 1));
            // The oldest kept session is still read back.
            Assert.That(history.Earlier().First().Input, Is.EqualTo(kept[0].ToString()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
