using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.History;
using Notebooks.Kernel.Protocol;
using Notebooks.Kernel.Requests;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// Request handling without sockets: messages go in through <see cref="RequestHandler.Handle"/>, what the kernel
/// sends is collected from its outbox. A request is always answered (an error reply at worst), and nothing is sent
/// for a cell after its idle status.
/// </summary>
[NonParallelizable]
public sealed class RequestHandlerTests
{
    private sealed class Outbox : IMessageOutbox
    {
        public BlockingCollection<(Channel Channel, JupyterMessage Message)> Sent { get; } = new();

        public void Send(Channel channel, JupyterMessage message) => Sent.Add((channel, message));
    }

    private Outbox _outbox = null!;
    private RequestHandler _handler = null!;
    private CellHistory _history = null!;
    private readonly List<(Channel Channel, JupyterMessage Message)> _seen = [];

    [OneTimeSetUp]
    public void Start()
    {
        _outbox = new Outbox();
        _history = new CellHistory();
        _handler = new RequestHandler(_outbox, () => new CSharpInterpreter(), () => _history);
        _handler.Start();
    }

    [OneTimeTearDown]
    public void Stop() => _handler.Dispose();

    private static JupyterMessage Request(string type, JsonObject content) => new()
    {
        Header = new JsonObject { ["msg_id"] = Guid.NewGuid().ToString(), ["msg_type"] = type, ["session"] = "test" },
        Content = content,
    };

    private static string? ParentId(JupyterMessage m) => JupyterMessage.StringOf(m.ParentHeader, "msg_id");

    /// <summary>Everything sent for <paramref name="request"/> until its reply and idle status, and then for <paramref name="linger"/> more.</summary>
    private List<(Channel Channel, JupyterMessage Message)> Exchange(JupyterMessage request, Channel channel = Channel.Shell, TimeSpan? linger = null)
    {
        _handler.Handle(channel, request);
        var mine = new List<(Channel, JupyterMessage)>();
        bool replied = false, idle = false;
        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(60);
        while (!(replied && idle) && clock.Elapsed < limit)
        {
            if (!_outbox.Sent.TryTake(out var item, limit - clock.Elapsed))
            {
                break;
            }
            _seen.Add(item);
            if (ParentId(item.Message) != request.MessageId)
            {
                continue;
            }
            mine.Add(item);
            replied |= item.Channel != Channel.Iopub && item.Message.MessageType.EndsWith("_reply", StringComparison.Ordinal);
            idle |= item.Message.MessageType == "status" && JupyterMessage.StringOf(item.Message.Content, "execution_state") == "idle";
        }
        Assert.That(replied && idle, $"{request.MessageType} got its reply and idle; sent: {string.Join(", ", mine.Select(m => m.Item2.MessageType))}");
        if (linger is { } wait)
        {
            Thread.Sleep(wait);
            while (_outbox.Sent.TryTake(out var late))
            {
                _seen.Add(late);
                if (ParentId(late.Message) == request.MessageId)
                {
                    mine.Add(late);
                }
            }
        }
        return mine;
    }

    private static JupyterMessage ReplyOf(List<(Channel Channel, JupyterMessage Message)> exchange) =>
        exchange.Single(m => m.Channel != Channel.Iopub).Message;

    private static string Status(JupyterMessage reply) => JupyterMessage.StringOf(reply.Content, "status")!;

    [TestCase("[")]
    [TestCase("x[")]
    [TestCase("[z-a]")]
    [TestCase("[^")]
    [TestCase("]")]
    [TestCase("*[*")]
    [TestCase("")]
    public void EveryHistorySearchPatternIsAnswered(string pattern)
    {
        // These patterns once threw while being turned into a regular expression, and the request got no reply.
        _history.Record(1, "x[1]");
        var reply = ReplyOf(Exchange(Request("history_request", new JsonObject { ["hist_access_type"] = "search", ["pattern"] = pattern, ["output"] = false })));
        Assert.That(Status(reply), Is.EqualTo("ok"));
        Assert.That(reply.Content["history"], Is.InstanceOf<JsonArray>());
    }

    [Test]
    public void HistoryRequestsWithFieldsOfAnyTypeAreAnswered()
    {
        foreach (var value in new JsonNode?[] { 5, "x", true, null, new JsonObject(), new JsonArray(), 1e300, -2147483649L })
        {
            var content = new JsonObject();
            foreach (var field in new[] { "hist_access_type", "pattern", "n", "session", "start", "stop", "unique", "output", "raw" })
            {
                content[field] = value?.DeepClone();
            }
            Assert.That(Status(ReplyOf(Exchange(Request("history_request", content)))), Is.EqualTo("ok"), $"every field = {value?.ToJsonString() ?? "null"}");
        }
    }

