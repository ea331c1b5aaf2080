using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Magics;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>The interpreter in-process: magics, the loop-check rewrite, cell splitting.</summary>
[NonParallelizable]
public sealed class InterpreterTests
{
    private static CSharpInterpreter s_interpreter = null!;

    [OneTimeSetUp]
    public void CreateInterpreter() => s_interpreter = new CSharpInterpreter();

    private static (CellOutcome Outcome, CollectingSink Sink) Execute(string code, string cellName = "cell")
    {
        var sink = new CollectingSink();
        return (s_interpreter.Execute(code, sink, cellName), sink);
    }

    [Test]
    public void WhosShowsShapeDtypeAndDeviceOfTensorLikeValues()
    {
        var (outcome, _) = Execute("""
            class FakeTensor { public long[] shape => new long[] { 2, 3 }; public string dtype => "float32"; public string device => "cpu"; }
            var ft = new FakeTensor();
            var label = "plain";
            """);
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        var (whos, sink) = Execute("#!whos");
        Assert.That(whos.Status, Is.EqualTo(CellStatus.Ok));
        var table = sink.Displays.Single().Data[MimeBundle.PlainText];
        var tensorLine = table.Split('\n').Single(l => l.StartsWith("ft "));
        Assert.That(tensorLine, Does.Contain("FakeTensor").And.Contain("shape=[2, 3] dtype=float32 device=cpu"));
        Assert.That(table.Split('\n').Single(l => l.StartsWith("label ")), Does.Contain("String").And.Contain("\"plain\""));
        Assert.That(sink.Displays.Single().Data[MimeBundle.Html], Does.Contain("<td>ft</td>"));
    }

