using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary><c>#i "nuget: source"</c> adds a package source (a feed URL or a local folder) for later <c>#r "nuget: ..."</c>.</summary>
internal sealed class SourceMagic(NuGetRestorer restorer) : IMagic
{
    public IReadOnlyList<string> Names => MagicCatalog.Source.Names;

    public string Summary => MagicCatalog.Source.Summary;

    public CellOutcome Run(MagicContext context, string arguments)
    {
        var target = ReferenceMagic.Unquote(arguments);
        if (!target.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) || target.Length == "nuget:".Length)
        {
            const string message = "#i expects \"nuget: SOURCE\", a feed URL or a folder of packages.";
            return CellOutcome.Failed(new CellError("SourceError", message, [$"SourceError: {message}"]));
        }
        var source = target["nuget:".Length..].Trim();
        restorer.AddSource(Directory.Exists(source) ? Path.GetFullPath(source) : source);
        context.Print($"Added package source {source}");
        return CellOutcome.Ok(null, false);
    }
}
