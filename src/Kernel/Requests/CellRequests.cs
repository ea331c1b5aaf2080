using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.History;
using Notebooks.Kernel.Protocol;

namespace Notebooks.Kernel.Requests;

/// <summary>
/// execute, complete and inspect requests, answered in order on one thread of their own (a 16 MB stack: cells may
/// recurse deeply before the depth check stops them), where the interpreter runs cells.
/// </summary>
internal sealed class CellRequests(RequestHandler handler, Lazy<CSharpInterpreter> interpreter, Lazy<CellHistory> history) : IDisposable
{
    private readonly BlockingCollection<JupyterMessage> _work = new();
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;
    private int _executionCount;
    private volatile bool _handling;

    public void Start()
    {
        _thread = new Thread(WorkLoop, 16 * 1024 * 1024) { IsBackground = true, Name = "cell-execution" };
        _thread.Start();
    }

    public void Enqueue(JupyterMessage message) => _work.Add(message);

    private void WorkLoop()
    {
        try
        {
            // Roslyn's first compile takes a second or more: pay it while the frontend is still connecting.
            interpreter.Value.WarmUp();
            interpreter.Value.Session.StartTierUp(() => _handling || _work.Count > 0, _stopping.Token);
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
                handler.WithStatus(message, () =>
                {
                    try
                    {
                        Handle(message);
                    }
                    catch (Exception e)
                    {
                        // A failure here is the kernel's bug, not the cell's: log it and still answer, before idle.
                        Log.Warn($"{message.MessageType} failed: {e}");
                        handler.Reply(Channel.Shell, message, message.MessageType.Replace("_request", "_reply"), ReplyContent.ErrorReply(e.GetType().Name, e.Message));
                    }
                });
            }
            catch (Exception e)
            {
                Log.Warn($"{message.MessageType} failed: {e}");
            }
            KernelTrace.End();
            _handling = false;
        }
    }

    private void Handle(JupyterMessage message)
    {
        switch (message.MessageType)
        {
            case "execute_request":
                Execute(message);
                break;
            case "complete_request":
                Complete(message);
                break;
            case "inspect_request":
                Inspect(message);
                break;
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
            history.Value.Record(count, code);
        }
        if (!silent)
        {
            handler.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
            KernelTrace.Mark("execute_input");
        }
        var sink = new IopubSink(handler, request, count, silent, request.GetBool("allow_stdin", true));
        CellOutcome outcome;
        try
        {
            outcome = interpreter.Value.Execute(code, sink, storeHistory ? $"cell{count}" : "cell");
        }
        finally
        {
            // Whatever the cell's tasks print from now on belongs to no request: front ends drop output that comes
            // after the cell's idle status, so it is never sent with this parent (see OutputRouter).
            sink.Close();
        }
        if (storeHistory && sink.ResultText is { } result)
        {
            history.Value.RecordOutput(count, result);
        }

        JsonObject reply;
        if (outcome.Error is { } error)
        {
            if (!silent)
            {
                handler.Publish("error", ReplyContent.Error(error), request);
            }
            reply = ReplyContent.Error(error);
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
        handler.Reply(Channel.Shell, request, "execute_reply", reply, new JsonObject { ["status"] = reply["status"]!.GetValue<string>() });
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
            handler.WithStatus(queued, () => handler.Reply(Channel.Shell, queued, "execute_reply",
                new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount }, new JsonObject { ["status"] = "aborted" }));
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
            var outcome = interpreter.Value.Session.Evaluate(expression);
            JsonObject content;
            if (outcome.Error is { } error)
            {
                content = ReplyContent.Error(error);
                content["status"] = "error";
            }
            else
            {
                content = ReplyContent.Bundle(OutputFormatter.Format(outcome.Value));
                content["status"] = "ok";
            }
            results[name] = content;
        }
        return results;
    }

    private void Complete(JupyterMessage request)
    {
        var code = request.GetString("code") ?? "";
        var cursor = CodePoints.ToUtf16(code, request.GetInt("cursor_pos", code.Length));
        var matches = interpreter.Value.CompleteAsync(code, cursor).GetAwaiter().GetResult();
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
        handler.Reply(Channel.Shell, request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(matches.Items.Select(i => (JsonNode?)JsonValue.Create(i.Text)).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16(code, matches.Start),
            ["cursor_end"] = CodePoints.FromUtf16(code, matches.End),
            ["metadata"] = new JsonObject { ["_jupyter_types_experimental"] = types },
        });
    }

    private void Inspect(JupyterMessage request)
    {
        var code = request.GetString("code") ?? "";
        var cursor = CodePoints.ToUtf16(code, request.GetInt("cursor_pos", code.Length));
        var text = interpreter.Value.InspectAsync(code, cursor).GetAwaiter().GetResult();
        var data = new JsonObject();
        if (text is not null)
        {
            data["text/plain"] = text;
        }
        handler.Reply(Channel.Shell, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = data,
            ["metadata"] = new JsonObject(),
        });
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _work.CompleteAdding();
        _thread?.Join(TimeSpan.FromSeconds(1));
    }
}
