using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// One kernel process against a raw ZeroMQ client, as an attacker or a broken client would talk to it: malformed
/// frames, every header field with every JSON type, repeated keys, invalid UTF-8, unsigned, forged and replayed
/// messages, history patterns that broke the old matcher, SIGINT. After each batch the kernel must still answer,
/// and no untrusted code may have run. Bounded: a fixed, seeded set of a few hundred messages, loopback only.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ProtocolFuzzTests
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(30);
    private KernelProcess _kernel = null!;
    private RawClient _raw = null!;
    private string _markers = null!;

    [OneTimeSetUp]
    public void StartKernel()
    {
        _kernel = KernelProcess.Start();
        _raw = new RawClient(_kernel);
        _markers = Directory.CreateTempSubdirectory("fuzz-markers-").FullName;
        Assert.That(_raw.Request("kernel_info_request", [], TimeSpan.FromSeconds(60)), Is.Not.Null);
    }

    [OneTimeTearDown]
    public void StopKernel()
    {
        _raw.Dispose();
        _kernel.Dispose();
        Directory.Delete(_markers, recursive: true);
    }

    private void AssertAlive(string after)
    {
        Assert.That(_kernel.Process.HasExited, Is.False, $"the kernel died after {after}:\n{_kernel.ErrorTail()}");
        Assert.That(_raw.Request("kernel_info_request", [], Answer)?["status"]?.GetValue<string>(), Is.EqualTo("ok"), $"kernel_info after {after}");
        Assert.That(_raw.Request("kernel_info_request", [], Answer, control: true)?["status"]?.GetValue<string>(), Is.EqualTo("ok"), $"kernel_info on control after {after}");
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public void EveryHeaderFieldWithEveryJsonTypeLeavesTheKernelServing()
    {
        string?[] values = ["42", "-0.0", "1e400", "true", "null", "{}", "{\"x\":[1]}", "[]", "[\"kernel_info_request\"]", "\"\"", "\"kernel_info_request\"", null];
        var sent = 0;
        foreach (var field in new[] { "msg_id", "msg_type", "session", "username", "date", "version" })
        {
            foreach (var value in values)
            {
                var header = (JsonObject)JsonNode.Parse(RawClient.Header("kernel_info_request"))!;
                header.Remove(field);
                var text = header.ToJsonString();
                if (value is not null)
                {
                    text = text.TrimEnd('}') + $",\"{field}\":{value}}}";
                }
                foreach (var control in new[] { false, true })
                {
                    _raw.Send(_raw.Frames([Utf8(text), Utf8("{}"), Utf8("{}"), Utf8("{}")]), control);
                    sent++;
                }
            }
        }
        Assert.That(sent, Is.EqualTo(144));
        AssertAlive("every header field with every JSON type");
    }

    [Test]
    public void RepeatedKeysInvalidUtf8AndNonObjectFramesLeaveTheKernelServing()
    {
        var header = Encoding.UTF8.GetString(RawClient.Header("execute_request"));
        byte[][] headers =
        [
            Utf8(header.TrimEnd('}') + ",\"msg_type\":7}"),
            Utf8(header.TrimEnd('}') + ",\"msg_type\":\"kernel_info_request\"}"),
            [.. Utf8(header)[..10], 0xC3, 0x28, .. Utf8(header)[10..]],
            [0xFF, 0xFE],
            Utf8("[]"), Utf8("\"x\""), Utf8("nul"), Utf8(new string('[', 5000)), Utf8(""),
        ];
        foreach (var h in headers)
        {
            _raw.Send(_raw.Frames([h, Utf8("{}"), Utf8("{}"), Utf8($$"""{"code":"File.WriteAllText(@\"{{_markers}}/repeated\", \"ran\");"}""")]));
        }
        foreach (var content in new[] { """{"code":1,"code":2}""", """{"a":{"b":1,"b":2}}""", """{"code":"\ud800"}""", "[1]", "7" })
        {
            _raw.Send(_raw.Frames([RawClient.Header("execute_request"), Utf8("{}"), Utf8("{}"), Utf8(content)]));
        }
        AssertAlive("repeated keys, invalid UTF-8 and frames that are not objects");
        Assert.That(File.Exists(Path.Combine(_markers, "repeated")), Is.False);
    }

    [Test]
    public void RandomlyMutatedMessagesSignedOrNotLeaveTheKernelServingAndUnsignedCodeNeverRuns()
    {
        var random = new Random(19);
        var marker = Path.Combine(_markers, "mutated");
        var code = Utf8(new JsonObject { ["code"] = $"File.WriteAllText(@\"{marker}\", \"ran\");" }.ToJsonString());
        for (var i = 0; i < 300; i++)
        {
            byte[][] parts = [RawClient.Header("execute_request"), Utf8("{}"), Utf8("{}"), (byte[])code.Clone()];
            var part = parts[random.Next(4)];
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                part[random.Next(part.Length)] = (byte)random.Next(256);
            }
            List<byte[]> frames = (i % 3) switch
            {
                0 => _raw.Frames(parts, signature: _raw.Sign([RawClient.Header("execute_request"), parts[1], parts[2], code])), // a signature of other bytes
                1 => _raw.Frames(parts, signature: ""),
                _ => _raw.Frames(parts),
            };
            if (i % 3 != 2)
            {
                // Only messages the client signed may run; the mutations above keep their code out of reach of those.
                frames[^1] = code;
            }
            switch (random.Next(5))
            {
                case 0:
                    frames.RemoveRange(random.Next(frames.Count), 1);
                    break;
                case 1:
                    frames.Insert(0, Guid.NewGuid().ToByteArray());
                    break;
                case 2:
                    frames.Add(new byte[random.Next(100)]);
                    break;
            }
            _raw.Send(frames, control: random.Next(2) == 0);
        }
        AssertAlive("300 randomly mutated messages");
        Thread.Sleep(500);
        Assert.That(File.Exists(marker), Is.False, "code from an unsigned or forged message ran");
    }

    [Test]
    public void AReplayedMessageRunsOnce()
    {
        Assert.That(_raw.Request("execute_request", new JsonObject { ["code"] = "int replayed = 0;" }, Answer)?["status"]?.GetValue<string>(), Is.EqualTo("ok"));
        var frames = _raw.Frames([RawClient.Header("execute_request", "replayed"), Utf8("{}"), Utf8("{}"), Utf8("""{"code":"replayed++;"}""")]);
        _raw.Send(frames);
        Assert.That(_raw.Reply("replayed", Answer)?["status"]?.GetValue<string>(), Is.EqualTo("ok"));
        _raw.Send(frames);
        Assert.That(_raw.Reply("replayed", TimeSpan.FromSeconds(3)), Is.Null, "the replay got no reply");
        var check = _raw.Request("execute_request", new JsonObject { ["code"] = "if (replayed != 1) throw new Exception($\"ran {replayed} times\");" }, Answer);
        Assert.That(check?["status"]?.GetValue<string>(), Is.EqualTo("ok"), check?.ToJsonString());
        Assert.That(_kernel.ErrorTail(), Does.Contain("Duplicate Signature"));
    }

    [TestCase("[")]
    [TestCase("x[")]
    [TestCase("[z-a]")]
    [TestCase("*a*a*a*a*a*a*a*a*a*a*a*a*b")]
    public void HistorySearchesAreAnsweredAndNeverBlockControl(string pattern)
    {
        Assert.That(_raw.Request("execute_request", new JsonObject { ["code"] = "var longInput = \"" + new string('a', 5000) + "\";" }, Answer)?["status"]?.GetValue<string>(), Is.EqualTo("ok"));
        var id = Guid.NewGuid().ToString();
        _raw.Send(_raw.Frames([RawClient.Header("history_request", id), Utf8("{}"), Utf8("{}"),
            Utf8(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = pattern, ["output"] = false, ["raw"] = true }.ToJsonString())]));
        Assert.That(_raw.Request("interrupt_request", [], Answer, control: true)?["status"]?.GetValue<string>(), Is.EqualTo("ok"));
        var reply = _raw.Reply(id, Answer);
        Assert.That(reply?["status"]?.GetValue<string>(), Is.AnyOf("ok", "error"));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Test]
    public void SigintInterruptsTheRunningCellAsIpykernelDoes()
    {
        Assume.That(OperatingSystem.IsLinux(), "POSIX signals");
        const int sigint = 2;
        // Idle: ipykernel ignores SIGINT (kernelapp.py, init_signal: signal.SIG_IGN).
        Assert.That(kill(_kernel.Process.Id, sigint), Is.Zero);
        Thread.Sleep(300);
        AssertAlive("SIGINT while idle");

        var id = Guid.NewGuid().ToString();
        _raw.Send(_raw.Frames([RawClient.Header("execute_request", id), Utf8("{}"), Utf8("{}"), Utf8("""{"code":"while (true) { }"}""")]));
        Thread.Sleep(1500);
        Assert.That(kill(_kernel.Process.Id, sigint), Is.Zero);
        var reply = _raw.Reply(id, Answer);
        Assert.That(reply?["status"]?.GetValue<string>(), Is.EqualTo("error"));
        // ipykernel raises KeyboardInterrupt in the cell (kernelbase.py, pre_handler_hook: default_int_handler).
        Assert.That(reply?["ename"]?.GetValue<string>(), Is.EqualTo("KeyboardInterrupt"));
        AssertAlive("SIGINT during a cell");
    }
}
