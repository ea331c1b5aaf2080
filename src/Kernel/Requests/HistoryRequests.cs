using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Notebooks.Kernel.History;
using Notebooks.Kernel.Protocol;

namespace Notebooks.Kernel.Requests;

/// <summary>
/// history_request, answered on a thread of its own: a search reads every session's file and matches a pattern the
/// client chose, so it must not hold up the socket thread (interrupts, kernel_info) or the cell thread. A search
/// that runs past its limit is stopped and answered with an error; so is any other failure — a request always gets
/// its reply.
/// </summary>
internal sealed class HistoryRequests(RequestHandler handler, Lazy<CellHistory> history, TimeSpan searchLimit) : IDisposable
{
    public static readonly TimeSpan DefaultSearchLimit = TimeSpan.FromSeconds(5);

    private readonly BlockingCollection<(Channel Channel, JupyterMessage Message)> _queue = new();
    private Thread? _thread;

    public void Start()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "history" };
        _thread.Start();
    }

    public void Enqueue(Channel channel, JupyterMessage message) => _queue.Add((channel, message));

    private void Loop()
    {
        foreach (var (channel, message) in _queue.GetConsumingEnumerable())
        {
            try
            {
                handler.WithStatus(message, () => handler.Reply(channel, message, "history_reply", Answer(message)));
            }
            catch (Exception e)
            {
                Log.Warn($"history_request failed: {e}");
            }
        }
    }

    // As ipykernel's do_history: tail (n), range (session, start, stop) and search (pattern, n, unique).
    private JsonObject Answer(JupyterMessage request)
    {
        var output = request.GetBool("output", false);
        using var limit = new CancellationTokenSource(searchLimit);
        try
        {
            var rows = request.GetString("hist_access_type") switch
            {
                "tail" => history.Value.Tail(request.GetOptionalInt("n") ?? 10, output),
                "range" => history.Value.Range(request.GetOptionalInt("session") ?? 0, request.GetOptionalInt("start") ?? 1, request.GetOptionalInt("stop"), output),
                "search" => history.Value.Search(request.GetString("pattern") ?? "*", request.GetOptionalInt("n"), request.GetBool("unique", false), output, limit.Token),
                _ => [],
            };
            return new JsonObject { ["status"] = "ok", ["history"] = rows };
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return ReplyContent.ErrorReply("TimeoutError", $"the history search took longer than {searchLimit.TotalSeconds:0.###} s and was stopped; try a narrower pattern");
        }
        catch (Exception e)
        {
            Log.Warn($"history_request failed: {e}");
            return ReplyContent.ErrorReply(e.GetType().Name, e.Message);
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread?.Join(TimeSpan.FromSeconds(1));
    }
}
