using System.Reflection.PortableExecutable;

namespace Notebooks.Kernel.Cli;

/// <summary>
/// Whether an assembly carries ReadyToRun native code. A kernel started from a plain build jits
/// Roslyn on its first cells (about twice the time to a first result); a publish precompiles it.
/// </summary>
internal static class ReadyToRun
{
    public static bool IsCompiled(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    /// <summary>Roslyn is what a kernel's first cells spend their time in.</summary>
    public static bool KernelIsCompiled() =>
        IsCompiled(typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation).Assembly.Location);
}
