using System.Text.Json.Nodes;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>history_request over real sockets, answered as IPython's history manager answers it.</summary>
[TestFixture]
[NonParallelizable]
public sealed class HistoryTests
{
    private KernelProcess _kernel = null!;
    private JupyterClient _client = null!;
    private int _session;

    // Stored cells get lines 1..4; the silent one and the store_history=false one are not recorded.
    private static readonly string[] s_stored = ["var h = 20;", "h + 1", "Console.WriteLine(h);", "h + 1"];

    [OneTimeSetUp]
    public void StartKernelAndRunCells()
    {
        _kernel = KernelProcess.Start();
        _client = new JupyterClient(_kernel);
        _client.WaitForReady(TimeSpan.FromSeconds(30));
        var counts = new List<int>();
        foreach (var code in s_stored.Take(2))
        {
            counts.Add(Run(code));
        }
        Finish(_client.Execute("h * 100", silent: true));
        Finish(_client.Execute("h + 2", storeHistory: false));
        foreach (var code in s_stored.Skip(2))
        {
            counts.Add(Run(code));
        }
        Assert.That(counts, Is.EqualTo(new[] { 1, 2, 3, 4 }));
        _session = History(new JsonObject { ["hist_access_type"] = "tail", ["n"] = 1 })[0]![0]!.GetValue<int>();

        int Run(string code)
        {
            var (reply, _) = _client.Run(code);
            Assert.That(reply.Content["status"]!.GetValue<string>(), Is.EqualTo("ok"));
            return reply.Content["execution_count"]!.GetValue<int>();
        }

        void Finish(string id)
        {
            _client.GetReply(id);
            _client.IopubUntilIdle(id);
        }
    }

    [OneTimeTearDown]
    public void StopKernel()
    {
        _client.Dispose();
        _kernel.Dispose();
    }

    private JsonArray History(JsonObject request)
    {
        request["raw"] ??= true;
        request["output"] ??= false;
        var id = _client.Send("history_request", request);
        var reply = _client.GetReply(id);
        Assert.That(reply.Type, Is.EqualTo("history_reply"));
        Assert.That(reply.Content["status"]!.GetValue<string>(), Is.EqualTo("ok"));
        return reply.Content["history"]!.AsArray();
    }

    private static List<(int Session, int Line, string Input)> Rows(JsonArray history) =>
        history.Select(r => (r![0]!.GetValue<int>(), r[1]!.GetValue<int>(), r[2]!.GetValue<string>())).ToList();

    private List<(int, int, string)> Expected(params int[] lines) => lines.Select(l => (_session, l, s_stored[l - 1])).ToList();