    [Test]
    public void TimeReportsWallTimeAfterTheCellsOutput()
    {
        var (outcome, sink) = Execute("#!time\nThread.Sleep(50);\nConsole.WriteLine(\"slept\");");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(sink.Stdout, Does.Match(@"^slept\nWall time: \d+(\.\d+)? ms \(CPU time: "));
        var ms = double.Parse(System.Text.RegularExpressions.Regex.Match(sink.Stdout, @"Wall time: ([\d.]+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(ms, Is.GreaterThanOrEqualTo(50));
    }

    [Test]
    public void AboutNamesTheKernelAndRuntime()
    {
        var (_, sink) = Execute("#!about");
        Assert.That(sink.Stdout, Does.Contain("C# (Notebooks) kernel").And.Contain(".NET").And.Contain("Roslyn"));
    }

    [Test]
    public void OurOwnPackageIsAlreadyLoaded()
    {
        // The first cell of every lesson's Polyglot twin (notebooks/polyglot/*.dib): no restore, no second copy.
        var (outcome, sink) = Execute("#r \"nuget: Notebooks.Interactive, *-*\"\ntorch.ones(1).shape");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(sink.Stdout, Is.EqualTo("Notebooks.Interactive is part of this kernel: already loaded.\n"));
        Assert.That(sink.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("torch.Size([1])"));
    }

    [Test]
    public void VarsIsTheSharedNameOfWhos()
    {
        var (outcome, sink) = Execute("var t = torch.zeros(2, 3);\n#!vars");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(sink.Displays.Single().Data[MimeBundle.PlainText], Does.Match(@"\nt +Tensor +shape=\[2, 3\] dtype=torch.float32 device=cpu(\n|$)"));
    }

    [Test]
    public void ShellEscapeStreamsCommandOutputInOrderWithCode()
    {
        var (outcome, sink) = Execute("Console.WriteLine(\"before\");\n!echo from-shell\nConsole.WriteLine(\"after\");");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(sink.Stdout, Is.EqualTo("before\nfrom-shell\nafter\n"));
    }

    [Test]
    public void CSharpMarkerIsAccepted()
    {
        var (outcome, sink) = Execute("#!csharp\n20 + 22");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(sink.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("42"));
    }

    [Test]
    public void NvidiaSmiWithoutADriverSaysSo()
    {
        if (Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "nvidia-smi"))))
        {
            Assert.Ignore("this machine has nvidia-smi");
        }
        var (outcome, sink) = Execute("#!nvidia-smi");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(sink.Stderr, Does.Contain("no NVIDIA driver"));
    }

    [Test]
    public void NvidiaSmiQueryOutputIsSummarised()
    {
        var gpus = global::Notebooks.Magics.NvidiaSmi.Parse("0, NVIDIA H100 80GB HBM3, 1024, 81559, 37, 41\n1, NVIDIA H100 80GB HBM3, [N/A], 81559, 0, 35\n");
        Assert.That(gpus, Has.Count.EqualTo(2));
        Assert.That(gpus[0].UsedMiB, Is.EqualTo(1024));
        Assert.That(gpus[1].UsedMiB, Is.Zero);
        var bundle = global::Notebooks.Magics.NvidiaSmi.Summarise(gpus);
        Assert.That(bundle[MimeBundle.PlainText], Does.Contain("GPU 0 NVIDIA H100 80GB HBM3: memory 1024 / 81559 MiB (1.3%), utilisation 37%"));
        Assert.That(bundle[MimeBundle.Html], Does.Contain("<table>").And.Contain("37%"));
    }

    [Test]
    public void ReferenceToAnAssemblyFileMakesItsTypesUsable()
    {
        var directory = Directory.CreateTempSubdirectory("ref-test-").FullName;
        var dll = Path.Combine(directory, "TinyLibrary.dll");
        var compilation = CSharpCompilation.Create("TinyLibrary",
            [CSharpSyntaxTree.ParseText("namespace Tiny { public static class Greeter { public static string Hello() => \"hi from dll\"; } }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.That(compilation.Emit(dll).Success, Is.True);

        var (outcome, sink) = Execute($"#r \"{dll}\"\nTiny.Greeter.Hello()");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        Assert.That(sink.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("hi from dll"));

        var (missing, _) = Execute("#r \"/no/such/file.dll\"");
        Assert.That(missing.Error!.Name, Is.EqualTo("ReferenceNotFound"));
    }

    [Test]
    public void DisplayOfAStringWithAMimeTypeSendsThatMimeType()
    {
        var (_, sink) = Execute("display(\"<i>x</i>\", \"text/html\");");
        Assert.That(sink.Displays.Single().Data["text/html"], Is.EqualTo("<i>x</i>"));
        Assert.That(sink.Displays.Single().Data[MimeBundle.PlainText], Is.EqualTo("<i>x</i>"));
    }

    [Test]
    public void PlainObjectsGetOnlyTextPlainUntilAnHtmlFormatterIsRegistered()
    {
        var (_, sink) = Execute("new List<int> { 1, 2 }");
        Assert.That(sink.Results.Single().Data.Keys, Is.EqualTo(new[] { MimeBundle.PlainText }));
    }

    [Test]
    public void TensorsShowTheirReprAndTheFormattersCard()
    {
        // The session preloads Notebooks.Tensors and registers src/Formatters at start.
        var (outcome, sink) = Execute("torch.manual_seed(42);\ntorch.randn(2, 3)");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        var data = sink.Results.Single().Data;
        Assert.That(data[MimeBundle.PlainText], Is.EqualTo("tensor([[ 0.3367,  0.1288,  0.2345],\n        [ 0.2303, -1.1229, -0.1863]])"));
        Assert.That(data[MimeBundle.Html], Does.Contain("float32").And.Contain("0.3367"));
    }

    [Test]
    public void PlotsCarryAnSvgBesideTheirHtml()
    {
        var (outcome, sink) = Execute("viz.plot().scatter(torch.arange(3.0), torch.arange(3.0), label: \"d\")");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        var data = sink.Results.Single().Data;
        Assert.That(data.Keys, Does.Contain("image/svg+xml").And.Contain(MimeBundle.Html));
        Assert.That(data["image/svg+xml"], Does.StartWith("<svg"));
    }

    [Test]
    public void DelegatesShowAsBoundMethodsNotReflectionDumps()
    {
        var (_, sink) = Execute("var layer = new torch.nn.Linear(2, 1);\nFunc<Tensor, Tensor> call = layer.call;\ncall");
        Assert.That(sink.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("<bound method call of Linear(in_features=2, out_features=1, bias=True)>"));
    }

    [Test]
    public void ValuesWithTheirOwnToStringShowIt()
    {
        var (_, sink) = Execute("class Printed { public int A = 1; public override string ToString() => \"tensor([1., 2.])\"; }\nnew Printed()");
        Assert.That(sink.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("tensor([1., 2.])"));
        var (_, list) = Execute("new[] { 1, 2, 3 }");
        Assert.That(list.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("[ 1, 2, 3 ]"));
    }

    [Test]
    public void InterruptedCellKeepsEarlierState()
    {
        Execute("var survivor = 7;");
        var sink = new CollectingSink();
        var running = Task.Run(() => s_interpreter.Execute("int Spin() { while (true) { } }\nSpin();", sink));
        Thread.Sleep(300);
        s_interpreter.Interrupt();
        Assert.That(running.Wait(TimeSpan.FromSeconds(2)), Is.True, "a method-body loop stops too");
        Assert.That(running.Result.Status, Is.EqualTo(CellStatus.Interrupted));
        var (after, afterSink) = Execute("survivor * 6");
        Assert.That(after.Status, Is.EqualTo(CellStatus.Ok));
        Assert.That(afterSink.Results.Single().Data[MimeBundle.PlainText], Is.EqualTo("42"));
    }

    [Test]
    public void LoopChecksKeepLinesAndMapColumnsBack()
    {
        const string code = "for (var i = 0; i < 3; i++) x();\nwhile (true) { y(); }\nint F() { return 1; }";
        var (injected, map) = LoopCheckInjector.Inject(code, new CSharpParseOptions(kind: SourceCodeKind.Script));
        Assert.That(injected.Split('\n'), Has.Length.EqualTo(3));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(injected, "Interruption.Check").Count, Is.EqualTo(3));
        var yInjected = injected.IndexOf("y()", StringComparison.Ordinal);
        Assert.That(map.ToOriginal(yInjected), Is.EqualTo(code.IndexOf("y()", StringComparison.Ordinal)));
        Assert.That(map.ToOriginal(injected.IndexOf("return", StringComparison.Ordinal)), Is.EqualTo(code.IndexOf("return", StringComparison.Ordinal)));
    }

    [Test]
    public void BrokenCodeIsLeftAsWritten()
    {
        const string code = "while (true) { x(";
        Assert.That(LoopCheckInjector.Inject(code, new CSharpParseOptions(kind: SourceCodeKind.Script)).Code, Is.EqualTo(code));
    }

    [Test]
    public void CellParserSeparatesMagicsShellAndCode()
    {
        var segments = CellParser.Parse("#!time\nvar a = true &&\n    !false;\n!ls -l\n#r \"nuget: X, 1.0\"\n#region r\nvar b = 1;\n#endregion");
        Assert.That(segments.Select(s => s.Kind), Is.EqualTo(new[] { SegmentKind.Magic, SegmentKind.Code, SegmentKind.Shell, SegmentKind.Magic, SegmentKind.Code }));
        Assert.That(segments[1].Text, Is.EqualTo("\nvar a = true &&\n    !false;"), "line numbers are kept by blank lines; '!false' continues C#");
        Assert.That(segments[2].Arguments, Is.EqualTo("ls -l"));
        Assert.That(segments[3].Name, Is.EqualTo("#r"));
        Assert.That(segments[4].Text, Does.StartWith("\n\n\n\n\n#region r"));
    }

    [Test]
    public void NuGetPackageSpecsParse()
    {
        Assert.That(NuGetRestorer.ParsePackage(" Humanizer.Core, 2.14.1 "), Is.EqualTo(("Humanizer.Core", (string?)"2.14.1")));
        Assert.That(NuGetRestorer.ParsePackage("Newtonsoft.Json"), Is.EqualTo(("Newtonsoft.Json", (string?)null)));
        Assert.Throws<ArgumentException>(() => NuGetRestorer.ParsePackage("a b, 1, 2"));
    }

    // A once-used local in a loop body (`var loss = ...; loss.backward();`) must not move the reported line to the
    // local's statement, as optimised cell code would: Python names the line of the failing call.
    [Test]
    public void ARuntimeErrorNamesTheLineOfTheFailingCall()
    {
        var (outcome, _) = Execute("for (var step = 0; step < 2; step++)\n{\n    var loss = torch.ones(2) * 2;\n    loss.sum().backward();\n}", "cell61");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Error));
        Assert.That(outcome.Error!.Value, Is.EqualTo("element 0 of tensors does not require grad and does not have a grad_fn"));
        Assert.That(outcome.Error.Traceback[^1], Is.EqualTo("   at <cell> in cell61, line 4"));
    }

    // Python's default filter shows a warning once per (text, category, line number) in the registry of the caller's
    // globals (_warnings.c: already_warned). Jupyter runs every cell in one namespace, so a loop prints it once,
    // another line prints it again, and a later cell warning from a line number already used stays quiet.
    [Test]
    public void AWarningShowsOncePerLineNumberAsInJupyter()
    {
        const string Warning = "UserWarning: Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])).";
        static int Count(string text) => text.Split('\n').Count(l => l.StartsWith(Warning, StringComparison.Ordinal));
        var setup = Execute("warnings.resetwarnings();\nvar wa = torch.zeros(3);\nvar wb = torch.ones(3, 1);");
        Assert.That(setup.Outcome.Status, Is.EqualTo(CellStatus.Ok), setup.Outcome.Error?.Value);
        const string Loop = "for (var i = 0; i < 3; i++) torch.nn.functional.mse_loss(wa, wb);";
        // Named as the kernel and the runner name cells (each its own file name, for tracebacks).
        var (outcome, sink) = Execute(Loop + "\n" + Loop, "cell51");
        Assert.That(outcome.Status, Is.EqualTo(CellStatus.Ok), outcome.Error?.Value);
        Assert.That(Count(sink.Stderr), Is.EqualTo(2));
        Assert.That(Count(Execute(Loop, "cell52").Sink.Stderr), Is.EqualTo(0), "line 1 of another cell: the same key");
        Assert.That(Count(Execute("// line 1\n// line 2\n" + Loop, "cell53").Sink.Stderr), Is.EqualTo(1), "line 3 is new");
        var (raised, _) = Execute("using (warnings.catch_warnings()) { warnings.simplefilter(\"error\"); torch.nn.functional.mse_loss(wa, wb); }");
        Assert.That(raised.Status, Is.EqualTo(CellStatus.Error));
        Assert.That(raised.Error!.Name, Is.EqualTo("UserWarning"));
    }
}
