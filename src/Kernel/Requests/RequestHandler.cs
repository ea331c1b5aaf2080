using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.History;
using Notebooks.Kernel.Protocol;

namespace Notebooks.Kernel.Requests;

/// <summary>
/// Message → interpreter → reply, with no sockets (as ipykernel's kernelbase and xeus's xinterpreter are apart from
/// their servers). <see cref="Handle"/> is called on the transport's socket thread and returns at once: control
/// and quick shell requests are answered there, execute/complete/inspect queue for <see cref="CellRequests"/>' thread,
/// and history searches for <see cref="HistoryRequests"/>' thread, so neither a long cell nor a slow search keeps an
/// interrupt or kernel_info from being answered. Everything made goes to the <see cref="IMessageOutbox"/>.
/// </summary>
internal sealed class RequestHandler : IDisposable
{
    private readonly IMessageOutbox _outbox;
    private readonly MessageFactory _factory = new(Guid.NewGuid().ToString());
    // Built on the cell thread: creating the Roslyn session must not delay the first kernel_info_reply.
    private readonly Lazy<CSharpInterpreter> _interpreter;
    private readonly CellRequests _cells;
    private readonly HistoryRequests _history;
    private readonly BlockingCollection<string> _inputReplies = new();
    private readonly ManualResetEventSlim _shutdown = new();

    public RequestHandler(IMessageOutbox outbox, Func<CSharpInterpreter> createInterpreter, Func<CellHistory>? createHistory = null, TimeSpan? historySearchLimit = null)
    {
        _outbox = outbox;
        _interpreter = new Lazy<CSharpInterpreter>(createInterpreter, LazyThreadSafetyMode.ExecutionAndPublication);
        // Made on first use: finding a free session number reads a directory, which kernel_info need not wait for.
        var history = new Lazy<CellHistory>(createHistory ?? (() => new CellHistory(HistoryFiles.Start(HistoryFiles.DefaultDirectory()))), LazyThreadSafetyMode.ExecutionAndPublication);
        _cells = new CellRequests(this, _interpreter, history);
        _history = new HistoryRequests(this, history, historySearchLimit ?? HistoryRequests.DefaultSearchLimit);
    }

    /// <summary>True once a shutdown_request asked for a restart (the launcher restarts the process).</summary>
    public bool RestartRequested { get; private set; }

    /// <summary>Set when a shutdown_request has been answered.</summary>
    public WaitHandle ShutdownRequested => _shutdown.WaitHandle;

    /// <summary>Starts the cell thread (which builds the interpreter and warms Roslyn up) and the history thread.</summary>
    public void Start()
    {
        _cells.Start();
        _history.Start();
    }

    /// <summary>The kernel's first message: iopub's "starting" status.</summary>
    public void PublishStarting() => Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);

    public void Publish(string type, JsonObject content, JupyterMessage? parent) =>
        _outbox.Send(Channel.Iopub, _factory.Create(type, content, parent));

    public void Reply(Channel channel, JupyterMessage request, string type, JsonObject content, JsonObject? metadata = null) =>
        _outbox.Send(channel, _factory.Reply(request, type, content, metadata));

    /// <summary>Handles one decoded message; called on the socket thread, never throws, never blocks for long.</summary>
    public void Handle(Channel channel, JupyterMessage message)
    {
        try
        {
            Dispatch(channel, message);
        }
        catch (Exception e)
        {
            // The kernel's bug, not the sender's: log it, and answer with an error so the client is not left waiting.
            Log.Warn($"{message.MessageType} on {channel} failed: {e}");
            if (ReplyTypeOf(message.MessageType) is { } replyType && channel != Channel.Stdin)
            {
                Reply(channel, message, replyType, ReplyContent.ErrorReply(e.GetType().Name, e.Message));
            }
        }
    }

    // "kernel_info_request" → "kernel_info_reply"; null for messages that have no reply (comm_msg, input_reply).
    private static string? ReplyTypeOf(string type) => type.EndsWith("_request", StringComparison.Ordinal) ? type[..^"_request".Length] + "_reply" : null;

    private void Dispatch(Channel channel, JupyterMessage message)
    {
        if (channel == Channel.Stdin)
        {
            if (message.MessageType == "input_reply")
            {
                _inputReplies.Add(message.GetString("value") ?? "");
            }
            return;
        }
        switch (message.MessageType)
        {
            case "kernel_info_request":
                WithStatus(message, () => Reply(channel, message, "kernel_info_reply", LanguageInfo.KernelInfoContent()));
                break;
            case "execute_request" or "complete_request" or "inspect_request" when channel == Channel.Shell:
                _cells.Enqueue(message);
                break;
            case "is_complete_request":
                WithStatus(message, () => Reply(channel, message, "is_complete_reply", IsComplete(message.GetString("code") ?? "")));
                break;
            case "history_request":
                _history.Enqueue(channel, message);
                break;
            case "comm_info_request":
                WithStatus(message, () => Reply(channel, message, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }));
                break;
            case "comm_open":
                // No comm targets exist; the protocol says to close what cannot be opened.
                Publish("comm_close", new JsonObject { ["comm_id"] = message.GetString("comm_id") ?? "", ["data"] = new JsonObject() }, message);
                break;
            case "comm_msg" or "comm_close":
                break;
            case "interrupt_request":
                WithStatus(message, () =>
                {
                    Interrupt();
                    Reply(channel, message, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                });
                break;
            case "shutdown_request":
                RestartRequested = message.GetBool("restart", false);
                WithStatus(message, () =>
                {
                    var content = new JsonObject { ["status"] = "ok", ["restart"] = RestartRequested };
                    Reply(channel, message, "shutdown_reply", content);
                    Publish("shutdown_reply", (JsonObject)content.DeepClone(), message);
                });
                Interrupt();
                _shutdown.Set();
                break;
            default:
                // ipykernel's wording (kernelbase.py, dispatch_shell): the message is dropped, the kernel goes on.
                Log.Warn($"Unknown message type: '{message.MessageType}' on {channel}");
                break;
        }
    }

    private static JsonObject IsComplete(string code)
    {
        var result = CSharpInterpreter.IsComplete(code);
        var content = new JsonObject { ["status"] = result.Status };
        if (result.Status == "incomplete")
        {
            content["indent"] = result.Indent;
        }
        return content;
    }

    /// <summary>Publishes busy, handles, publishes idle — idle even when handling throws.</summary>
    public void WithStatus(JupyterMessage request, Action handle)
    {
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        KernelTrace.Mark("busy");
        try
        {
            handle();
        }
        finally
        {
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
            KernelTrace.Mark("idle");
        }
    }

    /// <summary>Stops the running cell, if any (interrupt_request, shutdown, or SIGINT as ipykernel takes it).</summary>
    public void Interrupt()
    {
        if (_interpreter.IsValueCreated)
        {
            _interpreter.Value.Interrupt();
        }
    }

    /// <summary>Sends input_request to the frontend that sent <paramref name="request"/> and waits for its reply.</summary>
    public string RequestInput(JupyterMessage request, string prompt, bool password)
    {
        while (_inputReplies.TryTake(out _))
        {
            // A reply that arrived for an earlier, abandoned request must not answer this one.
        }
        _outbox.Send(Channel.Stdin, _factory.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password }, request, request.Identities));
        // Blocks in a wait that Thread.Interrupt can break, so an interrupt frees a waiting cell.
        return _inputReplies.Take();
    }

    public void Dispose()
    {
        _cells.Dispose();
        _history.Dispose();
    }
}
