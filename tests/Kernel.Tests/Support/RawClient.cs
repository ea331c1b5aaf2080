using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace Notebooks.Kernel.Tests.Support;

/// <summary>
/// A raw ZeroMQ client for fuzzing: it sends whatever frames it is given (signing them itself with .NET's HMAC when
/// asked) on shell or control, and reads replies back on the same thread. Loopback only.
/// </summary>
internal sealed class RawClient : IDisposable
{
    private readonly byte[] _key;
    private readonly DealerSocket _shell = new();
    private readonly DealerSocket _control = new();

    public RawClient(KernelProcess kernel)
    {
        _key = Encoding.UTF8.GetBytes(kernel.Key);
        _shell.Connect($"tcp://127.0.0.1:{kernel.Port("shell_port")}");
        _control.Connect($"tcp://127.0.0.1:{kernel.Port("control_port")}");
    }

    public string Sign(IEnumerable<byte[]> parts) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, parts.SelectMany(p => p).ToArray()));

    /// <summary>Delimiter, signature (computed over the four parts unless given) and the parts.</summary>
    public List<byte[]> Frames(byte[][] parts, string? signature = null)
    {
        var frames = new List<byte[]> { "<IDS|MSG>"u8.ToArray(), Encoding.ASCII.GetBytes(signature ?? Sign(parts.Take(4))) };
        frames.AddRange(parts);
        return frames;
    }

    public static byte[] Header(string type, string? id = null) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["msg_id"] = id ?? Guid.NewGuid().ToString(),
        ["msg_type"] = type,
        ["session"] = "raw",
        ["username"] = "fuzz",
        ["date"] = DateTime.UtcNow.ToString("O"),
        ["version"] = "5.3",
    }.ToJsonString());

    public void Send(List<byte[]> frames, bool control = false) => (control ? _control : _shell).SendMultipartBytes(frames);

    /// <summary>The content of the reply whose parent is <paramref name="id"/>, or null when none comes in time.</summary>
    public JsonObject? Reply(string id, TimeSpan timeout, bool control = false)
    {
        var socket = control ? _control : _shell;
        var deadline = DateTime.UtcNow + timeout;
        var frames = new List<byte[]>();
        while (DateTime.UtcNow < deadline)
        {
            if (!socket.TryReceiveMultipartBytes(deadline - DateTime.UtcNow, ref frames))
            {
                return null;
            }
            var delimiter = frames.FindIndex(f => f.AsSpan().SequenceEqual("<IDS|MSG>"u8));
            var parent = JsonNode.Parse(frames[delimiter + 3]) as JsonObject;
            if (parent?["msg_id"]?.GetValue<string>() == id)
            {
                return JsonNode.Parse(frames[delimiter + 5]) as JsonObject;
            }
        }
        return null;
    }

    /// <summary>Sends a signed request and waits for its reply's content.</summary>
    public JsonObject? Request(string type, JsonObject content, TimeSpan timeout, bool control = false)
    {
        var id = Guid.NewGuid().ToString();
        Send(Frames([Header(type, id), "{}"u8.ToArray(), "{}"u8.ToArray(), Encoding.UTF8.GetBytes(content.ToJsonString())]), control);
        return Reply(id, timeout, control);
    }

    public void Dispose()
    {
        foreach (var socket in new[] { _shell, _control })
        {
            socket.Options.Linger = TimeSpan.Zero;
            socket.Dispose();
        }
    }
}
