using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Protocol;

/// <summary>Jupyter's ZeroMQ framing: identities, "&lt;IDS|MSG&gt;", signature, four JSON frames, buffers.</summary>
internal static class WireFormat
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>Null when the frames are malformed or the signature is wrong or missing: such messages are dropped.</summary>
    public static JupyterMessage? Decode(IReadOnlyList<byte[]> frames, MessageSigner signer)
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
        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            return null;
        }
        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        var parts = new[] { frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5] };
        if (!signer.Verify(signature, parts))
        {
            return null;
        }
        try
        {
            return new JupyterMessage
            {
                Identities = frames.Take(delimiter).ToList(),
                Header = ParseObject(parts[0]),
                ParentHeader = ParseObject(parts[1]),
                Metadata = ParseObject(parts[2]),
                Content = ParseObject(parts[3]),
                Buffers = frames.Skip(delimiter + 6).ToList(),
            };
        }
        catch (JsonException)
        {
            return null;
        }
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

    private static JsonObject ParseObject(byte[] json) =>
        JsonNode.Parse(json) as JsonObject ?? (json.Length == 0 || Encoding.UTF8.GetString(json).Trim() == "{}" ? [] : throw new JsonException("Expected a JSON object."));

    private static byte[] Serialize(JsonObject value) => JsonSerializer.SerializeToUtf8Bytes(value);
}
