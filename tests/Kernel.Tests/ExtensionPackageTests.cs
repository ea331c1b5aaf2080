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
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
