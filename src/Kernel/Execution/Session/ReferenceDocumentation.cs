using Microsoft.CodeAnalysis;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Finds XML documentation for an assembly: the .xml file beside it (our libraries, packages), else for the
/// runtime's assemblies the SDK's reference pack, so that inspect can show summaries. Absent on a machine with only
/// a runtime: then inspect shows the BCL's signatures without summaries.
/// </summary>
internal static class ReferenceDocumentation
{
    private static readonly Lazy<string?> s_refPackDir = new(FindRefPackDir);

    public static MetadataReference CreateReference(string assemblyPath)
    {
        // Our own assemblies (and NuGet packages) carry their XML documentation beside the DLL.
        var beside = Path.ChangeExtension(assemblyPath, ".xml");
        if (File.Exists(beside))
        {
            return MetadataReference.CreateFromFile(assemblyPath, documentation: XmlDocumentationProvider.CreateFromFile(beside));
        }
        var dir = s_refPackDir.Value;
        if (dir is null)
        {
            return MetadataReference.CreateFromFile(assemblyPath);
        }
        var name = Path.GetFileNameWithoutExtension(assemblyPath);
        // CoreLib's public surface is documented under System.Runtime in the reference pack.
        var xml = Path.Combine(dir, (name == "System.Private.CoreLib" ? "System.Runtime" : name) + ".xml");
        return File.Exists(xml)
            ? MetadataReference.CreateFromFile(assemblyPath, documentation: XmlDocumentationProvider.CreateFromFile(xml))
            : MetadataReference.CreateFromFile(assemblyPath);
    }

    private static string? FindRefPackDir()
    {
        try
        {
            // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
            var runtimeDir = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            var root = runtimeDir.Parent?.Parent?.Parent;
            var packs = root is null ? null : new DirectoryInfo(Path.Combine(root.FullName, "packs", "Microsoft.NETCore.App.Ref"));
            if (packs is null || !packs.Exists)
            {
                return null;
            }
            var version = packs.GetDirectories().OrderByDescending(d => d.Name == runtimeDir.Name).ThenByDescending(d => d.Name, StringComparer.Ordinal).FirstOrDefault();
            var framework = version is null ? null : new DirectoryInfo(Path.Combine(version.FullName, "ref"));
            return framework?.Exists == true ? framework.GetDirectories().OrderByDescending(d => d.Name, StringComparer.Ordinal).FirstOrDefault()?.FullName : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
