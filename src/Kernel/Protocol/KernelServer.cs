using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Protocol;

/// <summary>
/// The Jupyter side of the kernel. One thread owns every socket (ZeroMQ sockets are not
/// thread-safe) and answers control and quick shell requests at once; a second thread runs
/// execute, complete and inspect requests in order, so an interrupt or kernel_info is answered
/// while a cell runs. Anything to send goes through a queue the socket thread drains.
/// </summary>
internal sealed class KernelServer : IDisposable
{
    private enum Channel
    {
        Shell,
        Control,
        Stdin,
        Iopub,
    }

    private readonly ConnectionInfo _connection;
    private readonly MessageSigner _signer;
    private readonly MessageFactory _factory = new(Guid.NewGuid().ToString());
    // Built on the worker thread: creating the Roslyn session must not delay the first kernel_info_reply.
    private readonly Lazy<CSharpInterpreter> _interpreter;
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly NetMQQueue<(Channel Channel, JupyterMessage Message)> _outgoing = new();
    private readonly NetMQPoller _poller;
    private readonly BlockingCollection<JupyterMessage> _work = new();
    private readonly BlockingCollection<string> _inputReplies = new();
    private readonly ManualResetEventSlim _stopped = new();
    private Heartbeat? _heartbeat;
    // Made on first use: finding a free session number reads a directory, which kernel_info need not wait for.
    private readonly Lazy<CellHistory> _history = new(() => new CellHistory(HistoryFiles.Start(HistoryFiles.DefaultDirectory())), LazyThreadSafetyMode.ExecutionAndPublication);
    private int _executionCount;
    private int _pending;
    private volatile bool _handling;
    private readonly CancellationTokenSource _stopping = new();

