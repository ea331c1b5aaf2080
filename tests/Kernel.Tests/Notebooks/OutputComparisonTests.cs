using System.Text.Json.Nodes;
using Notebooks.Kernel.Cli;
using Notebooks.Kernel.Notebooks;

namespace Notebooks.Kernel.Tests;

/// <summary>The normaliser of unrepeatable outputs and the committed-versus-re-executed comparison behind <c>check</c>.</summary>
public sealed class OutputNormalizerTests
{
    [Test]
    public void ObjectAddresses()
    {
        Assert.That(OutputNormalizer.Text("<AddBackward0 object at 0x7f11be9c8000> True"),
            Is.EqualTo(OutputNormalizer.Text("<AddBackward0 object at 0x55d0c0ffee10> True")));
        Assert.That(OutputNormalizer.Text("<AddBackward0 object at 0x7f11be9c8000>"), Is.EqualTo("<AddBackward0 object at 0x…>"));
        Assert.That(OutputNormalizer.Text("<function <lambda> at 0x10a2b3c4d>"), Is.EqualTo("<function <lambda> at 0x…>"));
        Assert.That(OutputNormalizer.Text("ptr 0x7ffd5e8a1b20"), Is.EqualTo("ptr 0x…"));
    }

    [Test]
    public void HexValuesThatAreDataStay()
    {
        Assert.That(OutputNormalizer.Text("0xffffffffffffffff 0x7fffffffffffffff 0x10"), Is.EqualTo("0xffffffffffffffff 0x7fffffffffffffff 0x10"));
    }

    [TestCase("Wall time: 12.3 ms (CPU time: 8.0 ms)", "Wall time: 1.05 s (CPU time: 0.9 ms)")]
    [TestCase("CPU times: user 1.2 ms, sys: 0 ns, total: 1.2 ms", "CPU times: user 3 ms, sys: 1 µs, total: 4 ms")]
    [TestCase("cell 4: ok (0.05 s)", "cell 4: ok (1.87 s)")]
    [TestCase("trained in 12.5 ms", "trained in 130 ms")]
    [TestCase("1.23 ms ± 45.6 µs per loop", "2.5 ms ± 3 µs per loop")]
    public void Timings(string one, string other)
    {
        Assert.That(OutputNormalizer.Text(one), Is.EqualTo(OutputNormalizer.Text(other)));
        Assert.That(OutputNormalizer.Text(one), Does.Not.Match(@"\d+(\.\d+)? ?(ms|s|µs|ns)\b"));
    }

    [Test]
    public void DurationsAndProgressRates()
    {
        var one = " 50%|██████████          | 5/10 [00:01<00:01, 4.95it/s]";
        var other = " 50%|██████████          | 5/10 [00:02<00:02, 2.10it/s]";
        Assert.That(OutputNormalizer.Text(one), Is.EqualTo(OutputNormalizer.Text(other)));
        Assert.That(OutputNormalizer.Text(one), Does.Contain("5/10"));
        Assert.That(OutputNormalizer.Text("elapsed 00:00:01.2345678"), Is.EqualTo(OutputNormalizer.Text("elapsed 00:00:03.5000000")));
    }

    [Test]
    public void NumbersThatAreNotTimesStay()
    {
        const string tensor = "tensor([[ 0.2639, -0.9842,  0.9890],\n        [ 1.2434, -0.2183,  0.2839]])";
        Assert.That(OutputNormalizer.Text(tensor), Is.EqualTo(tensor));
        Assert.That(OutputNormalizer.Text("x[1:10] has 9 elements; Epoch 10: w=0.762"), Is.EqualTo("x[1:10] has 9 elements; Epoch 10: w=0.762"));
        Assert.That(OutputNormalizer.Text("tensor(0.2639)"), Is.Not.EqualTo(OutputNormalizer.Text("tensor(0.2640)")));
    }

