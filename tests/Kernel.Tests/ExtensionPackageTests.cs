using System.Diagnostics;
using System.IO.Compression;

namespace Notebooks.Kernel.Tests;

/// <summary>The formatters' NuGet package carries the .NET Interactive extension that loads them.</summary>
public sealed class ExtensionPackageTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Test]
    public void FormattersPackageCarriesTheInteractiveExtension()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Notebooks.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            Assert.Ignore("not run from a checkout");
        }
        var project = Path.Combine(root!.FullName, "src", "Formatters", "Formatters.csproj");
        var output = Directory.CreateTempSubdirectory("formatters-pack-");
        try
        {
            // The solution's build already compiled the formatters in this configuration.
            var pack = Process.Start(new ProcessStartInfo("dotnet", ["pack", project, "-c", Configuration, "--no-build", "-o", output.FullName, "-nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var log = pack.StandardOutput.ReadToEndAsync();
            var errors = pack.StandardError.ReadToEnd();
            pack.WaitForExit();
            Assert.That(pack.ExitCode, Is.Zero, () => log.Result + errors);

            var package = output.GetFiles("Notebooks.Formatters.*.nupkg").Single();
            using var zip = ZipFile.OpenRead(package.FullName);
            var entry = zip.GetEntry("interactive-extensions/dotnet/extension.dib");
            Assert.That(entry, Is.Not.Null, string.Join("\n", zip.Entries.Select(e => e.FullName)));
            using var reader = new StreamReader(entry!.Open());
            Assert.That(reader.ReadToEnd(), Does.Contain("Notebooks.Formatters.NotebookFormatters.Load();"));

            // The metadata every package gets from src/Directory.Build.props, and one version for all of them.
            using var nuspecReader = new StreamReader(zip.GetEntry("Notebooks.Formatters.nuspec")!.Open());
            var nuspec = System.Xml.Linq.XDocument.Parse(nuspecReader.ReadToEnd());
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            var version = metadata.Element(ns + "version")!.Value;
            Assert.That(version, Is.EqualTo(global::Notebooks.Kernel.KernelIdentity.Version), "the formatters and the kernel share one version");
            Assert.That(version, Does.Contain("-"), "a prerelease while Microsoft.DotNet.Interactive.Formatting is one (NU5104)");
            Assert.That(metadata.Element(ns + "license")?.Value, Is.EqualTo("MIT"));
            Assert.That(metadata.Element(ns + "icon")?.Value, Is.EqualTo("icon.png"));
            Assert.That(metadata.Element(ns + "readme")?.Value, Is.EqualTo("README.md"));
            Assert.That(metadata.Element(ns + "description")?.Value, Does.StartWith("Notebook displays"));
            Assert.That(metadata.Element(ns + "tags")?.Value, Does.Contain("pytorch"));
            var tensors = metadata.Descendants(ns + "dependency").Single(d => d.Attribute("id")?.Value == "Notebooks.Tensors");
            Assert.That(tensors.Attribute("version")?.Value, Is.EqualTo(version));
            Assert.That(zip.GetEntry("icon.png"), Is.Not.Null);
            Assert.That(zip.GetEntry("README.md"), Is.Not.Null);
            Assert.That(zip.GetEntry("lib/net10.0/Notebooks.Formatters.xml"), Is.Not.Null, "XML documentation ships beside the assembly");
            using var icon = new MemoryStream();
            zip.GetEntry("icon.png")!.Open().CopyTo(icon);
            Assert.That(icon.ToArray(), Is.EqualTo(global::Notebooks.Kernel.Cli.Logo.Png(128)), "src/icon.png is the kernelspec's logo at 128 px (regenerate it from Logo.Png(128))");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
