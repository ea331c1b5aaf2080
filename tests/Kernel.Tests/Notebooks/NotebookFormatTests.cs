using System.Text.Json.Nodes;
using Notebooks.Kernel.Notebooks;

namespace Notebooks.Kernel.Tests;

public sealed class NotebookFormatTests
{
    private const string Sample = """
        {
         "cells": [
          {
           "cell_type": "markdown",
           "id": "intro",
           "metadata": {"slideshow": {"slide_type": "slide"}},
           "source": ["# Tensors\n", "Some *text*."]
          },
          {
           "cell_type": "code",
           "execution_count": 3,
           "id": "code-1",
           "metadata": {"tags": ["raises-exception"], "custom": {"a": 1}},
           "outputs": [
            {"name": "stdout", "output_type": "stream", "text": ["a\n", "b\n"]},
            {"data": {"text/plain": ["42"], "text/html": ["<b>42</b>"]}, "execution_count": 3, "metadata": {}, "output_type": "execute_result"},
            {"ename": "E", "evalue": "v", "output_type": "error", "traceback": ["t1", "t2"]}
           ],
           "source": "var x = 1;\nx"
          },
          {"cell_type": "raw", "id": "raw-1", "metadata": {}, "source": []}
         ],
         "metadata": {"kernelspec": {"display_name": "C# (Notebooks)", "language": "csharp", "name": "notebooks-csharp"}, "zeta": true, "alpha": {"nested": [1, 2]}},
         "nbformat": 4,
         "nbformat_minor": 5
        }
        """;