    [Test]
    public void GuidsAndModuleVersionIds()
    {
        Assert.That(OutputNormalizer.Text("MVID 3f2504e0-4f89-11d3-9a0c-0305e82c3301"), Is.EqualTo("MVID <guid>"));
        Assert.That(OutputNormalizer.Text("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"), Is.EqualTo("{<guid>}"));
        Assert.That(OutputNormalizer.Text("renderPlotly_cfcf2c1acb974e7dacb0c83e11710545();"), Is.EqualTo("renderPlotly_<guid>();"));
    }

    [Test]
    public void AssemblyVersionHashes()
    {
        Assert.That(OutputNormalizer.Text("Notebooks.Kernel 0.1.0+f5271b1c0ffee"), Is.EqualTo(OutputNormalizer.Text("Notebooks.Kernel 0.1.0+2034af4")));
        Assert.That(OutputNormalizer.Text("1.0.0-beta.23562.1+abcdef1234567890"), Is.EqualTo("1.0.0-beta.23562.1+<hash>"));
    }

    [Test]
    public void TempPaths()
    {
        Assert.That(OutputNormalizer.Text("saved to /tmp/run-test-abc123/model.pt"), Is.EqualTo("saved to <tmp>"));
        Assert.That(OutputNormalizer.Text("saved to /var/folders/x1/T/tmpk2/model.pt."), Is.EqualTo(OutputNormalizer.Text("saved to /var/folders/y7/T/tmpq9/model.pt.")));
        Assert.That(OutputNormalizer.Text(@"at C:\Users\ci\AppData\Local\Temp\abc\x.safetensors"), Is.EqualTo("at <tmp>"));
        Assert.That(OutputNormalizer.Text("notebooks/data/x.csv"), Is.EqualTo("notebooks/data/x.csv"));
    }

    [Test]
    public void GeneratedElementIdsInMarkup()
    {
        var one = "<div id=\"plot-3fa9c2b17d\"></div><script>Plotly.newPlot('plot-3fa9c2b17d')</script><use href=\"#g-a1b2c3d4e5\"/>";
        var other = "<div id=\"plot-77e01d9c42\"></div><script>Plotly.newPlot('plot-77e01d9c42')</script><use href=\"#g-0f9e8d7c6b\"/>";
        Assert.That(OutputNormalizer.Markup(one), Is.EqualTo(OutputNormalizer.Markup(other)));
        // Ids a layout chooses deterministically, and colours, are kept.
        const string svg = "<g id=\"node1\"><rect fill=\"#d0d7de\"/></g><marker id=\"nb-arrow\"/>";
        Assert.That(OutputNormalizer.Markup(svg), Is.EqualTo(svg));
    }

    [Test]
    public void TrailingNewlines()
    {
        Assert.That(OutputNormalizer.Text("tensor([1, 2])\n"), Is.EqualTo(OutputNormalizer.Text("tensor([1, 2])")));
        Assert.That(OutputNormalizer.Text("a\r\nb\r\n"), Is.EqualTo("a\nb"));
    }
}

public sealed class OutputComparisonTests
{
    private static JsonObject Stream(string text, string name = "stdout") =>
        new() { ["output_type"] = "stream", ["name"] = name, ["text"] = text };

