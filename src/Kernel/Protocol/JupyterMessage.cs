using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Protocol;

/// <summary>A Jupyter message: routing identities, the four JSON dictionaries and optional binary buffers.</summary>
/// <remarks>
/// Every accessor tolerates any JSON type: a validly signed message may still carry a number where a string belongs,
/// and reading it must give the fallback, never throw (<see cref="WireFormat"/> checks the header's own fields).
/// </remarks>
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

    public string MessageType => StringOf(Header, "msg_type") ?? "";

    public string MessageId => StringOf(Header, "msg_id") ?? "";

    public string Session => StringOf(Header, "session") ?? "";

    public string? GetString(string name) => StringOf(Content, name);

    public bool GetBool(string name, bool fallback) => Content[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    public int GetInt(string name, int fallback) => Content[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : fallback;

    /// <summary>An integer field, or null when it is missing, not a number, or out of range for an int.</summary>
    public int? GetOptionalInt(string name) => Content[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    internal static string? StringOf(JsonObject dictionary, string name) =>
        dictionary[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
