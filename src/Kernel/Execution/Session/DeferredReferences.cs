using Microsoft.CodeAnalysis;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// The framework references a session leaves out until a cell needs one. A cell that fails to
/// compile with an error that can mean "an assembly is not referenced" is compiled once more with
/// all of them; if that compiles, the session keeps them, so the user sees no difference but speed.
/// </summary>
internal sealed class DeferredReferences(IEnumerable<string> paths)
{
    // Missing type or namespace (CS0246, CS0234, CS0103 for a type used as a value, CS0400 with
    // global::), type in an unreferenced assembly (CS0012, CS0430, CS1069, CS7069), predefined or
    // compiler-required types, members and attributes (CS0518, CS0656, CS8179, CS1980 for dynamic,
    // CS8137 for tuple names), extension methods or the query
    // pattern that live in another assembly (CS1061, CS1935, CS1936), members added by a forwarded
    // assembly's types (CS0117).
    private static readonly HashSet<string> s_missingReferenceCodes =
    [
        "CS0012", "CS0103", "CS0117", "CS0234", "CS0246", "CS0400", "CS0430", "CS0518", "CS0656",
        "CS1061", "CS1069", "CS1935", "CS1936", "CS1980", "CS7069", "CS8137", "CS8179",
    ];

    private IReadOnlyList<MetadataReference>? _references;
    private readonly IReadOnlyList<string> _paths = [.. paths];

    /// <summary>False once the session took them all.</summary>
    public bool Pending { get; private set; } = true;

    /// <summary>The references, created on first use: most sessions never need them.</summary>
    public IReadOnlyList<MetadataReference> References =>
        _references ??= [.. _paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];

    public IReadOnlyList<string> Paths => _paths;

    public bool MightHelp(IEnumerable<Diagnostic> errors) =>
        Pending && _paths.Count > 0 && errors.Any(d => d.Severity == DiagnosticSeverity.Error && s_missingReferenceCodes.Contains(d.Id));

    public void Taken() => Pending = false;
}
