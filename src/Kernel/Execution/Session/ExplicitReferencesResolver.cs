using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Resolves <c>#r</c> as the resolver it wraps, but does not pull in the assemblies that referenced
/// assemblies depend on. Scripting's default resolver does: the formatting library's netstandard
/// reference alone brings ~130 framework assemblies into every cell's compilation, which costs
/// binding time on each cell. A cell that needs one of them fails with CS0012 and is compiled
/// again with every reference and the wrapped resolver (see <see cref="DeferredReferences"/>).
/// </summary>
internal sealed class ExplicitReferencesResolver(MetadataReferenceResolver inner) : MetadataReferenceResolver
{
    public MetadataReferenceResolver Inner { get; } = inner;

    public override bool ResolveMissingAssemblies => false;

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        Inner.ResolveReference(reference, baseFilePath, properties);

    public override bool Equals(object? other) => other is ExplicitReferencesResolver resolver && resolver.Inner.Equals(Inner);

    public override int GetHashCode() => HashCode.Combine(Inner, 1);
}
