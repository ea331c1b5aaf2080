using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary><c>#r "nuget: Name, Version"</c> restores a package; <c>#r "path.dll"</c> references an assembly file.</summary>
internal sealed class ReferenceMagic(NuGetRestorer restorer) : IMagic
{
    // Our own packages: the kernel is built with them, so referencing them again would load a second copy.
    private static readonly HashSet<string> s_builtIn = new(StringComparer.OrdinalIgnoreCase)
    {
        "Notebooks.Interactive", "Notebooks.Magics", "Notebooks.Formatters", "Notebooks.Tensors",
    };

    public IReadOnlyList<string> Names => MagicCatalog.Reference.Names;

    public string Summary => MagicCatalog.Reference.Summary;

    public CellOutcome Run(MagicContext context, string arguments)
    {
        var target = Unquote(arguments);
        try
        {
            if (target.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
            {
                var (name, version) = NuGetRestorer.ParsePackage(target["nuget:".Length..]);
                if (s_builtIn.Contains(name))
                {
                    // A lesson's Polyglot twin starts with #r "nuget: Notebooks.Interactive": here it is part of the kernel.
                    context.Print($"{name} is part of this kernel: already loaded.");
                    return CellOutcome.Ok(null, false);
                }
                context.Print($"Installing package {name}{(version is null ? "" : ", " + version)}...");
                var assemblies = restorer.Restore(name, version, context.Sink, context.Cancellation);
                var added = context.Interpreter.AddReferences(assemblies);
                context.Print($"Installed package {name}{(version is null ? "" : " " + version)} ({added} assemblies referenced).");
                return CellOutcome.Ok(null, false);
            }
            var path = Path.GetFullPath(Environment.ExpandEnvironmentVariables(target));
            if (!File.Exists(path))
            {
                return Fail("ReferenceNotFound", $"#r: no such assembly file: {path}");
            }
            context.Interpreter.AddReferences([path]);
            return CellOutcome.Ok(null, false);
        }
        catch (OperationCanceledException)
        {
            return CellOutcome.WasInterrupted();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or BadImageFormatException)
        {
            return Fail("ReferenceError", e.Message);
        }
    }

    internal static string Unquote(string text)
    {
        text = text.Trim();
        return text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1].Trim() : text;
    }

    private static CellOutcome Fail(string name, string message) =>
        CellOutcome.Failed(new CellError(name, message, [$"{name}: {message}"]));
}
