using System.Reflection;
using System.Text.Json.Nodes;

namespace Notebooks.Kernel;

/// <summary>Names and versions the kernel reports about itself (kernel_info, kernelspec, #!about, notebooks' metadata).</summary>
internal static class KernelIdentity
{
    public const string Implementation = "notebooks-csharp";
    public const string DisplayName = "C# (Notebooks)";

    /// <summary>The kernelspec name the lessons ask for and <c>install</c> writes by default.</summary>
    public const string DefaultKernelName = "notebooks-csharp";

    /// <summary>The command a <c>dotnet tool install</c> of the kernel puts on PATH.</summary>
    public const string ToolCommandName = "notebooks-kernel";

    public const string ProtocolVersion = "5.3";
    public const string LanguageVersion = "14.0";

    public static string Version { get; } =
        typeof(KernelIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// The kernel_info reply's language_info, which nbclient/nbconvert copy into a notebook's metadata when they
    /// execute it (front ends and exporters pick the highlighter from it); the headless runner writes the same.
    /// </summary>
    public static JsonObject LanguageInfo() => new()
    {
        ["codemirror_mode"] = "text/x-csharp",
        ["file_extension"] = ".cs",
        ["mimetype"] = "text/x-csharp",
        ["name"] = "csharp",
        ["pygments_lexer"] = "csharp",
        ["version"] = LanguageVersion,
    };

    /// <summary>The display name an install writes for a kernelspec name: ours for the default name, else one that tells them apart.</summary>
    public static string DisplayNameFor(string kernelName) =>
        kernelName == DefaultKernelName ? DisplayName : $"C# (Notebooks: {kernelName})";
}
