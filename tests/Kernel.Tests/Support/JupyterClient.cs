using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace Notebooks.Kernel.Tests.Support;

/// <summary>A received message with when it arrived, for ordering checks.</summary>
internal sealed record Received(string Channel, JsonObject Header, JsonObject Parent, JsonObject Content, long ArrivedTicks)
{
    public string Type => Header["msg_type"]!.GetValue<string>();

    public string? ParentId => Parent["msg_id"]?.GetValue<string>();
}

/// <summary>
/// A minimal Jupyter client, written independently of the kernel's own wire code, so that a
/// signing or framing bug in the kernel cannot be mirrored by the test.
/// </summary>
internal sealed class JupyterClient : IDisposable
{
    private readonly byte[] _key;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly DealerSocket _shell = new();
    private readonly DealerSocket _control = new();
    private readonly DealerSocket _stdin = new();
    private readonly SubscriberSocket _iopub = new();
    private readonly NetMQQueue<(DealerSocket Socket, List<byte[]> Frames)> _outgoing = new();
    private readonly NetMQPoller _poller;
    private readonly BlockingCollection<Received> _replies = new();
    private readonly BlockingCollection<Received> _iopubMessages = new();
    private readonly BlockingCollection<Received> _stdinMessages = new();

    private readonly KernelProcess _kernel;

    public JupyterClient(KernelProcess kernel)
    {
        _kernel = kernel;
        _key = Encoding.UTF8.GetBytes(kernel.Key);
        var identity = Encoding.ASCII.GetBytes(_session);
        _shell.Options.Identity = identity;
        _stdin.Options.Identity = identity;
        _shell.Connect($"tcp://127.0.0.1:{kernel.Port("shell_port")}");
        _control.Connect($"tcp://127.0.0.1:{kernel.Port("control_port")}");
        _stdin.Connect($"tcp://127.0.0.1:{kernel.Port("stdin_port")}");
        _iopub.Connect($"tcp://127.0.0.1:{kernel.Port("iopub_port")}");
        _iopub.SubscribeToAnyTopic();
        _shell.ReceiveReady += (_, e) => Receive(e.Socket, "shell", _replies);
        _control.ReceiveReady += (_, e) => Receive(e.Socket, "control", _replies);
        _stdin.ReceiveReady += (_, e) => Receive(e.Socket, "stdin", _stdinMessages);
        _iopub.ReceiveReady += (_, e) => Receive(e.Socket, "iopub", _iopubMessages);
        _outgoing.ReceiveReady += (_, _) =>
        {
            while (_outgoing.TryDequeue(out var item, TimeSpan.Zero))
            {
                item.Socket.SendMultipartBytes(item.Frames);
            }
        };
        _poller = new NetMQPoller { _shell, _control, _stdin, _iopub, _outgoing };
        _poller.RunAsync();
    }

