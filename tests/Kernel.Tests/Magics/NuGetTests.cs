using System.IO.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Notebooks.Kernel.Notebooks;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// <c>#i</c> and <c>#r "nuget: ..."</c> with a real restore through the dotnet CLI, from a package
/// feed made here, with a NuGet.Config and package folder of its own so nothing leaves the machine.
/// </summary>
[NonParallelizable]
public sealed class NuGetTests
{
    [Test]
    public void RestoresAPackageFromALocalFeedAndUsesIt()
    {
        var cells = RunWithLocalFeed("Tiny.Greeting", "1.2.3",
            "namespace Tiny.Greeting { public static class Hello { public static string World() => \"hello from a package\"; } }",
            [], "Tiny.Greeting.Hello.World()");
        Assert.That(IpynbFormat.JoinSource(cells[0].Outputs[0]!["text"]), Does.Contain("Installed package Tiny.Greeting 1.2.3"));
        Assert.That(IpynbFormat.JoinSource(cells[1].Outputs.Single()!["data"]!["text/plain"]), Is.EqualTo("hello from a package"));
    }

    [Test]
    public void APackagesNativeLibraryForThisPlatformIsFound()
    {
        // A package that P/Invokes its own native library (runtimes/<rid>/native/, as SkiaSharp or ONNX Runtime ship):
        // the restore must bring the file for this platform where the runtime's probing finds it. The native library
        // here is a copy of the runtime's own libSystem.Native, so the test needs no compiler.
        Assume.That(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64, "the package carries a linux-x64 library");
        var native = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libSystem.Native.so");
        var cells = RunWithLocalFeed("Tiny.Native", "0.1.0", """
            namespace Tiny.Native
            {
                public static class Process
                {
                    [System.Runtime.InteropServices.DllImport("tinynative", EntryPoint = "SystemNative_GetPid")]
                    private static extern int GetPid();
                    public static int Id() => GetPid();
                }
            }
            """, [("runtimes/linux-x64/native/libtinynative.so", native)], "Tiny.Native.Process.Id() == Environment.ProcessId");
        Assert.That(IpynbFormat.JoinSource(cells[1].Outputs.Single()!["data"]!["text/plain"]), Is.EqualTo("True"));
    }

    /// <summary>
    /// Packs one package into a feed of its own, then runs a notebook whose first cell restores it (#i the feed, #r the
    /// package) and whose second is <paramref name="use"/>, with a NuGet.Config and package folder of its own.
    /// </summary>
    private static List<NotebookCell> RunWithLocalFeed(string id, string version, string source, (string PackagePath, string File)[] extra, string use)
    {
        var root = Directory.CreateTempSubdirectory("nuget-test-").FullName;
        try
        {
            var feed = Path.Combine(root, "feed");
            Directory.CreateDirectory(feed);
            CreatePackage(feed, id, version, source, extra);
            var config = Path.Combine(root, "NuGet.Config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
                </configuration>
                """);

            var notebook = new Notebook { Metadata = IpynbFormat.DefaultMetadata() };
            notebook.Cells.Add(new NotebookCell { Source = $"#i \"nuget: {feed}\"\n#r \"nuget: {id}, {version}\"" });
            notebook.Cells.Add(new NotebookCell { Source = use });
            var path = Path.Combine(root, "nuget.ipynb");
            NotebookFile.Write(notebook, path);

            var (exit, output) = KernelCli.Run(["run", path, "--in-place"], TimeSpan.FromMinutes(3), new Dictionary<string, string>
            {
                ["NOTEBOOKS_NUGET_CONFIG"] = config,
                ["NUGET_PACKAGES"] = Path.Combine(root, "packages"),
            });
            Assert.That(exit, Is.Zero, output);
            return [.. IpynbFormat.ReadFile(path).Cells];
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void RestoresForThePortableRuntimeIdentifierOfThisMachine()
    {
        var rid = global::Notebooks.Kernel.Magics.NuGetRestorer.PortableRuntimeIdentifier();
        var arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var expected = OperatingSystem.IsWindows() ? $"win-{arch}" : OperatingSystem.IsMacOS() ? $"osx-{arch}" : null;
        if (expected is not null)
        {
            Assert.That(rid, Is.EqualTo(expected));
        }
        else
        {
            Assert.That(rid, Is.EqualTo($"linux-{arch}").Or.EqualTo($"linux-musl-{arch}"));
        }
    }

    private static void CreatePackage(string feed, string id, string version, string source, params (string PackagePath, string File)[] extra)
    {
        using var dll = new MemoryStream();
        var compilation = CSharpCompilation.Create(id, [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.That(compilation.Emit(dll).Success, Is.True);

        using var zip = ZipFile.Open(Path.Combine(feed, $"{id}.{version}.nupkg"), ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
        {
            writer.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{id}</id><version>{version}</version><authors>test</authors><description>test package</description></metadata>
                </package>
                """);
        }
        using (var entry = zip.CreateEntry($"lib/net10.0/{id}.dll").Open())
        {
            dll.Position = 0;
            dll.CopyTo(entry);
        }
        foreach (var (packagePath, file) in extra)
        {
            zip.CreateEntryFromFile(file, packagePath);
        }
    }
}
