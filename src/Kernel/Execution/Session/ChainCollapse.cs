using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Bounds a session's memory. Roslyn chains every submission's compilation to all the previous
/// ones, so a long session keeps thousands of compilations alive and each cell binds against all
/// of them. The chain is split in two: the <em>base</em>, every cell up to the last one that
/// declared a type, method, property or constant (those live in their submission's assembly and
/// their identity must not change, so those cells stay in the chain), and the cells after it,
/// which only declare variables and run statements. Every <c>N</c> cells the cells after the base
/// are replaced by one prelude that re-declares their variables with their exact declared types
/// (read from the compiler's symbols, so tuple names and <c>dynamic</c> survive) and current
/// values, and repeats their <c>using</c> directives and <c>#r</c> lines. The old compilations then
/// become garbage; objects stay the same objects, only the variables that name them are new.
/// </summary>
/// <remarks>
/// A script variable is a field of its cell's submission object, and a lambda, anonymous method,
/// local function or query that reads one captures that object, not the value. Were its cell
/// collapsed, the closure would keep reading the old field while later cells assign the prelude's
/// new one; so a cell whose closures read variables of cells after the base stays in the chain
/// (<see cref="CapturesRecentVariables"/>), and so does every cell before it.
/// </remarks>
internal static partial class ChainCollapse
{
    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    [GeneratedRegex(@"(global::)?Submission#\d+\.")]
    private static partial Regex SubmissionPrefix();

    /// <summary>
    /// Whether a compiled cell must stay in the chain: it declares something other than variables
    /// (types, methods, properties, constants, events) or loads another script.
    /// </summary>
    public static bool MustKeep(SyntaxTree tree)
    {
        var root = tree.GetCompilationUnitRoot();
        if (root.Externs.Count > 0 || root.GetLoadDirectives().Count > 0)
        {
            return true;
        }
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case GlobalStatementSyntax:
                    continue;
                case FieldDeclarationSyntax field when field.Modifiers.Count == 0 && field.AttributeLists.Count == 0:
                    continue;
                default:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether a closure in the cell just compiled reads a variable declared after the base (in this
    /// cell or a collapsible one before it). Only cells with closures pay for the semantic check.
    /// </summary>
    public static bool CapturesRecentVariables(Compilation compilation, Compilation baseCompilation)
    {
        if (compilation.SyntaxTrees.LastOrDefault() is not { } tree)
        {
            return false;
        }
        var closures = tree.GetRoot().DescendantNodes()
            .Where(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or QueryExpressionSyntax)
            .ToList();
        if (closures.Count == 0)
        {
            return false;
        }
        var recent = new HashSet<string>(StringComparer.Ordinal);
        for (var c = compilation; c is not null && !ReferenceEquals(c, baseCompilation); c = c.ScriptCompilationInfo?.PreviousScriptCompilation)
        {
            if (c.ScriptClass is { } scriptClass)
            {
                recent.Add(scriptClass.MetadataName);
            }
        }
        var model = compilation.GetSemanticModel(tree);
        return closures
            .SelectMany(c => c.DescendantNodes().OfType<IdentifierNameSyntax>())
            .Any(name => model.GetSymbolInfo(name).Symbol is IFieldSymbol { IsStatic: false, IsConst: false, ContainingType: { IsScriptClass: true } owner }
                && recent.Contains(owner.MetadataName));
    }

    /// <summary>
    /// The prelude that re-declares what the cells after <paramref name="baseState"/> declared, and
    /// the values it reads; null when some variable's type cannot be written in C# (an anonymous
    /// type), in which case the chain is kept as it is.
    /// </summary>
    public static (string Code, Dictionary<string, object?> Values)? BuildPrelude(ScriptState<object> current, ScriptState<object> baseState)
    {
        var baseCompilation = baseState.Script.GetCompilation();
        var recent = new List<Compilation>();
        for (var c = current.Script.GetCompilation(); !ReferenceEquals(c, baseCompilation); c = c.ScriptCompilationInfo?.PreviousScriptCompilation)
        {
            if (c is null)
            {
                return null;
            }
            recent.Add(c);
        }
        if (recent.Count == 0)
        {
            return null;
        }
        recent.Reverse();

        var references = new List<string>();
        var usings = new List<string>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var compilation in recent)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                var root = tree.GetCompilationUnitRoot();
                references.AddRange(root.GetReferenceDirectives().Select(r => r.ToString().Trim()));
                usings.AddRange(root.Usings.Select(u => u.WithoutTrivia().ToFullString()));
            }
            if (compilation.ScriptClass is not { } scriptClass)
            {
                return null;
            }
            foreach (var field in scriptClass.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsImplicitlyDeclared || !field.CanBeReferencedByName || field.IsConst || field.IsStatic)
                {
                    continue;
                }
                if (!IsWritable(field.Type))
                {
                    return null;
                }
                var type = SubmissionPrefix().Replace(field.Type.ToDisplayString(s_typeFormat), "");
                if (types.ContainsKey(field.Name))
                {
                    order.Remove(field.Name);
                }
                types[field.Name] = type;
                order.Add(field.Name);
            }
        }

        var latest = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var variable in current.Variables)
        {
            latest[variable.Name] = variable.Value;
        }
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var code = new StringBuilder();
        foreach (var line in references.Distinct(StringComparer.Ordinal))
        {
            code.AppendLine(line);
        }
        foreach (var line in usings.Distinct(StringComparer.Ordinal))
        {
            code.AppendLine(line);
        }
        foreach (var name in order)
        {
            if (!latest.TryGetValue(name, out var value))
            {
                return null;
            }
            values[name] = value;
            var identifier = SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
            code.Append(types[name]).Append(' ').Append(identifier)
                .Append(" = (").Append(types[name]).Append(")__carried[\"").Append(name).AppendLine("\"];");
        }
        return (code.ToString(), values);
    }

    private static bool IsWritable(ITypeSymbol type) => type switch
    {
        IErrorTypeSymbol => false,
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => false,
        IArrayTypeSymbol array => IsWritable(array.ElementType),
        INamedTypeSymbol { IsAnonymousType: true } => false,
        INamedTypeSymbol { IsTupleType: true, TupleElements: var elements } => elements.All(e => IsWritable(e.Type)),
        INamedTypeSymbol named => named.TypeArguments.All(IsWritable) && (named.ContainingType is null || IsWritable(named.ContainingType) || named.ContainingType.IsScriptClass),
        _ => true,
    };
}