    /// <summary>Waits until the kernel answers kernel_info and iopub is connected (PUB drops messages sent before SUB joins).</summary>
    public void WaitForReady(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_kernel.Process.HasExited)
            {
                _kernel.Process.WaitForExit(); // lets the stderr reader finish
                throw new InvalidOperationException($"The kernel exited with code {_kernel.Process.ExitCode} before answering kernel_info_request:\n{_kernel.ErrorTail()}");
            }
            var id = Send("kernel_info_request", []);
            if (TryGetReply(id, TimeSpan.FromSeconds(1)) is not null && TryIopub(m => m.ParentId == id && m.Type == "status", TimeSpan.FromMilliseconds(500)) is not null)
            {
                return;
            }
        }
        throw new TimeoutException($"The kernel did not answer kernel_info_request in {timeout.TotalSeconds} s; its standard error:\n{_kernel.ErrorTail()}");
    }

    public string Send(string type, JsonObject content, string channel = "shell", string? signatureOverride = null)
    {
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString(),
            ["session"] = _session,
            ["username"] = "test",
            ["date"] = DateTime.UtcNow.ToString("O"),
            ["msg_type"] = type,
            ["version"] = "5.3",
        };
        var parts = new[] { header.ToJsonString(), "{}", "{}", content.ToJsonString() }.Select(Encoding.UTF8.GetBytes).ToArray();
        var signature = signatureOverride ?? Convert.ToHexString(HMACSHA256.HashData(_key, parts.SelectMany(p => p).ToArray())).ToLowerInvariant();
        var frames = new List<byte[]> { "<IDS|MSG>"u8.ToArray(), Encoding.ASCII.GetBytes(signature) };
        frames.AddRange(parts);
        var socket = channel switch { "control" => _control, "stdin" => _stdin, _ => _shell };
        _outgoing.Enqueue((socket, frames));
        return header["msg_id"]!.GetValue<string>();
    }

    public string Execute(string code, bool silent = false, bool storeHistory = true, bool allowStdin = false, bool stopOnError = true, JsonObject? userExpressions = null) =>
        Send("execute_request", new JsonObject
        {
            ["code"] = code,
            ["silent"] = silent,
            ["store_history"] = storeHistory,
            ["user_expressions"] = userExpressions ?? new JsonObject(),
            ["allow_stdin"] = allowStdin,
            ["stop_on_error"] = stopOnError,
        });

    public Received GetReply(string id, TimeSpan? timeout = null) =>
        TryGetReply(id, timeout ?? TimeSpan.FromSeconds(30)) ?? throw new TimeoutException($"No reply to {id}.");

    public Received? TryGetReply(string id, TimeSpan timeout) => TryTake(_replies, m => m.ParentId == id, timeout);

    public Received? TryIopub(Func<Received, bool> match, TimeSpan timeout) => TryTake(_iopubMessages, match, timeout);

    public Received GetStdin(TimeSpan timeout) =>
        TryTake(_stdinMessages, _ => true, timeout) ?? throw new TimeoutException("No stdin message.");

    /// <summary>All iopub messages for a request, up to and including its idle status.</summary>
    public List<Received> IopubUntilIdle(string id, TimeSpan? timeout = null)
    {
        var messages = new List<Received>();
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (deadline.Elapsed < limit)
        {
            var message = TryIopub(m => m.ParentId == id, limit - deadline.Elapsed);
            if (message is null)
            {
                break;
            }
            messages.Add(message);
            if (message.Type == "status" && message.Content["execution_state"]?.GetValue<string>() == "idle")
            {
                return messages;
            }
        }
        throw new TimeoutException($"No idle status for {id}; got: {string.Join(", ", messages.Select(m => m.Type))}");
    }

    /// <summary>Runs code and returns its reply and iopub messages.</summary>
    public (Received Reply, List<Received> Iopub) Run(string code, TimeSpan? timeout = null)
    {
        var id = Execute(code);
        var reply = GetReply(id, timeout);
        return (reply, IopubUntilIdle(id, timeout));
    }

    private readonly List<Received> _stash = [];
    private int _badSignatures;

    /// <summary>Messages from the kernel whose signature did not verify with the shared key.</summary>
    public int BadSignatures => Volatile.Read(ref _badSignatures);

    private Received? TryTake(BlockingCollection<Received> source, Func<Received, bool> match, TimeSpan timeout)
    {
        lock (_stash)
        {
            var stashed = _stash.FirstOrDefault(m => ReferenceEquals(SourceOf(m), source) && match(m));
            if (stashed is not null)
            {
                _stash.Remove(stashed);
                return stashed;
            }
        }
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (!source.TryTake(out var message, timeout - watch.Elapsed))
            {
                return null;
            }
            if (match(message))
            {
                return message;
            }
            lock (_stash)
            {
                _stash.Add(message);
            }
        }
        return null;
    }

    private BlockingCollection<Received> SourceOf(Received message) => message.Channel switch
    {
        "iopub" => _iopubMessages,
        "stdin" => _stdinMessages,
        _ => _replies,
    };

    private void Receive(NetMQSocket socket, string channel, BlockingCollection<Received> target)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            var delimiter = frames.FindIndex(f => f.AsSpan().SequenceEqual("<IDS|MSG>"u8));
            var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
            var expected = Convert.ToHexString(HMACSHA256.HashData(_key, parts.SelectMany(p => p).ToArray())).ToLowerInvariant();
            var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
            if (signature != expected)
            {
                Interlocked.Increment(ref _badSignatures);
                continue;
            }
            target.Add(new Received(
                channel,
                (JsonObject)JsonNode.Parse(parts[0])!,
                (JsonObject)JsonNode.Parse(parts[1])!,
                (JsonObject)JsonNode.Parse(parts[3])!,
                Stopwatch.GetTimestamp()));
        }
    }

    public void Dispose()
    {
        _poller.Stop();
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub })
        {
            socket.Options.Linger = TimeSpan.Zero;
            socket.Dispose();
        }
        _outgoing.Dispose();
    }
}
