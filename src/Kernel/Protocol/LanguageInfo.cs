using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Protocol;

/// <summary>The kernel_info reply's description of the kernel and its language.</summary>
internal static class LanguageInfo
{
    public static JsonObject KernelInfoContent() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = KernelIdentity.ProtocolVersion,
        ["implementation"] = KernelIdentity.Implementation,
        ["implementation_version"] = KernelIdentity.Version,
        ["language_info"] = KernelIdentity.LanguageInfo(),
        ["banner"] = $"{KernelIdentity.DisplayName} {KernelIdentity.Version}: C# on .NET {Environment.Version} with Roslyn scripting",
        ["debugger"] = false,
        ["help_links"] = new JsonArray
        {
            new JsonObject { ["text"] = "C# documentation", ["url"] = "https://learn.microsoft.com/dotnet/csharp/" },
        },
    };
}