    private static JsonObject Result(string plain, string? html = null)
    {
        var data = new JsonObject { ["text/plain"] = plain };
        if (html is not null)
        {
            data["text/html"] = html;
        }
        return new() { ["output_type"] = "execute_result", ["execution_count"] = 1, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    private static JsonObject Error(string ename, string evalue) => new()
    {
        ["output_type"] = "error", ["ename"] = ename, ["evalue"] = evalue, ["traceback"] = new JsonArray(JsonValue.Create($"{ename}: {evalue}")),
    };

    private static NotebookCell Cell(string id, string source, params JsonObject[] outputs) =>
        new() { Id = id, Source = source, Outputs = new JsonArray(outputs.Select(o => (JsonNode?)o).ToArray()) };

    private static Notebook Book(params NotebookCell[] cells)
    {
        var notebook = new Notebook { Metadata = IpynbFormat.DefaultMetadata() };
        notebook.Cells.Add(new NotebookCell { Id = "md-1", CellType = NotebookCell.Markdown, Source = "# Lesson" });
        notebook.Cells.AddRange(cells);
        return notebook;
    }

    /// <summary>The lesson-like notebook: a print, a tensor result with its card, a graph node with its address.</summary>
    private static Notebook Lesson(string number = "0.2639", string address = "0x7f11be9c8000", params JsonObject[] extra) => Book(
        Cell("cell-002", "Console.WriteLine(\"hi\");", Stream("hi\n")),
        Cell("cell-004", "x", Result($"tensor([{number}, 1.0000])", $"<div class=\"nb-tensor\">tensor([{number}, 1.0000])</div>")),
        Cell("cell-006", "Console.WriteLine(y.grad_fn);", [Stream($"<AddBackward0 object at {address}>\n"), .. extra]));

    // Both sides go through the file format, as check reads them.
    private static Notebook RoundTrip(Notebook notebook) => IpynbFormat.Read(IpynbFormat.Write(notebook));

    [Test]
    public void IdenticalNotebooksPass()
    {
        Assert.That(OutputComparison.Compare(RoundTrip(Lesson()), RoundTrip(Lesson()), "lesson.ipynb"), Is.Empty);
    }

    [Test]
    public void AChangedNumberFailsAtItsCell()
    {
        var differences = OutputComparison.Compare(Lesson(), Lesson(number: "0.2640"), "lesson.ipynb");
        Assert.That(differences.Select(d => (d.Notebook, d.CellId, d.OutputIndex)).Distinct(),
            Is.EqualTo(new[] { ("lesson.ipynb", "cell-004", 0) }));
        var plain = differences.Single(d => d.Message.StartsWith("text/plain", StringComparison.Ordinal));
        Assert.That(plain.Diff, Does.Contain("-tensor([0.2639, 1.0000])").And.Contain("+tensor([0.2640, 1.0000])"));
        Assert.That(differences.Any(d => d.Message.StartsWith("text/html", StringComparison.Ordinal)));
        Assert.That(plain.ToString(), Does.StartWith("lesson.ipynb: cell cell-004, output 0: text/plain differs"));
    }

    [Test]
    public void AnAddressOnlyChangePasses()
    {
        Assert.That(OutputComparison.Compare(Lesson(), Lesson(address: "0x55d0c0ffee10"), "lesson.ipynb"), Is.Empty);
    }

    [Test]
    public void AnUnexpectedExtraErrorFails()
    {
        var differences = OutputComparison.Compare(Lesson(), Lesson(extra: Error("InvalidOperationException", "element 0 of tensors does not require grad")), "lesson.ipynb");
        var difference = differences.Single();
        Assert.That((difference.CellId, difference.OutputIndex), Is.EqualTo(("cell-006", 1)));
        Assert.That(difference.Message, Does.Contain("unexpected extra error"));
        Assert.That(difference.Diff, Does.Contain("+[error] InvalidOperationException: element 0"));
    }

    [Test]
    public void AnExpectedErrorMustRepeat()
    {
        var committed = Book(Cell("c1", "bad", Error("ArgumentException", "shape '[2]' is invalid for input of size 3")));
        Assert.That(OutputComparison.Compare(committed, Book(Cell("c1", "bad", Error("ArgumentException", "shape '[2]' is invalid for input of size 3"))), "n"), Is.Empty);
        var differences = OutputComparison.Compare(committed, Book(Cell("c1", "bad", Error("ArgumentException", "shape '[2]' is invalid for input of size 4"))), "n");
        Assert.That(differences.Single().Message, Is.EqualTo("error differs"));
        Assert.That(OutputComparison.Compare(committed, Book(Cell("c1", "bad", Stream("ok\n"))), "n").Single().Message,
            Does.Contain("output type error became stream"));
    }

    [Test]
    public void AMissingOutputOrCellFails()
    {
        var differences = OutputComparison.Compare(Lesson(), Book(
            Cell("cell-002", "Console.WriteLine(\"hi\");"),
            Cell("cell-004", "x", Result("tensor([0.2639, 1.0000])", "<div class=\"nb-tensor\">tensor([0.2639, 1.0000])</div>"))), "n");
        Assert.That(differences.Select(d => (d.CellId, d.OutputIndex)), Is.EqualTo(new[] { ("cell-002", 0), ("cell-006", -1) }));
    }

    [Test]
    public void CellsAreMatchedByIdNotPosition()
    {
        var reordered = Lesson();
        var moved = reordered.Cells[1];
        reordered.Cells.RemoveAt(1);
        reordered.Cells.Add(moved);
        Assert.That(OutputComparison.Compare(Lesson(), reordered, "n"), Is.Empty);
    }

    [Test]
    public void StreamChunksAndATrailingNewlineAreTolerated()
    {
        var committed = Book(Cell("c1", "print", Stream("Epoch 0: w=0.182\nEpoch 10: w=0.762\n")));
        var chunked = Book(Cell("c1", "print", Stream("Epoch 0: w=0.182\n"), Stream("Epoch 10: w=0.762")));
        Assert.That(OutputComparison.Compare(committed, chunked, "n"), Is.Empty);
        var otherStream = Book(Cell("c1", "print", Stream("Epoch 0: w=0.182\nEpoch 10: w=0.762\n", "stderr")));
        Assert.That(OutputComparison.Compare(committed, otherStream, "n").Single().Message, Is.EqualTo("stream stdout became stderr"));
    }

    [Test]
    public void RichOutputsCompareAfterNormalisingTheirIds()
    {
        static Notebook Plot(string id) => Book(Cell("c1", "viz.plot(x, y)",
            new JsonObject
            {
                ["output_type"] = "display_data",
                ["data"] = new JsonObject
                {
                    ["text/plain"] = "Plot",
                    ["text/html"] = $"<div id=\"{id}\"></div><script>var renderPlotly_{id.Replace("-", "")} = 1; Plotly.newPlot('{id}', data);</script>",
                    ["image/svg+xml"] = "<svg><g id=\"node0\"/></svg>",
                },
                ["metadata"] = new JsonObject(),
                ["transient"] = new JsonObject { ["display_id"] = Guid.NewGuid().ToString("N") },
            }));
        Assert.That(OutputComparison.Compare(Plot("cfcf2c1a-cb97-4e7d-acb0-c83e11710545"), Plot("173bae06-a724-4959-9a7b-009104906bf8"), "n"), Is.Empty);
    }

    [Test]
    public void GpuStateCellsAreComparedForPresenceOnly()
    {
        var committed = Book(Cell("gpu", "#!nvidia-smi", Stream("| NVIDIA H100 80GB HBM3 | 35C P0 70W / 700W | 0MiB / 81559MiB |\n")));
        var ciMachine = Book(Cell("gpu", "#!nvidia-smi", Stream("nvidia-smi was not found: this machine has no NVIDIA driver\n")));
        Assert.That(OutputComparison.Compare(committed, ciMachine, "n"), Is.Empty);

        var cuda = Book(Cell("dev", "Console.WriteLine(torch.cuda.is_available());", Stream("True\n"), Stream("NVIDIA H100\n")));
        Assert.That(OutputComparison.Compare(cuda, Book(Cell("dev", "Console.WriteLine(torch.cuda.is_available());", Stream("False\n"))), "n"), Is.Empty);
        Assert.That(OutputComparison.Compare(cuda, Book(Cell("dev", "Console.WriteLine(torch.cuda.is_available());")), "n").Single().Message,
            Does.Contain("has outputs, the re-executed one has none"));
        Assert.That(OutputComparison.Compare(cuda, Book(Cell("dev", "Console.WriteLine(torch.cuda.is_available());", Error("CudaException", "no device"))), "n")
            .Single().Message, Does.Contain("unexpected error CudaException"));
    }

    [Test]
    public void DiffIsShortAndShowsWhereALongLineChanges()
    {
        var diff = OutputComparison.Diff(new string('a', 1000) + "X" + new string('b', 1000), new string('a', 1000) + "Y" + new string('b', 1000));
        var lines = diff.Split('\n');
        Assert.That(lines.Single(l => l.TrimStart().StartsWith('-') && !l.Contains("---")), Does.Contain("X").And.Length.LessThan(220));
        Assert.That(lines.Single(l => l.TrimStart().StartsWith('+') && !l.Contains("+++")), Does.Contain("Y"));
        var many = OutputComparison.Diff(string.Join("\n", Enumerable.Range(0, 100)), string.Join("\n", Enumerable.Range(1, 100)));
        Assert.That(many, Does.Contain("more lines"));
        Assert.That(many.Split('\n').Length, Is.LessThan(30));
    }
}

/// <summary>The <c>check</c> command on files, as CI runs it.</summary>
[NonParallelizable]
public sealed class CheckCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("check-test-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static Notebook Book(string printed)
    {
        var notebook = new Notebook { Metadata = IpynbFormat.DefaultMetadata() };
        notebook.Cells.Add(new NotebookCell
        {
            Id = "cell-002",
            Source = "Console.WriteLine(y.grad_fn);",
            Outputs = [new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = printed }],
        });
        return notebook;
    }

    private (int Code, string Output) Check(params string[] args)
    {
        var writer = new StringWriter();
        var original = Console.Out;
        Console.SetOut(writer);
        try
        {
            return (CommandLine.Run(["check", .. args]), writer.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Test]
    public void ComparesAFolderWithItsReexecutedCopies()
    {
        var committed = Path.Combine(_directory, "committed");
        var executed = Path.Combine(_directory, "executed");
        NotebookFile.Write(Book("<AddBackward0 object at 0x7f11be9c8000>\ntensor(0.5)\n"), Path.Combine(committed, "a.ipynb"));
        NotebookFile.Write(Book("<AddBackward0 object at 0x7f0000001000>\ntensor(0.5)\n"), Path.Combine(executed, "a.ipynb"));
        var (code, output) = Check(committed, "--against", executed);
        Assert.That(code, Is.EqualTo(CommandLine.Ok), output);
        Assert.That(output, Does.Contain("a.ipynb: ok"));

        NotebookFile.Write(Book("<AddBackward0 object at 0x7f0000001000>\ntensor(0.7)\n"), Path.Combine(executed, "a.ipynb"));
        (code, output) = Check(committed, "--against", executed);
        Assert.That(code, Is.EqualTo(CommandLine.Failed));
        Assert.That(output, Does.Contain("a.ipynb: cell cell-002, output 0: stdout text differs").And.Contain("-tensor(0.5)").And.Contain("+tensor(0.7)"));

        File.Delete(Path.Combine(executed, "a.ipynb"));
        (code, output) = Check(committed, "--against", executed);
        Assert.That(code, Is.EqualTo(CommandLine.Failed));
        Assert.That(output, Does.Contain("no re-executed copy"));
    }

    [Test]
    public void HelpAndUsage()
    {
        var (code, output) = Check("--help");
        Assert.That(code, Is.EqualTo(CommandLine.Ok));
        Assert.That(output, Does.Contain("--against DIR"));
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.That(CommandLine.Run(["check", _directory]), Is.EqualTo(CommandLine.Usage));
        }
        finally
        {
            Console.SetError(original);
        }
    }
}