    [Test]
    public void IpynbReadKeepsCellsIdsMetadataAndOutputs()
    {
        var notebook = IpynbFormat.Read(Sample);
        Assert.That(notebook.Cells.Select(c => c.CellType), Is.EqualTo(new[] { "markdown", "code", "raw" }));
        Assert.That(notebook.Cells.Select(c => c.Id), Is.EqualTo(new[] { "intro", "code-1", "raw-1" }));
        Assert.That(notebook.Cells[0].Source, Is.EqualTo("# Tensors\nSome *text*."));
        Assert.That(notebook.Cells[1].Source, Is.EqualTo("var x = 1;\nx"));
        Assert.That(notebook.Cells[1].ExecutionCount, Is.EqualTo(3));
        Assert.That(notebook.Cells[1].Tags, Is.EqualTo(new[] { "raises-exception" }));
        Assert.That(notebook.Cells[1].Outputs, Has.Count.EqualTo(3));
        Assert.That(notebook.Metadata["zeta"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public void IpynbRoundTripIsStable()
    {
        var once = IpynbFormat.Write(IpynbFormat.Read(Sample));
        var twice = IpynbFormat.Write(IpynbFormat.Read(once));
        Assert.That(twice, Is.EqualTo(once));

        var root = JsonNode.Parse(once)!;
        Assert.That(root["nbformat"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(root["nbformat_minor"]!.GetValue<int>(), Is.EqualTo(5));
        var code = root["cells"]![1]!;
        Assert.That(code["id"]!.GetValue<string>(), Is.EqualTo("code-1"));
        Assert.That(code["source"]!.AsArray().Select(l => l!.GetValue<string>()), Is.EqualTo(new[] { "var x = 1;\n", "x" }));
        Assert.That(code["metadata"]!["custom"]!["a"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(code["outputs"]![1]!["data"]!["text/html"]![0]!.GetValue<string>(), Is.EqualTo("<b>42</b>"));
        Assert.That(code["outputs"]![2]!["traceback"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(root["cells"]![0]!["metadata"]!["slideshow"]!["slide_type"]!.GetValue<string>(), Is.EqualTo("slide"));
        Assert.That(root["cells"]![0]!.AsObject().ContainsKey("outputs"), Is.False, "markdown cells have no outputs");
        // Metadata keys are sorted as nbformat writes them.
        Assert.That(root["metadata"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "alpha", "kernelspec", "zeta" }));
    }

    [Test]
    public void OldNotebooksGetUniqueValidIds()
    {
        var notebook = IpynbFormat.Read("""{"cells":[{"cell_type":"code","metadata":{},"outputs":[],"source":"1","execution_count":null},{"cell_type":"code","id":"same","metadata":{},"outputs":[],"source":"2","execution_count":null},{"cell_type":"code","id":"same","metadata":{},"outputs":[],"source":"3","execution_count":null}],"metadata":{},"nbformat":4,"nbformat_minor":2}""");
        var ids = notebook.Cells.Select(c => c.Id).ToList();
        Assert.That(ids.Distinct().Count(), Is.EqualTo(3));
        Assert.That(ids[1], Is.EqualTo("same"));
        Assert.That(ids, Has.All.Match("^[a-zA-Z0-9-_]{1,64}$"));
    }

    [Test]
    public void RejectsNbformat3()
    {
        Assert.Throws<InvalidDataException>(() => IpynbFormat.Read("""{"nbformat":3,"worksheets":[]}"""));
    }

    private const string Dib = """
        #!meta

        {"kernelInfo":{"defaultKernelName":"csharp","items":[{"aliases":[],"name":"csharp"}]}}

        #!markdown

        # Title

        Text.

        #!csharp

        #!time
        var x = 1;
        Console.WriteLine(x);

        #!csharp

        x + 1

        """;

    [Test]
    public void DibReadSplitsSectionsAndKeepsMagicsInCells()
    {
        var notebook = DibFormat.Read(Dib);
        Assert.That(notebook.Metadata["kernelInfo"]!["defaultKernelName"]!.GetValue<string>(), Is.EqualTo("csharp"));
        Assert.That(notebook.Cells.Select(c => c.CellType), Is.EqualTo(new[] { "markdown", "code", "code" }));
        Assert.That(notebook.Cells[0].Source, Is.EqualTo("# Title\n\nText."));
        Assert.That(notebook.Cells[1].Source, Is.EqualTo("#!time\nvar x = 1;\nConsole.WriteLine(x);"));
        Assert.That(notebook.Cells[2].Source, Is.EqualTo("x + 1"));
        Assert.That(notebook.Cells[1].Language, Is.EqualTo("csharp"));
    }

    [Test]
    public void DibRoundTripIsStable()
    {
        var once = DibFormat.Write(DibFormat.Read(Dib));
        var again = DibFormat.Read(once);
        Assert.That(DibFormat.Write(again), Is.EqualTo(once));
        Assert.That(once, Does.StartWith("#!meta\n\n{\"kernelInfo\""));
        Assert.That(again.Cells.Select(c => c.Source), Is.EqualTo(DibFormat.Read(Dib).Cells.Select(c => c.Source)));
    }

    [Test]
    public void DibToIpynbAndBackKeepsSources()
    {
        var ipynb = IpynbFormat.Write(DibFormat.Read(Dib));
        var back = DibFormat.Read(DibFormat.Write(IpynbFormat.Read(ipynb)));
        Assert.That(back.Cells.Select(c => (c.CellType, c.Source)), Is.EqualTo(DibFormat.Read(Dib).Cells.Select(c => (c.CellType, c.Source))));
    }

    [Test]
    public void WriteIsAtomicAndLeavesNoTemporaryFiles()
    {
        var directory = Directory.CreateTempSubdirectory("nb-write-").FullName;
        try
        {
            var path = Path.Combine(directory, "a.ipynb");
            File.WriteAllText(path, "original");
            NotebookFile.Write(IpynbFormat.Read(Sample), path);
            Assert.That(IpynbFormat.ReadFile(path).Cells, Has.Count.EqualTo(3));
            Assert.That(Directory.GetFiles(directory).Select(Path.GetFileName), Is.EqualTo(new[] { "a.ipynb" }));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
