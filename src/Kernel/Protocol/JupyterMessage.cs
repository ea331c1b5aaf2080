using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Protocol;

/// <summary>A Jupyter message: routing identities, the four JSON dictionaries and optional binary buffers.</summary>
internal sealed class JupyterMessage
{
    public List<byte[]> Identities { get; init; } = [];
    public JsonObject Header { get; init; } = [];
    public JsonObject ParentHeader { get; init; } = [];
    public JsonObject Metadata { get; init; } = [];
    public JsonObject Content { get; init; } = [];
    public List<byte[]> Buffers { get; init; } = [];

    /// <summary>When the frames arrived and when they were decoded (Stopwatch timestamps), for <see cref="KernelTrace"/>.</summary>
    public long ReceivedAt { get; set; }

    public long DecodedAt { get; set; }

    public string MessageType => Header["msg_type"]?.GetValue<string>() ?? "";

    public string MessageId => Header["msg_id"]?.GetValue<string>() ?? "";

    public string Session => Header["session"]?.GetValue<string>() ?? "";

    public string? GetString(string name) => Content[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public bool GetBool(string name, bool fallback) => Content[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    public int GetInt(string name, int fallback) => Content[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : fallback;
}
