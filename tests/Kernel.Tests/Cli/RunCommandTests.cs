using System.Text.Json.Nodes;
using Notebooks.Kernel.Notebooks;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>The headless <c>run</c> command, as the README uses it.</summary>
[NonParallelizable]
public sealed class RunCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("run-test-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static NotebookCell Code(string source, params string[] tags)
    {
        var cell = new NotebookCell { Source = source };
        if (tags.Length > 0)
        {
            cell.Metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        }
        return cell;
    }

    private string Save(string name, params NotebookCell[] cells)
    {
        var notebook = new Notebook { Metadata = IpynbFormat.DefaultMetadata() };
        notebook.Cells.Add(new NotebookCell { CellType = NotebookCell.Markdown, Source = "# A test notebook" });
        notebook.Cells.AddRange(cells);
        var path = Path.Combine(_directory, name);
        NotebookFile.Write(notebook, path);
        return path;
    }

    private static string Outputs(NotebookCell cell) => cell.Outputs.ToJsonString();

    [Test]
    public void RunsANotebookInPlaceWithOutputsAndAllowedExceptions()
    {
        var path = Save("ok.ipynb",
            Code("var x = 20;\nConsole.WriteLine(\"hello\");\nx + 22"),
            Code("throw new ArgumentException(\"expected\");", "raises-exception"),
            Code("display(x * 2);"));

        var (exit, output) = KernelCli.Run(["run", path], TimeSpan.FromSeconds(60));

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("[1/1]").And.Contain("ok.ipynb"));
        var executed = IpynbFormat.ReadFile(path);
        var cells = executed.Cells.Where(c => c.IsCode).ToList();
        Assert.That(cells.Select(c => c.ExecutionCount), Is.EqualTo(new int?[] { 1, 2, 3 }));
        Assert.That(cells[0].Outputs[0]!["output_type"]!.GetValue<string>(), Is.EqualTo("stream"));
        Assert.That(IpynbFormat.JoinSource(cells[0].Outputs[0]!["text"]), Is.EqualTo("hello\n"));
        Assert.That(cells[0].Outputs[1]!["output_type"]!.GetValue<string>(), Is.EqualTo("execute_result"));
        Assert.That(IpynbFormat.JoinSource(cells[0].Outputs[1]!["data"]!["text/plain"]), Is.EqualTo("42"));
        Assert.That(cells[1].Outputs[0]!["output_type"]!.GetValue<string>(), Is.EqualTo("error"));
        Assert.That(cells[1].Outputs[0]!["ename"]!.GetValue<string>(), Is.EqualTo("ArgumentException"));
        Assert.That(IpynbFormat.JoinSource(cells[2].Outputs[0]!["data"]!["text/plain"]), Is.EqualTo("40"));
        Assert.That(executed.Cells[0].Source, Is.EqualTo("# A test notebook"));
    }

    [Test]
    public void AnUnexpectedErrorFailsTheRunAndNamesTheCell()
    {
        var path = Save("bad.ipynb",
            Code("var y = 1;"),
            Code("int Zero() => 0;\nvar z = 1 / Zero();"),
            Code("Console.WriteLine(\"never\");"));
        var output = Path.Combine(_directory, "out");

        var (exit, printed) = KernelCli.Run(["run", path, "--output", output], TimeSpan.FromSeconds(60));

        Assert.That(exit, Is.EqualTo(1), printed);
        Assert.That(printed, Does.Contain("FAILED at cell 3").And.Contain("DivideByZeroException"));
        var written = IpynbFormat.ReadFile(Path.Combine(output, "bad.ipynb"));
        var cells = written.Cells.Where(c => c.IsCode).ToList();
        Assert.That(cells[1].Outputs.Single()!["ename"]!.GetValue<string>(), Is.EqualTo("DivideByZeroException"));
        Assert.That(cells[2].Outputs, Is.Empty, "cells after the failure do not run");
        Assert.That(cells[2].ExecutionCount, Is.Null);
        Assert.That(IpynbFormat.ReadFile(path).Cells.Where(c => c.IsCode).All(c => c.ExecutionCount is null), Is.True, "with --output the source notebook is left alone");
    }

    [Test]
    public void TimeoutInterruptsALoopingCellAndFails()
    {
        var path = Save("slow.ipynb", Code("var n = 0L;\nwhile (true) { n++; }"));
        var (exit, printed) = KernelCli.Run(["run", path, "--timeout", "1"], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.EqualTo(1), printed);
        Assert.That(printed, Does.Contain("timed out"));
        var cell = IpynbFormat.ReadFile(path).Cells.Single(c => c.IsCode);
        Assert.That(cell.Outputs.Single()!["ename"]!.GetValue<string>(), Is.EqualTo("CellTimeoutError"));
    }

    [Test]
    public void AFolderWithoutNotebooksIsNotAnError()
    {
        var (exit, printed) = KernelCli.Run(["run", _directory], TimeSpan.FromSeconds(30));
        Assert.That(exit, Is.Zero, printed);
        Assert.That(printed, Does.Contain("No notebooks found"));
    }

    [Test]
    public void AMissingNotebookFileIsAnError()
    {
        var (exit, printed) = KernelCli.Run(["run", Path.Combine(_directory, "missing.ipynb")], TimeSpan.FromSeconds(30));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(printed, Does.Contain("no such notebook"));
    }

    [Test]
    public void EachNotebookRunsInAFreshKernelAsJupyterDoes()
    {
        // Unseeded draws start from PyTorch's default seed in every fresh kernel, so both print the same number;
        // a shared process would hand the second notebook the generator's advanced state.
        Save("a.ipynb", Code("torch.rand(1).item<float>()"));
        Save("b.ipynb", Code("torch.rand(1).item<float>()"));
        var (exit, printed) = KernelCli.Run(["run", _directory], TimeSpan.FromSeconds(120));
        Assert.That(exit, Is.Zero, printed);
        var a = Outputs(IpynbFormat.ReadFile(Path.Combine(_directory, "a.ipynb")).Cells[1]);
        var b = Outputs(IpynbFormat.ReadFile(Path.Combine(_directory, "b.ipynb")).Cells[1]);
        Assert.That(a, Does.Contain("text/plain"));
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void FoldersAreSearchedForNotebooks()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "sub"));
        Save("a.ipynb", Code("1"));
        Save(Path.Combine("sub", "b.ipynb"), Code("2"));
        var (exit, printed) = KernelCli.Run(["run", _directory], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.Zero, printed);
        Assert.That(printed, Does.Contain("[1/2]").And.Contain("[2/2]").And.Contain("All 2 notebooks ran."));
        Assert.That(IpynbFormat.ReadFile(Path.Combine(_directory, "sub", "b.ipynb")).Cells[1].ExecutionCount, Is.EqualTo(1));
    }

    [Test]
    public void HelpIsAvailableForEveryCommand()
    {
        foreach (var command in new[] { "run", "install", "kernel" })
        {
            var (exit, printed) = KernelCli.Run([command, "--help"], TimeSpan.FromSeconds(30));
            Assert.That(exit, Is.Zero);
            Assert.That(printed, Does.StartWith($"Usage: {command}"));
        }
        var (unknownExit, unknown) = KernelCli.Run(["frob"], TimeSpan.FromSeconds(30));
        Assert.That(unknownExit, Is.EqualTo(2));
        Assert.That(unknown, Does.Contain("Unknown command 'frob'"));
    }

    [Test]
    public void InstallWritesAKernelspecThatLaunchesThisBuild()
    {
        var (exit, printed) = KernelCli.Run(["install", "--prefix", _directory, "--name", "Test-CSharp"], TimeSpan.FromSeconds(30));
        Assert.That(exit, Is.Zero, printed);
        var spec = Path.Combine(_directory, "share", "jupyter", "kernels", "test-csharp");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(spec, "kernel.json")))!;
        Assert.That(json["display_name"]!.GetValue<string>(), Is.EqualTo("C# (Notebooks)"));
        Assert.That(json["language"]!.GetValue<string>(), Is.EqualTo("csharp"));
        Assert.That(json["interrupt_mode"]!.GetValue<string>(), Is.EqualTo("message"));
        var argv = json["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.That(argv[^3..], Is.EqualTo(new[] { "kernel", "-f", "{connection_file}" }));
        Assert.That(File.Exists(argv[1]) && argv[1].EndsWith("Notebooks.Kernel.dll"), Is.True, string.Join(" ", argv));
        Assert.That(printed, Does.Contain("not ReadyToRun"), "a test build is a plain build");
        var env = json["env"]!.AsObject();
        Assert.That(env.Select(e => (e.Key, e.Value!.GetValue<string>())), Is.EquivalentTo(new[] { ("DOTNET_CLI_TELEMETRY_OPTOUT", "1"), ("DOTNET_NOLOGO", "1") }));
        foreach (var (file, size) in new[] { ("logo-32x32.png", 32), ("logo-64x64.png", 64) })
        {
            var png = File.ReadAllBytes(Path.Combine(spec, file));
            Assert.That(png[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
            Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), Is.EqualTo(size));
            Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), Is.EqualTo(size));
        }
    }

    [Test]
    public void ReadyToRunIsToldApartFromAPlainBuild()
    {
        Assert.That(Cli.ReadyToRun.IsCompiled(typeof(object).Assembly.Location), Is.True, "the shared framework ships ReadyToRun");
        Assert.That(Cli.ReadyToRun.IsCompiled(typeof(RunCommandTests).Assembly.Location), Is.False);
    }
}
