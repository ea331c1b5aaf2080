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

        var (exit, output) = KernelCli.Run(["run", path, "--in-place"], TimeSpan.FromSeconds(60));

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("[1/1]").And.Contain("ok.ipynb"));
        // The tagged demonstration reads as the success it is (the README's main command prints one per lesson error).
        Assert.That(output, Does.Contain("cell 3: ok, raised ArgumentException as tagged (raises-exception)"));
        Assert.That(output, Does.Not.Contain("FAILED"));
        Assert.That(output, Does.Contain("All 1 notebooks ran. Outputs written in place."));
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
        // As nbclient does, the kernel's kernel_info language_info goes into the notebook (exporters highlight by it).
        Assert.That(executed.Metadata["language_info"]!.ToJsonString(), Is.EqualTo(KernelIdentity.LanguageInfo().ToJsonString()));
        Assert.That(executed.Metadata["language_info"]!["codemirror_mode"]!.GetValue<string>(), Is.EqualTo("text/x-csharp"));
    }

    [Test]
    public void WithoutOutputOrInPlaceNothingIsWritten()
    {
        var path = Save("check.ipynb", Code("Console.WriteLine(\"hi\");"));
        var before = File.ReadAllText(path);
        var (exit, printed) = KernelCli.Run(["run", path], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.Zero, printed);
        Assert.That(printed, Does.Contain("cell 2: ok").And.Contain("Nothing written (--output DIR or --in-place keeps the outputs)."));
        Assert.That(File.ReadAllText(path), Is.EqualTo(before), "a run without --in-place leaves a tracked notebook as it is");
        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { path }));

        var (both, usage) = KernelCli.Run(["run", path, "--in-place", "--output", _directory], TimeSpan.FromSeconds(30));
        Assert.That(both, Is.EqualTo(2));
        Assert.That(usage, Does.Contain("--output and --in-place exclude each other."));
    }

    [TestCase(0)]
    [TestCase(3)]
    public void ACellThatExitsTheProcessFailsItsNotebookAndNamesTheCell(int code)
    {
        var path = Save("exits.ipynb",
            Code("Console.WriteLine(\"before\");"),
            Code($"Console.WriteLine(\"leaving\");\nEnvironment.Exit({code});"),
            Code("Console.WriteLine(\"never\");"));
        Save("after.ipynb", Code("1 + 1"));
        var output = Path.Combine(_directory, "out");

        // Alone (run in this process) and among others (one child process per notebook) alike.
        foreach (var target in new[] { path, _directory })
        {
            var (exit, printed) = KernelCli.Run(["run", target, "--output", output], TimeSpan.FromSeconds(120));
            Assert.That(exit, Is.EqualTo(1), printed);
            Assert.That(printed, Does.Contain($"FAILED at cell 3: the process exited with code {code} during this cell"));
            Assert.That(printed, Does.Not.Contain("All "));
            var written = IpynbFormat.ReadFile(Path.Combine(output, "exits.ipynb")).Cells.Where(c => c.IsCode).ToList();
            Assert.That(IpynbFormat.JoinSource(written[0].Outputs[0]!["text"]), Is.EqualTo("before\n"));
            Assert.That(IpynbFormat.JoinSource(written[1].Outputs[0]!["text"]), Is.EqualTo("leaving\n"), "the partial notebook keeps what the cell printed");
            Assert.That(written[1].Outputs[1]!["ename"]!.GetValue<string>(), Is.EqualTo("DeadKernelError"));
            Assert.That(written[1].ExecutionCount, Is.EqualTo(2));
            Assert.That(written[2].Outputs, Is.Empty);
        }
        Assert.That(File.Exists(Path.Combine(output, "after.ipynb")), Is.True, "the other notebook still ran");
    }

    [Test]
    public void AnUnwritableOutputFailsBeforeAnythingRuns()
    {
        var path = Save("marker.ipynb", Code("System.IO.File.WriteAllText(\"ran.txt\", \"x\");"));
        var file = Path.Combine(_directory, "a-file");
        File.WriteAllText(file, "");
        var (exit, printed) = KernelCli.Run(["run", path, "--output", Path.Combine(file, "out")], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.EqualTo(1), printed);
        Assert.That(printed.Trim().Split('\n'), Has.Length.EqualTo(1), printed);
        Assert.That(printed, Does.StartWith($"run: cannot write to --output {Path.Combine(file, "out")}: "));
        Assert.That(File.Exists(Path.Combine(_directory, "ran.txt")), Is.False, "no cell ran");
    }

    [Test]
    public void ANotebookInAnotherLanguageIsRefused()
    {
        var notebook = new Notebook
        {
            Metadata = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = "Python 3", ["language"] = "python", ["name"] = "python3" },
                ["language_info"] = new JsonObject { ["name"] = "python" },
            },
        };
        notebook.Cells.Add(new NotebookCell { Source = "print('hi')" });
        var path = Path.Combine(_directory, "python.ipynb");
        NotebookFile.Write(notebook, path);
        var (exit, printed) = KernelCli.Run(["run", path, "--in-place"], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.EqualTo(1), printed);
        Assert.That(printed, Does.Contain("FAILED: this is a python (kernel \"python3\") notebook; this runner executes C# notebooks only"));
        Assert.That(IpynbFormat.ReadFile(path).Cells[0].Outputs, Is.Empty);
        // .NET Interactive's C# notebooks say "C#".
        notebook.Metadata["kernelspec"]!["language"] = "C#";
        notebook.Metadata["language_info"]!["name"] = "C#";
        Assert.That(RunCommandLanguage(notebook), Is.Null);
    }

    private static string? RunCommandLanguage(Notebook notebook) => Cli.RunCommand.OtherLanguage(notebook);

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
        var (exit, printed) = KernelCli.Run(["run", path, "--in-place", "--timeout", "1"], TimeSpan.FromSeconds(60));
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
        var (exit, printed) = KernelCli.Run(["run", _directory, "--in-place"], TimeSpan.FromSeconds(120));
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
        var (exit, printed) = KernelCli.Run(["run", _directory, "--in-place"], TimeSpan.FromSeconds(60));
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
        // Another name gets another display name, so the picker never shows two identical entries.
        Assert.That(json["display_name"]!.GetValue<string>(), Is.EqualTo("C# (Notebooks: test-csharp)"));
        Assert.That(printed, Does.Contain("Installed kernelspec test-csharp (\"C# (Notebooks: test-csharp)\")"));
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
    public void TheDefaultInstallIsTheKernelTheLessonsAskForAndDisplayNamesCanBeChosen()
    {
        var (exit, printed) = KernelCli.Run(["install", "--prefix", _directory], TimeSpan.FromSeconds(30));
        Assert.That(exit, Is.Zero, printed);
        var kernels = Path.Combine(_directory, "share", "jupyter", "kernels");
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, "notebooks-csharp", "kernel.json")))!;
        Assert.That(spec["display_name"]!.GetValue<string>(), Is.EqualTo("C# (Notebooks)"));
        // Every lesson asks for this kernelspec by name.
        foreach (var lesson in LessonNotebooks())
        {
            Assert.That(IpynbFormat.ReadFile(lesson).Metadata["kernelspec"]!["name"]!.GetValue<string>(), Is.EqualTo("notebooks-csharp"), lesson);
        }

        (exit, printed) = KernelCli.Run(["install", "--prefix", _directory, "--name", "cs-dev", "--display-name", "C# (dev build)"], TimeSpan.FromSeconds(30));
        Assert.That(exit, Is.Zero, printed);
        spec = JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, "cs-dev", "kernel.json")))!;
        Assert.That(spec["display_name"]!.GetValue<string>(), Is.EqualTo("C# (dev build)"));
    }

    private static IEnumerable<string> LessonNotebooks()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Notebooks.sln")))
        {
            root = root.Parent;
        }
        return root is null ? [] : Directory.GetFiles(Path.Combine(root.FullName, "notebooks"), "*.ipynb");
    }

    [Test]
    public void ReadyToRunIsToldApartFromAPlainBuild()
    {
        Assert.That(Cli.ReadyToRun.IsCompiled(typeof(object).Assembly.Location), Is.True, "the shared framework ships ReadyToRun");
        Assert.That(Cli.ReadyToRun.IsCompiled(typeof(RunCommandTests).Assembly.Location), Is.False);
    }
}
