using System.Diagnostics;
using System.Text.Json.Nodes;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>Drives one kernel process over real sockets, as a Jupyter frontend would.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ProtocolTests
{
    private KernelProcess _kernel = null!;
    private JupyterClient _client = null!;

    [OneTimeSetUp]
    public void StartKernel()
    {
        _kernel = KernelProcess.Start();
        _client = new JupyterClient(_kernel);
        _client.WaitForReady(TimeSpan.FromSeconds(30));
    }

    [OneTimeTearDown]
    public void StopKernel()
    {
        Assert.That(_client.BadSignatures, Is.Zero, "every message from the kernel must carry a valid HMAC");
        _client.Dispose();
        _kernel.Dispose();
    }

    private static string Text(Received message) => message.Content["data"]!["text/plain"]!.GetValue<string>();

    private static string Status(Received reply) => reply.Content["status"]!.GetValue<string>();

    [Test]
    public void KernelInfoDescribesCSharpWithBusyAndIdleAround()
    {
        var id = _client.Send("kernel_info_request", []);
        var reply = _client.GetReply(id);
        var iopub = _client.IopubUntilIdle(id);

        Assert.That(reply.Type, Is.EqualTo("kernel_info_reply"));
        Assert.That(reply.Content["protocol_version"]!.GetValue<string>(), Is.EqualTo("5.3"));
        var language = reply.Content["language_info"]!;
        Assert.That(language["name"]!.GetValue<string>(), Is.EqualTo("csharp"));
        Assert.That(language["mimetype"]!.GetValue<string>(), Is.EqualTo("text/x-csharp"));
        Assert.That(language["file_extension"]!.GetValue<string>(), Is.EqualTo(".cs"));
        Assert.That(language["pygments_lexer"]!.GetValue<string>(), Is.EqualTo("csharp"));
        Assert.That(language["codemirror_mode"]!.GetValue<string>(), Is.EqualTo("text/x-csharp"));
        Assert.That(language["version"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(iopub.Select(m => m.Content["execution_state"]?.GetValue<string>()), Is.EqualTo(new[] { "busy", "idle" }));
    }

    [Test]
    public void KernelInfoAlsoAnswersOnControl()
    {
        var reply = _client.GetReply(_client.Send("kernel_info_request", [], channel: "control"));
        Assert.That(reply.Channel, Is.EqualTo("control"));
        Assert.That(reply.Type, Is.EqualTo("kernel_info_reply"));
    }

    [Test]
    public void ExecuteReturnsTrailingExpressionAndKeepsState()
    {
        var (first, firstIopub) = _client.Run("var answerBase = 6;");
        Assert.That(Status(first), Is.EqualTo("ok"));
        Assert.That(firstIopub.Any(m => m.Type == "execute_result"), Is.False, "a statement ending in ';' has no result");

        var (reply, iopub) = _client.Run("answerBase * 7");
        Assert.That(Status(reply), Is.EqualTo("ok"));
        Assert.That(reply.Content["execution_count"]!.GetValue<int>(), Is.EqualTo(first.Content["execution_count"]!.GetValue<int>() + 1));
        var types = iopub.Select(m => m.Type).ToList();
        Assert.That(types, Is.EqualTo(new[] { "status", "execute_input", "execute_result", "status" }));
        var result = iopub.Single(m => m.Type == "execute_result");
        Assert.That(Text(result), Is.EqualTo("42"));
        Assert.That(result.Content["execution_count"]!.GetValue<int>(), Is.EqualTo(reply.Content["execution_count"]!.GetValue<int>()));
        Assert.That(iopub.Single(m => m.Type == "execute_input").Content["code"]!.GetValue<string>(), Is.EqualTo("answerBase * 7"));
    }

    [Test]
    public void NullTrailingExpressionShowsNull()
    {
        var (_, iopub) = _client.Run("string? nothing = null;\nnothing");
        Assert.That(Text(iopub.Single(m => m.Type == "execute_result")), Is.EqualTo("null"));
    }

    [Test]
    public void SilentExecutionPublishesNothingAndDoesNotCount()
    {
        var (before, _) = _client.Run("1");
        var id = _client.Execute("Console.WriteLine(\"hidden\"); 5", silent: true);
        var reply = _client.GetReply(id);
        var iopub = _client.IopubUntilIdle(id);
        Assert.That(Status(reply), Is.EqualTo("ok"));
        Assert.That(iopub.Select(m => m.Type), Is.EqualTo(new[] { "status", "status" }));
        Assert.That(reply.Content["execution_count"]!.GetValue<int>(), Is.EqualTo(before.Content["execution_count"]!.GetValue<int>()));
    }

    [Test]
    public void UserExpressionsAreEvaluatedAfterTheCell()
    {
        var id = _client.Execute("var ue = 20;", userExpressions: new JsonObject { ["double"] = "ue * 2", ["broken"] = "nope +" });
        var reply = _client.GetReply(id);
        _client.IopubUntilIdle(id);
        var expressions = reply.Content["user_expressions"]!;
        Assert.That(expressions["double"]!["status"]!.GetValue<string>(), Is.EqualTo("ok"));
        Assert.That(expressions["double"]!["data"]!["text/plain"]!.GetValue<string>(), Is.EqualTo("40"));
        Assert.That(expressions["broken"]!["status"]!.GetValue<string>(), Is.EqualTo("error"));
    }

    [Test]
    public void PrintsStreamWhileTheCellIsStillRunning()
    {
        var id = _client.Execute("for (var i = 0; i < 3; i++) { Console.WriteLine($\"tick {i}\"); Thread.Sleep(400); }\nConsole.Error.WriteLine(\"done\");");
        var reply = _client.GetReply(id);
        var iopub = _client.IopubUntilIdle(id);
        var streams = iopub.Where(m => m.Type == "stream").ToList();
        var stdout = string.Concat(streams.Where(m => m.Content["name"]!.GetValue<string>() == "stdout").Select(m => m.Content["text"]!.GetValue<string>()));
        Assert.That(stdout, Is.EqualTo("tick 0\ntick 1\ntick 2\n"));
        Assert.That(streams.Count(m => m.Content["name"]!.GetValue<string>() == "stdout"), Is.GreaterThanOrEqualTo(3), "each tick is sent as it happens, not batched at the end");
        Assert.That(streams.Single(m => m.Content["name"]!.GetValue<string>() == "stderr").Content["text"]!.GetValue<string>(), Is.EqualTo("done\n"));
        var firstTick = streams.First();
        var leadMs = Stopwatch.GetElapsedTime(firstTick.ArrivedTicks, reply.ArrivedTicks).TotalMilliseconds;
        Assert.That(leadMs, Is.GreaterThan(600), "the first line must arrive while the cell is still sleeping, well before execute_reply");
    }

    [Test]
    public void RuntimeErrorRepliesWithErrorAndKernelSurvives()
    {
        var (reply, iopub) = _client.Run("void Fail() => throw new InvalidOperationException(\"boom\");\nvar before = 1;\nFail();");
        Assert.That(Status(reply), Is.EqualTo("error"));
        Assert.That(reply.Content["ename"]!.GetValue<string>(), Is.EqualTo("InvalidOperationException"));
        Assert.That(reply.Content["evalue"]!.GetValue<string>(), Is.EqualTo("boom"));
        var error = iopub.Single(m => m.Type == "error");
        var traceback = error.Content["traceback"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.That(traceback[0], Is.EqualTo("System.InvalidOperationException: boom"));
        Assert.That(traceback, Has.Some.Contains("Fail()"));
        Assert.That(traceback, Has.None.Contains("Notebooks.Kernel"));
        Assert.That(traceback, Has.None.Contains("Microsoft.CodeAnalysis"));
        Assert.That(traceback, Has.None.Contains("System.Runtime.CompilerServices"));

        var (after, afterIopub) = _client.Run("before + 1");
        Assert.That(Status(after), Is.EqualTo("ok"));
        Assert.That(Text(afterIopub.Single(m => m.Type == "execute_result")), Is.EqualTo("2"), "variables assigned before the throw survive");
    }

    [Test]
    public void CompileErrorGivesLineAndColumnWithinTheCell()
    {
        var (reply, _) = _client.Run("var fine = 1;\nwhile (fine < 2) { fine++; }\nvar z = undefinedName + 1;");
        Assert.That(Status(reply), Is.EqualTo("error"));
        Assert.That(reply.Content["ename"]!.GetValue<string>(), Is.EqualTo("CompilationError"));
        var traceback = reply.Content["traceback"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.That(traceback[0], Does.StartWith("(3,9): error CS0103"));
        Assert.That(traceback[0], Does.Contain("undefinedName"));
    }

    [Test]
    public void CompileErrorAfterAnInjectedLoopCheckKeepsItsColumn()
    {
        var (reply, _) = _client.Run("for (var i = 0; i < 2; i++) { var q = missingThing; }");
        var traceback = reply.Content["traceback"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.That(traceback[0], Does.StartWith("(1,39): error CS0103"));
    }

    [Test]
    public void StopOnErrorAbortsQueuedCells()
    {
        var failing = _client.Execute("throw new Exception(\"first\");");
        var queued = _client.Execute("Console.WriteLine(\"should not run\");");
        Assert.That(Status(_client.GetReply(failing)), Is.EqualTo("error"));
        var reply = _client.GetReply(queued);
        Assert.That(Status(reply), Is.EqualTo("aborted"));
        var iopub = _client.IopubUntilIdle(queued);
        Assert.That(iopub.Any(m => m.Type == "stream"), Is.False);
    }

    [Test]
    public void DisplayAndUpdateDisplayShareATransientDisplayId()
    {
        var (reply, iopub) = _client.Run("var handle = display(\"first\");\nhandle.Update(\"second\");\n\"third\".Display();");
        Assert.That(Status(reply), Is.EqualTo("ok"));
        var displays = iopub.Where(m => m.Type == "display_data").ToList();
        var update = iopub.Single(m => m.Type == "update_display_data");
        Assert.That(displays, Has.Count.EqualTo(2));
        Assert.That(Text(displays[0]), Is.EqualTo("first"));
        Assert.That(Text(displays[1]), Is.EqualTo("third"));
        Assert.That(Text(update), Is.EqualTo("second"));
        var id = displays[0].Content["transient"]!["display_id"]!.GetValue<string>();
        Assert.That(update.Content["transient"]!["display_id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(displays[1].Content["transient"]!["display_id"]!.GetValue<string>(), Is.Not.EqualTo(id));
    }

    [Test]
    public void ReadLineSendsInputRequestAndUsesTheReply()
    {
        var id = _client.Execute("var typed = Console.ReadLine();\ntyped!.ToUpperInvariant()", allowStdin: true);
        var request = _client.GetStdin(TimeSpan.FromSeconds(20));
        Assert.That(request.Type, Is.EqualTo("input_request"));
        Assert.That(request.ParentId, Is.EqualTo(id));
        _client.Send("input_reply", new JsonObject { ["value"] = "ada" }, channel: "stdin");
        Assert.That(Status(_client.GetReply(id)), Is.EqualTo("ok"));
        Assert.That(Text(_client.IopubUntilIdle(id).Single(m => m.Type == "execute_result")), Is.EqualTo("ADA"));
    }

    [Test]
    public void ReadLineWithoutStdinIsACellError()
    {
        var (reply, _) = _client.Run("Console.ReadLine()");
        Assert.That(Status(reply), Is.EqualTo("error"));
        Assert.That(reply.Content["evalue"]!.GetValue<string>(), Does.Contain("allow_stdin"));
    }

    [Test]
    public void IsCompleteTellsCompleteIncompleteAndInvalid()
    {
        string IsComplete(string code) => _client.GetReply(_client.Send("is_complete_request", new JsonObject { ["code"] = code })).Content["status"]!.GetValue<string>();

        Assert.That(IsComplete("var x = 1;"), Is.EqualTo("complete"));
        Assert.That(IsComplete("1 + 1"), Is.EqualTo("complete"));
        Assert.That(IsComplete("for (var i = 0; i < 3; i++) {"), Is.EqualTo("incomplete"));
        Assert.That(IsComplete("Console.WriteLine("), Is.EqualTo("incomplete"));
        Assert.That(IsComplete("var = ;"), Is.EqualTo("invalid"));
        var reply = _client.GetReply(_client.Send("is_complete_request", new JsonObject { ["code"] = "if (true) {" }));
        Assert.That(reply.Content["indent"]!.GetValue<string>(), Is.EqualTo("    "));
    }

    [Test]
    public void CompleteOffersMembersAndEarlierVariables()
    {
        var reply = _client.GetReply(_client.Send("complete_request", new JsonObject { ["code"] = "Console.Wri", ["cursor_pos"] = 11 }));
        Assert.That(Status(reply), Is.EqualTo("ok"));
        var matches = reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.That(matches, Is.EquivalentTo(new[] { "Write", "WriteLine" }));
        Assert.That(reply.Content["cursor_start"]!.GetValue<int>(), Is.EqualTo(8));
        Assert.That(reply.Content["cursor_end"]!.GetValue<int>(), Is.EqualTo(11));

        _client.Run("var distinctiveCounter = 3;");
        var second = _client.GetReply(_client.Send("complete_request", new JsonObject { ["code"] = "var y = distinctiveC", ["cursor_pos"] = 20 }));
        Assert.That(second.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()), Does.Contain("distinctiveCounter"));
    }

    [Test]
    public void InspectDescribesTheSymbolAtTheCursor()
    {
        var reply = _client.GetReply(_client.Send("inspect_request", new JsonObject { ["code"] = "Math.Sqrt(2)", ["cursor_pos"] = 7, ["detail_level"] = 0 }));
        Assert.That(Status(reply), Is.EqualTo("ok"));
        Assert.That(reply.Content["found"]!.GetValue<bool>(), Is.True);
        var text = reply.Content["data"]!["text/plain"]!.GetValue<string>();
        Assert.That(text, Does.Contain("double Math.Sqrt(double d)"), "the signature names its parameters");

        var missing = _client.GetReply(_client.Send("inspect_request", new JsonObject { ["code"] = "   ", ["cursor_pos"] = 1, ["detail_level"] = 0 }));
        Assert.That(missing.Content["found"]!.GetValue<bool>(), Is.False);
    }

    // Shift-Tab on our own API: the signature with parameter names and defaults, the XML summary shipped beside the
    // assembly, and the documented parameters (issue 15 item 7).
    [TestCase("var x = torch.ones(2); torch.add(x, x, @out: x)", 29, "Tensor torch.add(Tensor input, Tensor other, Tensor @out, Scalar? alpha = null)", "input + alpha·other, written into out.")]
    [TestCase("torch.zeros(2, 3)", 8, "torch.zeros(", "A tensor of the given shape filled with 0 (float32 unless dtype says otherwise).")]
    [TestCase("torch.tensor(1.0).resize_(0)", 22, "Tensor.resize_(params long[] size)", "Gives this tensor a new shape in place")]
    [TestCase("torch.nn.functional.mse_loss(a, b)", 22, "reduction = \"mean\"", "Mean squared error between input and target")]
    public void InspectShowsOurSignaturesAndSummaries(string code, int cursor, string signature, string summary)
    {
        var reply = _client.GetReply(_client.Send("inspect_request", new JsonObject { ["code"] = code, ["cursor_pos"] = cursor, ["detail_level"] = 0 }));
        Assert.That(reply.Content["found"]!.GetValue<bool>(), Is.True, code);
        var text = reply.Content["data"]!["text/plain"]!.GetValue<string>();
        Assert.That(text, Does.Contain(signature).And.Contain(summary), text);
    }

    [Test]
    public void InspectListsDocumentedParameters()
    {
        var reply = _client.GetReply(_client.Send("inspect_request", new JsonObject { ["code"] = "torch.tensor(1.0).resize_(0)", ["cursor_pos"] = 22, ["detail_level"] = 0 }));
        var text = reply.Content["data"]!["text/plain"]!.GetValue<string>();
        Assert.That(text, Does.Contain("  size: The new shape; resize_(0) empties a tensor"), text);
    }

    [Test]
    public void HistoryAndCommInfoReply()
    {
        var history = _client.GetReply(_client.Send("history_request", new JsonObject { ["hist_access_type"] = "tail", ["n"] = 10, ["output"] = false, ["raw"] = true }));
        Assert.That(history.Type, Is.EqualTo("history_reply"));
        Assert.That(history.Content["history"], Is.InstanceOf<JsonArray>());
        var comms = _client.GetReply(_client.Send("comm_info_request", []));
        Assert.That(comms.Type, Is.EqualTo("comm_info_reply"));
        Assert.That(comms.Content["comms"]!.AsObject().Count, Is.Zero);
    }

    [TestCase("0000000000000000000000000000000000000000000000000000000000000000")]
    [TestCase("")]
    public void MessagesWithABadSignatureAreDropped(string signature)
    {
        var forged = _client.Send("kernel_info_request", [], signatureOverride: signature);
        Assert.That(_client.TryGetReply(forged, TimeSpan.FromMilliseconds(700)), Is.Null);
        var forgedExecute = _client.Send("execute_request", new JsonObject { ["code"] = "var forgedRan = true;", ["silent"] = false }, signatureOverride: signature);
        Assert.That(_client.TryGetReply(forgedExecute, TimeSpan.FromMilliseconds(500)), Is.Null);
        var (reply, _) = _client.Run("var probe = forgedRan;");
        Assert.That(Status(reply), Is.EqualTo("error"), "the forged cell must not have run");
        var genuine = _client.Send("kernel_info_request", []);
        Assert.That(_client.GetReply(genuine).Type, Is.EqualTo("kernel_info_reply"));
    }

    [Test]
    public void InterruptStopsATightLoopWithinASecondAndKeepsState()
    {
        _client.Run("var keptValue = 41;");
        var id = _client.Execute("while (true) { }");
        Assert.That(_client.TryIopub(m => m.ParentId == id && m.Type == "execute_input", TimeSpan.FromSeconds(10)), Is.Not.Null);
        Thread.Sleep(300);
        var watch = Stopwatch.StartNew();
        var interrupt = _client.Send("interrupt_request", [], channel: "control");
        Assert.That(_client.GetReply(interrupt, TimeSpan.FromSeconds(5)).Type, Is.EqualTo("interrupt_reply"));
        var reply = _client.GetReply(id, TimeSpan.FromSeconds(5));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(Status(reply), Is.EqualTo("error"));
        Assert.That(reply.Content["ename"]!.GetValue<string>(), Is.EqualTo("KeyboardInterrupt"));
        _client.IopubUntilIdle(id);

        var (after, iopub) = _client.Run("keptValue + 1");
        Assert.That(Status(after), Is.EqualTo("ok"));
        Assert.That(Text(iopub.Single(m => m.Type == "execute_result")), Is.EqualTo("42"));
    }

    [Test]
    public void InterruptStopsASleepingCell()
    {
        var id = _client.Execute("Thread.Sleep(60000);");
        Assert.That(_client.TryIopub(m => m.ParentId == id && m.Type == "execute_input", TimeSpan.FromSeconds(10)), Is.Not.Null);
        Thread.Sleep(200);
        var watch = Stopwatch.StartNew();
        _client.Send("interrupt_request", [], channel: "control");
        var reply = _client.GetReply(id, TimeSpan.FromSeconds(5));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(reply.Content["ename"]!.GetValue<string>(), Is.EqualTo("KeyboardInterrupt"));
        _client.IopubUntilIdle(id);
    }

    [Test]
    public void MagicsRunInTheKernel()
    {
        var (reply, iopub) = _client.Run("#!lsmagic");
        Assert.That(Status(reply), Is.EqualTo("ok"));
        var text = string.Concat(iopub.Where(m => m.Type == "stream").Select(m => m.Content["text"]!.GetValue<string>()));
        Assert.That(text, Does.Contain("#!whos").And.Contain("#!nvidia-smi").And.Contain("#!time"));

        var (unknown, _) = _client.Run("#!frobnicate");
        Assert.That(Status(unknown), Is.EqualTo("error"));
        Assert.That(unknown.Content["evalue"]!.GetValue<string>(), Does.Contain("#!frobnicate").And.Contain("#!whos"));
    }
}