    public KernelServer(ConnectionInfo connection, Func<CSharpInterpreter> createInterpreter)
    {
        _connection = connection;
        _signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        _interpreter = new Lazy<CSharpInterpreter>(createInterpreter, LazyThreadSafetyMode.ExecutionAndPublication);
        _shell.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Shell);
        _control.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Control);
        _stdin.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Stdin);
        _outgoing.ReceiveReady += (_, _) => DrainOutgoing();
        _poller = new NetMQPoller { _shell, _control, _stdin, _outgoing };
    }

    /// <summary>True once a shutdown_request asked for a restart (the launcher restarts the process).</summary>
    public bool RestartRequested { get; private set; }

    /// <summary>Binds the sockets and serves until a shutdown_request arrives.</summary>
    public void Run()
    {
        SocketBinding.Bind(_shell, "shell", _connection.Address(_connection.ShellPort));
        SocketBinding.Bind(_control, "control", _connection.Address(_connection.ControlPort));
        SocketBinding.Bind(_stdin, "stdin", _connection.Address(_connection.StdinPort));
        SocketBinding.Bind(_iopub, "iopub", _connection.Address(_connection.IopubPort));
        _heartbeat = new Heartbeat(_connection.Address(_connection.HeartbeatPort));
        var worker = new Thread(WorkLoop, 16 * 1024 * 1024) { IsBackground = true, Name = "cell-execution" };
        worker.Start();
        _poller.RunAsync("jupyter-sockets");
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        _stopped.Wait();
        _stopping.Cancel();
        _work.CompleteAdding();
        worker.Join(TimeSpan.FromSeconds(1));
    }

    public void Publish(string type, JsonObject content, JupyterMessage? parent) =>
        Send(Channel.Iopub, _factory.Create(type, content, parent));

    /// <summary>Sends input_request to the frontend that sent <paramref name="request"/> and waits for its reply.</summary>
    public string RequestInput(JupyterMessage request, string prompt, bool password)
    {
        while (_inputReplies.TryTake(out _))
        {
            // A reply that arrived for an earlier, abandoned request must not answer this one.
        }
        var message = _factory.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password }, request, request.Identities);
        Send(Channel.Stdin, message);
        // Blocks in a wait that Thread.Interrupt can break, so an interrupt frees a waiting cell.
        return _inputReplies.Take();
    }

    private void Send(Channel channel, JupyterMessage message)
    {
        Interlocked.Increment(ref _pending);
        _outgoing.Enqueue((channel, message));
    }

    private void DrainOutgoing()
    {
        while (_outgoing.TryDequeue(out var item, TimeSpan.Zero))
        {
            var started = KernelTrace.Enabled ? Stopwatch.GetTimestamp() : 0;
            var frames = WireFormat.Encode(item.Message, _signer);
            NetMQSocket socket = item.Channel switch
            {
                Channel.Shell => _shell,
                Channel.Control => _control,
                Channel.Stdin => _stdin,
                _ => _iopub,
            };
            socket.SendMultipartBytes(frames);
            Interlocked.Decrement(ref _pending);
            if (KernelTrace.Enabled)
            {
                KernelTrace.Single($"send {item.Message.MessageType}", started);
            }
        }
    }

    private void Receive(NetMQSocket socket, Channel channel)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            var receivedAt = Stopwatch.GetTimestamp();
            var message = WireFormat.Decode(frames, _signer);
            if (message is null)
            {
                // Unsigned, wrongly signed or malformed: dropped without a reply, as the protocol asks.
                Log.Warn($"dropped a message on {channel} with a bad signature or malformed frames");
                continue;
            }
            message.ReceivedAt = receivedAt;
            message.DecodedAt = Stopwatch.GetTimestamp();
            try
            {
                Dispatch(channel, message);
            }
            catch (Exception e)
            {
                Log.Warn($"{message.MessageType} failed: {e}");
            }
        }
    }

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
        var replyChannel = channel;
        switch (message.MessageType)
        {
            case "kernel_info_request":
                WithStatus(message, () => Send(replyChannel, _factory.Reply(message, "kernel_info_reply", LanguageInfo.KernelInfoContent())));
                break;
            case "execute_request" or "complete_request" or "inspect_request" when channel == Channel.Shell:
                _work.Add(message);
                break;
            case "is_complete_request":
                WithStatus(message, () =>
                {
                    var result = CSharpInterpreter.IsComplete(message.GetString("code") ?? "");
                    var content = new JsonObject { ["status"] = result.Status };
                    if (result.Status == "incomplete")
                    {
                        content["indent"] = result.Indent;
                    }
                    Send(replyChannel, _factory.Reply(message, "is_complete_reply", content));
                });
                break;
            case "history_request":
                WithStatus(message, () => Send(replyChannel, _factory.Reply(message, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = History(message) })));
                break;
            case "comm_info_request":
                WithStatus(message, () => Send(replyChannel, _factory.Reply(message, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() })));
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
                    InterruptIfRunning();
                    Send(replyChannel, _factory.Reply(message, "interrupt_reply", new JsonObject { ["status"] = "ok" }));
                });
                break;
            case "shutdown_request":
                RestartRequested = message.GetBool("restart", false);
                WithStatus(message, () =>
                {
                    var content = new JsonObject { ["status"] = "ok", ["restart"] = RestartRequested };
                    Send(replyChannel, _factory.Reply(message, "shutdown_reply", content));
                    Publish("shutdown_reply", (JsonObject)content.DeepClone(), message);
                });
                InterruptIfRunning();
                _stopped.Set();
                break;
            default:
                Log.Warn($"unhandled {message.MessageType} on {channel}");
                break;
        }
    }

    private void WithStatus(JupyterMessage request, Action handle)
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

    private void InterruptIfRunning()
    {
        if (_interpreter.IsValueCreated)
        {
            _interpreter.Value.Interrupt();
        }
    }

    private void WorkLoop()
    {
        try
        {
            // Roslyn's first compile takes a second or more: pay it while the frontend is still connecting.
            _interpreter.Value.WarmUp();
            _interpreter.Value.Session.StartTierUp(() => _handling || _work.Count > 0, _stopping.Token);
        }
        catch (Exception e)
        {
            Log.Warn($"warm-up failed: {e.Message}");
        }
        foreach (var message in _work.GetConsumingEnumerable())
        {
            _handling = true;
            KernelTrace.Begin(message.MessageType, message.ReceivedAt, message.DecodedAt);
            try
            {
                switch (message.MessageType)
                {
                    case "execute_request":
                        WithStatus(message, () => Execute(message));
                        break;
                    case "complete_request":
                        WithStatus(message, () => Complete(message));
                        break;
                    case "inspect_request":
                        WithStatus(message, () => Inspect(message));
                        break;
                }
            }
            catch (Exception e)
            {
                // A failure here is the kernel's bug, not the cell's; log it and keep serving.
                Log.Warn($"{message.MessageType} failed: {e}");
            }
            KernelTrace.End();
            _handling = false;
        }
    }

    private void Execute(JupyterMessage request)
    {
        var code = request.GetString("code") ?? "";
        var silent = request.GetBool("silent", false);
        var storeHistory = !silent && request.GetBool("store_history", true);
        if (storeHistory)
        {
            _executionCount++;
        }
        var count = _executionCount;
        if (storeHistory)
        {
            _history.Value.Record(count, code);
        }
        if (!silent)
        {
            Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
            KernelTrace.Mark("execute_input");
        }
        var sink = new IopubSink(this, request, count, silent, request.GetBool("allow_stdin", true));
        var outcome = _interpreter.Value.Execute(code, sink, storeHistory ? $"cell{count}" : "cell");
        if (storeHistory && sink.ResultText is { } result)
        {
            _history.Value.RecordOutput(count, result);
        }

        JsonObject reply;
        if (outcome.Error is { } error)
        {
            if (!silent)
            {
                Publish("error", ErrorContent(error), request);
            }
            reply = ErrorContent(error);
            reply["status"] = "error";
            reply["execution_count"] = count;
        }
        else
        {
            reply = new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["user_expressions"] = UserExpressions(request.Content["user_expressions"] as JsonObject),
                ["payload"] = new JsonArray(),
            };
        }
        Send(Channel.Shell, _factory.Reply(request, "execute_reply", reply, new JsonObject { ["status"] = reply["status"]!.GetValue<string>() }));
        KernelTrace.Mark("reply");
        if (outcome.Error is not null && request.GetBool("stop_on_error", true))
        {
            AbortQueuedExecutions();
        }
    }

    // After a failure, cells queued behind it would run on a state the user didn't expect.
    private void AbortQueuedExecutions()
    {
        var keep = new List<JupyterMessage>();
        while (_work.TryTake(out var queued))
        {
            if (queued.MessageType != "execute_request")
            {
                keep.Add(queued);
                continue;
            }
            WithStatus(queued, () => Send(Channel.Shell, _factory.Reply(queued, "execute_reply",
                new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount }, new JsonObject { ["status"] = "aborted" })));
        }
        foreach (var message in keep)
        {
            _work.Add(message);
        }
    }

    private JsonObject UserExpressions(JsonObject? expressions)
    {
        var results = new JsonObject();
        if (expressions is null)
        {
            return results;
        }
        foreach (var (name, node) in expressions)
        {
            var expression = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
            var outcome = _interpreter.Value.Session.Evaluate(expression);
            if (outcome.Error is { } error)
            {
                var content = ErrorContent(error);
                content["status"] = "error";
                results[name] = content;
            }
            else
            {
                var content = IopubSink.Bundle(OutputFormatter.Format(outcome.Value));
                content["status"] = "ok";
                results[name] = content;
            }
        }
        return results;
    }

    private void Complete(JupyterMessage request)
    {
        var code = request.GetString("code") ?? "";
        var cursor = CodePoints.ToUtf16(code, request.GetInt("cursor_pos", code.Length));
        var matches = _interpreter.Value.CompleteAsync(code, cursor).GetAwaiter().GetResult();
        var types = new JsonArray();
        foreach (var (text, kind) in matches.Items)
        {
            types.Add(new JsonObject
            {
                ["start"] = CodePoints.FromUtf16(code, matches.Start),
                ["end"] = CodePoints.FromUtf16(code, matches.End),
                ["text"] = text,
                ["type"] = kind.ToLowerInvariant(),
            });
        }
        Send(Channel.Shell, _factory.Reply(request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(matches.Items.Select(i => (JsonNode?)JsonValue.Create(i.Text)).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16(code, matches.Start),
            ["cursor_end"] = CodePoints.FromUtf16(code, matches.End),
            ["metadata"] = new JsonObject { ["_jupyter_types_experimental"] = types },
        }));
    }

    private void Inspect(JupyterMessage request)
    {
        var code = request.GetString("code") ?? "";
        var cursor = CodePoints.ToUtf16(code, request.GetInt("cursor_pos", code.Length));
        var text = _interpreter.Value.InspectAsync(code, cursor).GetAwaiter().GetResult();
        var data = new JsonObject();
        if (text is not null)
        {
            data["text/plain"] = text;
        }
        Send(Channel.Shell, _factory.Reply(request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = data,
            ["metadata"] = new JsonObject(),
        }));
    }

    // As ipykernel's do_history: tail (n), range (session, start, stop) and search (pattern, n, unique).
    private JsonArray History(JupyterMessage request)
    {
        var output = request.GetBool("output", false);
        int? Optional(string name) => request.Content[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
        return request.GetString("hist_access_type") switch
        {
            "tail" => _history.Value.Tail(Optional("n") ?? 10, output),
            "range" => _history.Value.Range(Optional("session") ?? 0, Optional("start") ?? 1, Optional("stop"), output),
            "search" => _history.Value.Search(request.GetString("pattern") ?? "*", Optional("n"), request.GetBool("unique", false), output),
            _ => [],
        };
    }

    private static JsonObject ErrorContent(CellError error) => new()
    {
        ["ename"] = error.Name,
        ["evalue"] = error.Value,
        ["traceback"] = new JsonArray(error.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
    };

    public void Dispose()
    {
        // Let the last replies (shutdown_reply, idle) leave before the sockets close.
        if (_poller.IsRunning)
        {
            var deadline = DateTime.UtcNow.AddSeconds(1);
            while (Volatile.Read(ref _pending) > 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
            _poller.Stop();
        }
        _heartbeat?.Dispose();
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub })
        {
            socket.Options.Linger = TimeSpan.FromMilliseconds(500);
            socket.Dispose();
        }
        _outgoing.Dispose();
    }
}
