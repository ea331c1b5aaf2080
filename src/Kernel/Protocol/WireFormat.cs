using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Notebooks.Kernel.Protocol;

/// <summary>What became of a received message: decoded, or dropped with the reason the kernel logs.</summary>
internal readonly record struct Decoded(JupyterMessage? Message, string? Problem);

/// <summary>Jupyter's ZeroMQ framing: identities, "&lt;IDS|MSG&gt;", signature, four JSON frames, buffers.</summary>
internal static class WireFormat
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    // Python's json keeps the last of repeated keys, System.Text.Json's nodes fail on first access, wherever that is;
    // a repeated key is refused here, once, so no later read of the message can throw.
    private static readonly JsonDocumentOptions s_strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    // The header fields the kernel reads and the protocol types as strings; msg_id and msg_type are required
    // (jupyter_client's Session.deserialize reads both, and ipykernel drops what it cannot deserialize as "Invalid Message").
    private static readonly string[] s_requiredStrings = ["msg_id", "msg_type"];
    private static readonly string[] s_optionalStrings = ["session", "username", "date", "version"];

    /// <summary>
    /// Checks framing, signature, replay, UTF-8, JSON and the header's types; anything wrong gives a problem to log and
    /// no message (the protocol has no reply for a message that cannot be trusted or read). Never throws.
    /// </summary>
    public static Decoded Decode(IReadOnlyList<byte[]> frames, MessageSigner signer, SignatureHistory? replays = null)
    {
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0)
        {
            return Drop("no <IDS|MSG> delimiter");
        }
        if (frames.Count < delimiter + 6)
        {
            // jupyter_client's wording (session.py, deserialize).
            return Drop("malformed message, must have at least 5 elements");
        }
        var signatureBytes = frames[delimiter + 1];
        if (!Ascii.IsValid(signatureBytes))
        {
            return Drop("Invalid Signature: not ASCII");
        }
        var signature = Encoding.ASCII.GetString(signatureBytes).ToLowerInvariant();
        var parts = new[] { frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5] };
        if (signer.Enabled && signature.Length == 0)
        {
            return Drop("Unsigned Message");
        }
        if (!signer.Verify(signature, parts))
        {
            return Drop("Invalid Signature");
        }
        // Only a verified signature takes a place in the history, so forged messages cannot push real ones out.
        if (signer.Enabled && replays is not null && !replays.TryAdd(signature))
        {
            return Drop($"Duplicate Signature: '{signature}'");
        }
        string[] names = ["header", "parent_header", "metadata", "content"];
        var objects = new JsonObject[4];
        for (var i = 0; i < 4; i++)
        {
            if (ParseObject(parts[i], names[i], out objects[i]) is { } problem)
            {
                return Drop(problem);
            }
        }
        var header = objects[0];
        foreach (var field in s_requiredStrings)
        {
            if (JupyterMessage.StringOf(header, field) is null)
            {
                return Drop($"header.{field} is {Describe(header[field], header.ContainsKey(field))}, not a string");
            }
        }
        foreach (var field in s_optionalStrings)
        {
            if (header.ContainsKey(field) && JupyterMessage.StringOf(header, field) is null)
            {
                return Drop($"header.{field} is {Describe(header[field], true)}, not a string");
            }
        }
        return new Decoded(new JupyterMessage
        {
            Identities = frames.Take(delimiter).ToList(),
            Header = header,
            ParentHeader = objects[1],
            Metadata = objects[2],
            Content = objects[3],
            Buffers = frames.Skip(delimiter + 6).ToList(),
        }, null);
    }

    public static List<byte[]> Encode(JupyterMessage message, MessageSigner signer)
    {
        var parts = new[] { Serialize(message.Header), Serialize(message.ParentHeader), Serialize(message.Metadata), Serialize(message.Content) };
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(parts)));
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    private static Decoded Drop(string problem) => new(null, problem);

    // Returns the problem, or null with the parsed object. Invalid UTF-8 is refused before parsing: the JSON reader
    // would only notice it when a string is first read, which may be long after.
    private static string? ParseObject(byte[] json, string name, out JsonObject value)
    {
        value = [];
        if (json.Length == 0)
        {
            return null;
        }
        if (!Utf8.IsValid(json))
        {
            return $"{name} is not valid UTF-8";
        }
        try
        {
            var node = JsonNode.Parse(json, documentOptions: s_strict);
            if (node is not JsonObject obj)
            {
                return $"{name} is {Describe(node, true)}, not a JSON object";
            }
            // Valid JSON may still escape half a surrogate pair ("\ud800"), which .NET refuses to read as a string
            // only when the string is first read; every string is read once here, so no later read can throw.
            if (!AllStringsReadable(obj))
            {
                return $"{name} has a string with an unpaired surrogate escape";
            }
            value = obj;
            return null;
        }
        catch (JsonException e)
        {
            return $"{name} is not valid JSON: {e.Message}";
        }
    }

    private static bool AllStringsReadable(JsonNode? node)
    {
        try
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        if (!AllStringsReadable(child))
                        {
                            return false;
                        }
                    }
                    return true;
                case JsonArray array:
                    return array.All(AllStringsReadable);
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    _ = value.GetValue<string>();
                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(JsonNode? node, bool present) => !present ? "missing" : node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.String => "a string",
            var kind => kind.ToString(),
        },
        _ => "unreadable",
    };

    private static byte[] Serialize(JsonObject value) => JsonSerializer.SerializeToUtf8Bytes(value);
}
