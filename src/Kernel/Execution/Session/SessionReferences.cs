using System.Reflection;

namespace Notebooks.Kernel.Execution;

/// <summary>The assemblies and namespaces every cell starts with.</summary>
internal static class SessionReferences
{
    public const string TensorsAssembly = "Notebooks.Tensors";
    public const string TensorsNamespace = "Notebooks.Tensors";

    private static readonly string[] s_baseImports =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Text",
        "System.Threading", "System.Threading.Tasks", "Notebooks.Kernel.Scripting",
    ];

    // Every reference makes each cell's compilation merge and search one more assembly's namespaces:
    // compiling a warm `1 + 1` took ~10 ms against all ~170 framework assemblies and ~3-5 ms against
    // these few (with missing-assembly resolution off, see ExplicitReferencesResolver). The rest are
    // added when a cell needs them (see DeferredReferences).
    private static readonly HashSet<string> s_initialFramework = new(StringComparer.OrdinalIgnoreCase)
    {
        "System.Private.CoreLib", "System.Runtime", "System.Console", "System.Linq", "System.Collections",
    };

    /// <summary>Framework assemblies plus the kernel's, the tensor library's and the formatting library's.</summary>
    public static IReadOnlyList<string> AssemblyPaths { get; } = FindAssemblyPaths();

    /// <summary>What a session compiles its cells against until a cell needs more: a few framework assemblies and ours.</summary>
    public static IReadOnlyList<string> InitialAssemblyPaths { get; } = [.. AssemblyPaths.Where(IsInitial)];

    /// <summary>The framework assemblies left out of <see cref="InitialAssemblyPaths"/>.</summary>
    public static IReadOnlyList<string> DeferredAssemblyPaths { get; } = [.. AssemblyPaths.Where(p => !IsInitial(p))];

    private static bool IsInitial(string path) =>
        !IsFramework(path) || s_initialFramework.Contains(Path.GetFileNameWithoutExtension(path));

    private static bool IsFramework(string path) =>
        string.Equals(Path.GetDirectoryName(path), Path.GetDirectoryName(typeof(object).Assembly.Location), StringComparison.Ordinal);

    public static IReadOnlyList<string> Imports { get; } = FindImports();

    private static List<string> FindAssemblyPaths()
    {
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = Directory.EnumerateFiles(frameworkDir, "*.dll")
            .Where(p =>
            {
                var name = Path.GetFileNameWithoutExtension(p);
                // Native shims are not meant to be referenced. Of the runtime's private assemblies only
                // those that public facades forward types to (System.Xml.Linq's XDocument lives in
                // System.Private.Xml.Linq) are needed, or such types fail with CS1069.
                return (name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("System.Private.", StringComparison.Ordinal))
                    || name is "System" or "System.Private.CoreLib" or "System.Private.Uri" or "System.Private.Xml" or "System.Private.Xml.Linq"
                        or "System.Private.DataContractSerialization" or "netstandard" or "mscorlib" or "Microsoft.CSharp" or "Microsoft.Win32.Primitives";
            })
            .ToList();
        foreach (var assembly in new[] { typeof(SessionReferences).Assembly, typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly, TryLoad(TensorsAssembly), typeof(global::Notebooks.Formatters.NotebookFormatters).Assembly, TryLoad("Microsoft.AspNetCore.Html.Abstractions") })
        {
            if (assembly is not null && !string.IsNullOrEmpty(assembly.Location))
            {
                paths.Add(assembly.Location);
            }
        }
        return paths;
    }

    private static List<string> FindImports()
    {
        var imports = new List<string>(s_baseImports);
        // Until the tensor library declares something, "using Notebooks.Tensors;" would be an error in every cell.
        var tensors = TryLoad(TensorsAssembly);
        if (tensors is not null && SafeTypes(tensors).Any(t => t.IsPublic && t.Namespace == TensorsNamespace))
        {
            imports.Add(TensorsNamespace);
            // FunctionCtx (custom autograd functions) and graph nodes live here; lessons use them directly.
            imports.Add(TensorsNamespace + ".Autograd");
            imports.Add("Notebooks.Formatters");
        }
        return imports;
    }

    private static Assembly? TryLoad(string name)
    {
        try
        {
            return Assembly.Load(new AssemblyName(name));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
