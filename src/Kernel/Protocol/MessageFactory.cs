using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Protocol;

/// <summary>Builds the kernel's messages, each with a fresh header and the request it answers as parent.</summary>
internal sealed class MessageFactory(string session)
{
    public string Session { get; } = session;

    public JupyterMessage Create(string type, JsonObject content, JupyterMessage? parent, IEnumerable<byte[]>? identities = null, JsonObject? metadata = null) => new()
    {
        Identities = identities?.ToList() ?? [],
        Header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString(),
            ["session"] = Session,
            ["username"] = "kernel",
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
            ["msg_type"] = type,
            ["version"] = KernelIdentity.ProtocolVersion,
        },
        ParentHeader = parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
        Metadata = metadata ?? [],
        Content = content,
    };

    /// <summary>A reply goes back to whoever sent the request, through the same ROUTER identities.</summary>
    public JupyterMessage Reply(JupyterMessage request, string type, JsonObject content, JsonObject? metadata = null) =>
        Create(type, content, request, request.Identities, metadata);
}
