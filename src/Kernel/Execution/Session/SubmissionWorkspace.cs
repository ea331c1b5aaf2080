using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;
using Notebooks.Kernel.Scripting;

namespace Notebooks.Kernel.Execution;

/// <summary>A completion match with where it applies in the code.</summary>
internal sealed record CompletionMatches(int Start, int End, IReadOnlyList<(string Text, string Kind)> Items);

/// <summary>
/// A Roslyn workspace that mirrors the session: one submission project per cell that compiled,
/// each referencing the one before, so completion and inspection see earlier cells' variables.
/// </summary>
internal sealed class SubmissionWorkspace
{
    private readonly object _gate = new();
    private readonly AdhocWorkspace _workspace = new(MefHostServices.DefaultHost);
    private readonly CSharpParseOptions _parseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);
    private readonly CSharpCompilationOptions _compilationOptions;
    private List<MetadataReference> _references;
    private Solution _solution;
    private ProjectId? _previous;
    private int _count;
    // Cells run far more often than completion is asked for: a cell is only queued here, and
    // becomes a project when completion or inspection next needs the workspace.
    private readonly List<string> _pending = [];

    public SubmissionWorkspace(IEnumerable<MetadataReference> scriptReferences, IEnumerable<string> imports)
    {
        _references = scriptReferences
            .Select(r => r is PortableExecutableReference { FilePath: { } path } ? ReferenceDocumentation.CreateReference(path) : r)
            .ToList();
        _compilationOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: imports, allowUnsafe: true);
        _solution = _workspace.CurrentSolution;
    }

    public void AddReferences(IEnumerable<MetadataReference> references)
    {
        lock (_gate)
        {
            _references = [.. _references, .. references];
        }
    }

    /// <summary>Starts the mirror over with these submissions (after the session collapsed its history).</summary>
    public void Reset(IEnumerable<string> submissions)
    {
        lock (_gate)
        {
            _solution = _workspace.CurrentSolution;
            _previous = null;
            _pending.Clear();
            _pending.AddRange(submissions);
        }
    }

    /// <summary>Records a cell that compiled, so later cells see what it declared.</summary>
    public void AddSubmission(string code)
    {
        lock (_gate)
        {
            _pending.Add(code);
        }
    }

    private void AddPending()
    {
        foreach (var code in _pending)
        {
            var (solution, document) = WithSubmission(code);
            _solution = solution;
            _previous = document.Project.Id;
        }
        _pending.Clear();
    }

    public async Task<CompletionMatches> CompleteAsync(string code, int position)
    {
        var document = Document(code);
        var service = CompletionService.GetService(document);
        if (service is null)
        {
            return new CompletionMatches(position, position, []);
        }
        var list = await service.GetCompletionsAsync(document, position).ConfigureAwait(false);
        var span = list.Span;
        var typed = code[span.Start..Math.Min(span.End, position)];
        var items = list.ItemsList
            .Where(i => i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => !i.FilterText.StartsWith(typed, StringComparison.Ordinal))
            .ThenBy(i => i.SortText, StringComparer.OrdinalIgnoreCase)
            .Select(i => (i.DisplayText, i.Tags.FirstOrDefault() ?? ""))
            .Distinct()
            .ToList();
        return new CompletionMatches(span.Start, span.End, items);
    }

    /// <summary>The signature and documentation summary of the symbol at (or just before) the cursor.</summary>
    public async Task<string?> InspectAsync(string code, int position)
    {
        var document = Document(code);
        var model = await document.GetSemanticModelAsync().ConfigureAwait(false);
        if (model is null)
        {
            return null;
        }
        ISymbol? symbol = null;
        foreach (var candidate in new[] { position, position - 1 })
        {
            if (candidate < 0 || candidate > code.Length)
            {
                continue;
            }
            symbol = await SymbolFinder.FindSymbolAtPositionAsync(model, candidate, _workspace).ConfigureAwait(false);
            if (symbol is not null)
            {
                break;
            }
        }
        return symbol is null ? null : Describe(symbol);
    }

    private static string Describe(ISymbol symbol)
    {
        var text = new StringBuilder();
        text.Append(symbol.Kind switch
        {
            SymbolKind.Method => "method",
            SymbolKind.Property => "property",
            SymbolKind.Field => "field",
            SymbolKind.Local => "local variable",
            SymbolKind.Parameter => "parameter",
            SymbolKind.NamedType => ((INamedTypeSymbol)symbol).TypeKind.ToString().ToLowerInvariant(),
            SymbolKind.Namespace => "namespace",
            _ => symbol.Kind.ToString().ToLowerInvariant(),
        });
        text.Append(' ').AppendLine(symbol.ToDisplayString(symbol is IMethodSymbol or IPropertySymbol { IsIndexer: true } ? Signature : SymbolDisplayFormat.CSharpErrorMessageFormat));
        if (symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && method.ContainingType is { } type)
        {
            var overloads = type.GetMembers(method.Name).OfType<IMethodSymbol>().Count();
            if (overloads > 1)
            {
                text.AppendLine($"(+{overloads - 1} overloads)");
            }
        }
        var xml = Parse(symbol.OriginalDefinition.GetDocumentationCommentXml() ?? "");
        var summary = Text(xml?.Element("summary"));
        if (summary.Length > 0)
        {
            text.AppendLine().AppendLine(summary);
        }
        // The parameters the documentation describes, as IPython's inspector lists a docstring's arguments.
        foreach (var param in xml?.Elements("param") ?? [])
        {
            var description = Text(param);
            if (description.Length > 0)
            {
                text.AppendLine($"  {(string?)param.Attribute("name")}: {description}");
            }
        }
        return text.ToString().TrimEnd();
    }

    // What Shift-Tab shows of a method: its parameters with their names and default values, as .NET's own
    // tooltips do (torch.add(Tensor input, Tensor other, Scalar? alpha = null)).
    private static readonly SymbolDisplayFormat Signature = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeContainingType |
            SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeRef,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName |
            SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers |
            SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static System.Xml.Linq.XElement? Parse(string xml)
    {
        if (xml.Length == 0)
        {
            return null;
        }
        try
        {
            return System.Xml.Linq.XElement.Parse(xml);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static string Text(System.Xml.Linq.XElement? element)
    {
        if (element is null)
        {
            return "";
        }
        var parts = element.Nodes().Select(n => n switch
        {
            System.Xml.Linq.XText t => t.Value,
            System.Xml.Linq.XElement e => (string?)e.Attribute("cref")?.Value.Split(':').Last() ?? (string?)e.Attribute("langword") ?? (string?)e.Attribute("name") ?? e.Value,
            _ => "",
        });
        return string.Join(" ", string.Concat(parts).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private Document Document(string code)
    {
        lock (_gate)
        {
            AddPending();
            return WithSubmission(code).Document;
        }
    }

    private (Solution Solution, Document Document) WithSubmission(string code)
    {
        var projectId = ProjectId.CreateNewId();
        var name = $"Submission{++_count}";
        var project = ProjectInfo.Create(
            projectId, VersionStamp.Create(), name, name, LanguageNames.CSharp,
            compilationOptions: _compilationOptions,
            parseOptions: _parseOptions,
            metadataReferences: _references,
            projectReferences: _previous is null ? [] : [new ProjectReference(_previous)],
            isSubmission: true,
            hostObjectType: typeof(KernelGlobals));
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = _solution.AddProject(project).AddDocument(documentId, name + ".csx", SourceText.From(code));
        return (solution, solution.GetDocument(documentId)!);
    }
}