    [Test]
    public void TailGivesTheLastCellsOldestFirst()
    {
        Assert.That(_session, Is.GreaterThan(0));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "tail", ["n"] = 2 })), Is.EqualTo(Expected(3, 4)));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "tail", ["n"] = 100 })), Is.EqualTo(Expected(1, 2, 3, 4)));
    }

    [Test]
    public void OutputPairsEachInputWithItsResultText()
    {
        var history = History(new JsonObject { ["hist_access_type"] = "tail", ["n"] = 3, ["output"] = true });
        var pairs = history.Select(r => (r![1]!.GetValue<int>(), r[2]![0]!.GetValue<string>(), r[2]![1]?.GetValue<string>())).ToList();
        Assert.That(pairs, Is.EqualTo(new (int, string, string?)[] { (2, "h + 1", "21"), (3, "Console.WriteLine(h);", null), (4, "h + 1", "21") }));
    }

    [Test]
    public void RangeTakesStartToStopExclusiveAndCountsBackFromTheEnd()
    {
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "range", ["session"] = 0, ["start"] = 2, ["stop"] = 4 })), Is.EqualTo(Expected(2, 3)));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "range", ["session"] = _session, ["start"] = 1 })), Is.EqualTo(Expected(1, 2, 3, 4)));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "range", ["session"] = 0, ["start"] = -2 })), Is.EqualTo(Expected(3, 4)));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "range", ["session"] = 0, ["start"] = 1, ["stop"] = -1 })), Is.EqualTo(Expected(1, 2, 3)));
        Assert.That(History(new JsonObject { ["hist_access_type"] = "range", ["session"] = -1, ["start"] = 1 }), Is.Empty, "this data directory has no earlier session");
    }

    [Test]
    public void SearchMatchesAGlobOverTheWholeInput()
    {
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "h + ?" })), Is.EqualTo(Expected(2, 4)));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "h + ?", ["unique"] = true })), Is.EqualTo(Expected(4)));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "*h*", ["n"] = 2 })), Is.EqualTo(Expected(3, 4)));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "[vC]*" })), Is.EqualTo(Expected(1, 3)));
        Assert.That(Rows(History(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "[^vC]*" })), Is.EqualTo(Expected(2, 4)));
        Assert.That(History(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "H*" }), Is.Empty, "GLOB is case-sensitive");
        Assert.That(History(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "h" }), Is.Empty, "a pattern matches the whole input");
    }

    [Test]
    public void ARestartedKernelStartsTheNextSessionAndStillSeesTheLastOne()
    {
        var data = Directory.CreateTempSubdirectory("history-data-").FullName;
        try
        {
            var first = RunAndStop(data, "var before = 1;", "before + 1");
            Assert.That(first, Is.EqualTo(1));
            using var kernel = KernelProcess.Start(dataDirectory: data);
            using var client = new JupyterClient(kernel);
            client.WaitForReady(TimeSpan.FromSeconds(30));
            client.Run("\"after\"");
            JsonArray Ask(JsonObject request)
            {
                request["raw"] = true;
                request["output"] = true;
                return client.GetReply(client.Send("history_request", request)).Content["history"]!.AsArray();
            }
            var tail = Ask(new JsonObject { ["hist_access_type"] = "tail", ["n"] = 3 })
                .Select(r => (r![0]!.GetValue<int>(), r[1]!.GetValue<int>(), r[2]![0]!.GetValue<string>(), r[2]![1]?.GetValue<string>())).ToList();
            Assert.That(tail, Is.EqualTo(new (int, int, string, string?)[] { (1, 1, "var before = 1;", null), (1, 2, "before + 1", "2"), (2, 1, "\"after\"", "after") }));
            var previous = Ask(new JsonObject { ["hist_access_type"] = "range", ["session"] = -1, ["start"] = 2 });
            Assert.That(previous.Select(r => (r![0]!.GetValue<int>(), r[1]!.GetValue<int>())), Is.EqualTo(new[] { (1, 2) }));
            var found = Ask(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "*before*" });
            Assert.That(found.Select(r => r![1]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2 }));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }

        static int RunAndStop(string data, params string[] cells)
        {
            using var kernel = KernelProcess.Start(dataDirectory: data);
            using var client = new JupyterClient(kernel);
            client.WaitForReady(TimeSpan.FromSeconds(30));
            foreach (var cell in cells)
            {
                client.Run(cell);
            }
            return client.GetReply(client.Send("history_request", new JsonObject { ["hist_access_type"] = "tail", ["n"] = 1 })).Content["history"]![0]![0]!.GetValue<int>();
        }
    }

    [Test]
    public void ConcurrentKernelsTakeDifferentSessionNumbers()
    {
        var data = Directory.CreateTempSubdirectory("history-data-").FullName;
        try
        {
            var kernels = Enumerable.Range(0, 3).Select(_ => KernelProcess.Start(dataDirectory: data)).ToList();
            var clients = kernels.Select(k => new JupyterClient(k)).ToList();
            try
            {
                clients.ForEach(c => c.WaitForReady(TimeSpan.FromSeconds(60)));
                var ids = clients.Select(c => c.Execute("1 + 1")).ToList();
                for (var i = 0; i < clients.Count; i++)
                {
                    clients[i].GetReply(ids[i], TimeSpan.FromSeconds(60));
                }
                var sessions = clients.Select(c => c.GetReply(c.Send("history_request", new JsonObject { ["hist_access_type"] = "range", ["session"] = 0, ["start"] = 1 }))
                    .Content["history"]![0]![0]!.GetValue<int>()).ToList();
                Assert.That(sessions.Order(), Is.EqualTo(new[] { 1, 2, 3 }));
                Assert.That(Directory.GetFiles(data, "session-*.jsonl", SearchOption.AllDirectories), Has.Length.EqualTo(3));
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
                kernels.ForEach(k => k.Dispose());
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
