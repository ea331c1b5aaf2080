using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Notebooks.Interactive.Tests;

/// <summary>
/// A .NET Interactive host in process: a CompositeKernel holding a CSharpKernel, as dotnet-interactive builds it. The
/// package is loaded as #r "nuget: ..." does: the assembly is referenced, then the package's extension.dib runs in the C# kernel.
/// </summary>
internal sealed class HostKernel : IDisposable
{
    public CompositeKernel Root { get; }

    public CSharpKernel CSharp { get; }

    private HostKernel(CompositeKernel root, CSharpKernel csharp)
    {
        Root = root;
        CSharp = csharp;
    }

    /// <summary>A host, with <paramref name="before"/> run on it first (e.g. to give it a directive of its own).</summary>
    public static async Task<HostKernel> StartAsync(Action<CompositeKernel>? before = null, bool load = true)
    {
        // Configured as dotnet-interactive's KernelBuilder configures its C# kernel (display(), #!who/#!whos, #!set/#!share),
        // less #r "nuget:" restores, which need the network.
        var csharp = new CSharpKernel().UseKernelHelpers().UseWho().UseValueSharing();
        var root = new CompositeKernel { csharp };
        root.DefaultKernelName = csharp.Name;
        before?.Invoke(root);
        var host = new HostKernel(root, csharp);
        if (load)
        {
            await host.LoadPackageAsync();
        }
        return host;
    }

    public async Task LoadPackageAsync()
    {
        var reference = await Root.SubmitCodeAsync($"#r \"{typeof(NotebooksExtension).Assembly.Location}\"");
        AssertSucceeded(reference);
        AssertSucceeded(await Root.SubmitCodeAsync(ExtensionScript()));
    }

    /// <summary>The C# section of the packed extension.dib.</summary>
    public static string ExtensionScript()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "extension.dib")).Replace("\r\n", "\n");
        return text[(text.IndexOf("#!csharp\n", StringComparison.Ordinal) + "#!csharp\n".Length)..];
    }

    public Task<KernelCommandResult> RunAsync(string code) => Root.SubmitCodeAsync(code);

    public static void AssertSucceeded(KernelCommandResult result) =>
        Assert.That(result.Events.OfType<CommandFailed>().Select(f => f.Message), Is.Empty);

    public static string Stdout(KernelCommandResult result) =>
        string.Concat(result.Events.OfType<StandardOutputValueProduced>().SelectMany(e => e.FormattedValues).Select(v => v.Value));

    public static string Stderr(KernelCommandResult result) =>
        string.Concat(result.Events.OfType<StandardErrorValueProduced>().SelectMany(e => e.FormattedValues).Select(v => v.Value));

    /// <summary>The one value of <paramref name="mimeType"/> among the rich outputs (displays and the result).</summary>
    public static IReadOnlyList<FormattedValue> Rich(KernelCommandResult result) =>
        [.. result.Events.Where(e => e is DisplayedValueProduced or ReturnValueProduced).Cast<DisplayEvent>().SelectMany(e => e.FormattedValues)];

    public void Dispose() => Root.Dispose();
}
