using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notebooks.Kernel.Protocol;

/// <summary>The connection file Jupyter writes for a kernel: where to bind and how to sign.</summary>
internal sealed record ConnectionInfo
{
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }
    [JsonPropertyName("iopub_port")] public int IopubPort { get; init; }
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";
    [JsonPropertyName("kernel_name")] public string? KernelName { get; init; }

    /// <summary>Reads and checks a connection file; any problem is an <see cref="InvalidConnectionFileException"/> whose message is one line.</summary>
    public static ConnectionInfo Load(string path)
    {
        ConnectionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ConnectionInfo>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidConnectionFileException(path, e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message);
        }
        if (info is null)
        {
            throw new InvalidConnectionFileException(path, "it holds null, not a JSON object");
        }
        info.Check(path);
        return info;
    }

    private void Check(string path)
    {
        if (Transport is not ("tcp" or "ipc"))
        {
            throw new InvalidConnectionFileException(path, $"transport must be \"tcp\" or \"ipc\", got \"{Transport}\"");
        }
        if (string.IsNullOrWhiteSpace(Ip))
        {
            throw new InvalidConnectionFileException(path, "ip is empty");
        }
        foreach (var (name, port) in new[] { ("shell_port", ShellPort), ("iopub_port", IopubPort), ("stdin_port", StdinPort), ("control_port", ControlPort), ("hb_port", HeartbeatPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw new InvalidConnectionFileException(path, $"{name} must be a port number from 1 to 65535, got {port}");
            }
        }
        if (Key is null || SignatureScheme is null)
        {
            throw new InvalidConnectionFileException(path, "key and signature_scheme must be strings");
        }
    }

    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";

    /// <summary>
    /// True when the sockets can be reached from other machines: a tcp address that is not loopback ("0.0.0.0",
    /// "*", a LAN address). Jupyter's own launchers write 127.0.0.1 unless told otherwise.
    /// </summary>
    public bool IsReachableFromNetwork =>
        Transport == "tcp" && !(Ip == "localhost" || (IPAddress.TryParse(Ip, out var address) && IPAddress.IsLoopback(address)));
}

/// <summary>The connection file is missing, unreadable or not what Jupyter writes; the message is one line.</summary>
internal sealed class InvalidConnectionFileException(string path, string problem)
    : Exception($"Invalid connection file {path}: {problem.ReplaceLineEndings(" ")}");
