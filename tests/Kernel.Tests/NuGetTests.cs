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
        var root = Directory.CreateTempSubdirectory("nuget-test-").FullName;
        try
        {
            var feed = Path.Combine(root, "feed");
            Directory.CreateDirectory(feed);
            CreatePackage(feed, "Tiny.Greeting", "1.2.3", "namespace Tiny.Greeting { public static class Hello { public static string World() => \"hello from a package\"; } }");
            var config = Path.Combine(root, "NuGet.Config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
                </configuration>
                """);

            var notebook = new Notebook { Metadata = IpynbFormat.DefaultMetadata() };
            notebook.Cells.Add(new NotebookCell { Source = $"#i \"nuget: {feed}\"\n#r \"nuget: Tiny.Greeting, 1.2.3\"" });
            notebook.Cells.Add(new NotebookCell { Source = "Tiny.Greeting.Hello.World()" });
            var path = Path.Combine(root, "nuget.ipynb");
            NotebookFile.Write(notebook, path);

            var (exit, output) = KernelCli.Run(["run", path], TimeSpan.FromMinutes(3), new Dictionary<string, string>
            {
                ["NOTEBOOKS_NUGET_CONFIG"] = config,
                ["NUGET_PACKAGES"] = Path.Combine(root, "packages"),
            });

            Assert.That(exit, Is.Zero, output);
            var cells = IpynbFormat.ReadFile(path).Cells;
            Assert.That(IpynbFormat.JoinSource(cells[0].Outputs[0]!["text"]), Does.Contain("Installed package Tiny.Greeting 1.2.3"));
            Assert.That(IpynbFormat.JoinSource(cells[1].Outputs.Single()!["data"]!["text/plain"]), Is.EqualTo("hello from a package"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void CreatePackage(string feed, string id, string version, string source)
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
        using var entry = zip.CreateEntry($"lib/net10.0/{id}.dll").Open();
        dll.Position = 0;
        dll.CopyTo(entry);
    }
}
