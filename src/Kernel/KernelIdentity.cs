using System.Reflection;

namespace Notebooks.Kernel;

/// <summary>Names and versions the kernel reports about itself (kernel_info, kernelspec, #!about).</summary>
internal static class KernelIdentity
{
    public const string Implementation = "notebooks-csharp";
    public const string DisplayName = "C# (Notebooks)";
    public const string DefaultKernelName = "notebooks-csharp";
    public const string ProtocolVersion = "5.3";
    public const string LanguageVersion = "14.0";

    public static string Version { get; } =
        typeof(KernelIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