    [Test]
    public void ASearchPastItsTimeLimitIsAnErrorReply()
    {
        var outbox = new Outbox();
        var history = new CellHistory();
        history.Record(1, new string('a', 100_000));
        using var handler = new RequestHandler(outbox, () => throw new InvalidOperationException("no interpreter needed"), () => history, historySearchLimit: TimeSpan.Zero);
        handler.Start();
        var request = Request("history_request", new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "*a*a*a*b" });
        handler.Handle(Channel.Shell, request);
        var clock = Stopwatch.StartNew();
        JupyterMessage? reply = null;
        while (reply is null && clock.Elapsed < TimeSpan.FromSeconds(30) && outbox.Sent.TryTake(out var item, TimeSpan.FromSeconds(30)))
        {
            reply = item.Channel == Channel.Shell && ParentId(item.Message) == request.MessageId ? item.Message : null;
        }
        Assert.That(reply, Is.Not.Null);
        Assert.That(Status(reply!), Is.EqualTo("error"));
        Assert.That(JupyterMessage.StringOf(reply!.Content, "ename"), Is.EqualTo("TimeoutError"));
    }

    [Test]
    public void KernelInfoIsAnsweredWhileAHistorySearchRuns()
    {
        // The search runs on its own thread: the socket thread (which calls Handle) never waits for it.
        var watch = Stopwatch.StartNew();
        _handler.Handle(Channel.Shell, Request("history_request", new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "*" }));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(Status(ReplyOf(Exchange(Request("kernel_info_request", [])))), Is.EqualTo("ok"));
    }

    [TestCase("no_such_request")]
    [TestCase("")]
    [TestCase("execute_reply")]
    public void AnUnknownMessageTypeIsDroppedAndTheKernelGoesOn(string type)
    {
        _handler.Handle(Channel.Shell, Request(type, []));
        Assert.That(Status(ReplyOf(Exchange(Request("kernel_info_request", [])))), Is.EqualTo("ok"));
    }

    [Test]
    public void RequestsWithContentOfTheWrongTypesAreAnswered()
    {
        foreach (var type in new[] { "execute_request", "complete_request", "inspect_request", "is_complete_request", "comm_info_request", "kernel_info_request" })
        {
            var content = new JsonObject
            {
                ["code"] = 42, ["cursor_pos"] = "end", ["silent"] = "yes", ["store_history"] = new JsonArray(),
                ["user_expressions"] = 7, ["allow_stdin"] = null, ["stop_on_error"] = 1, ["detail_level"] = new JsonObject(),
            };
            // is_complete_reply's status says whether the code is complete: a code that is no string reads as "".
            Assert.That(Status(ReplyOf(Exchange(Request(type, content)))), Is.EqualTo(type == "is_complete_request" ? "complete" : "ok"), type);
        }
    }

    [Test]
    public void OutputOfATaskWhoseCellEndedIsNeverSentAfterIdleNorShownInAnotherCell()
    {
        var first = Request("execute_request", new JsonObject
        {
            ["code"] = "Task.Run(async () => { await Task.Delay(300); Console.WriteLine(\"late from the first cell\"); display(\"late display\"); });",
        });
        var firstExchange = Exchange(first);
        var second = Request("execute_request", new JsonObject { ["code"] = "Thread.Sleep(1200); Console.WriteLine(\"the second cell's own\");" });
        var secondExchange = Exchange(second, linger: TimeSpan.FromMilliseconds(300));

        var firstIdle = firstExchange.FindIndex(m => m.Message.MessageType == "status" && JupyterMessage.StringOf(m.Message.Content, "execution_state") == "idle");
        Assert.That(firstIdle, Is.EqualTo(firstExchange.Count - 1), "nothing for the first cell after its idle");
        Assert.That(_seen.Where(m => ParentId(m.Message) == first.MessageId).Select(m => m.Message.MessageType).Last(), Is.EqualTo("status"));
        var secondText = string.Concat(secondExchange.Where(m => m.Message.MessageType == "stream").Select(m => JupyterMessage.StringOf(m.Message.Content, "text")));
        Assert.That(secondText, Is.EqualTo("the second cell's own\n"), "another cell's task does not print into this one");
        Assert.That(secondExchange.Any(m => m.Message.MessageType == "display_data"), Is.False);
    }

    [Test]
    public void OutputOfATaskGoesToTheCellThatStartedItWhileThatCellRuns()
    {
        var exchange = Exchange(Request("execute_request", new JsonObject
        {
            ["code"] = "var t = new Thread(() => { for (var i = 0; i < 3; i++) { Console.WriteLine($\"worker {i}\"); Thread.Sleep(50); } }); t.Start(); t.Join();",
        }));
        var text = string.Concat(exchange.Where(m => m.Message.MessageType == "stream").Select(m => JupyterMessage.StringOf(m.Message.Content, "text")));
        Assert.That(text, Is.EqualTo("worker 0\nworker 1\nworker 2\n"));
    }
}
