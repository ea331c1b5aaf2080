using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Notebooks.Magics;

namespace Notebooks.Interactive.Tests;

/// <summary>The package loaded into an in-process .NET Interactive host, as a Polyglot user's #r would load it.</summary>
[NonParallelizable]
public sealed class ExtensionTests
{
    private HostKernel _host = null!;

    [SetUp]
    public async Task StartHost() => _host = await HostKernel.StartAsync();

    [TearDown]
    public void StopHost() => _host.Dispose();

    [Test]
    public void MagicsAreTheHostsOwnDirectivesWithOurHelpText()
    {
        var directives = _host.CSharp.KernelInfo.SupportedDirectives.ToDictionary(d => d.Name, d => d.Description);
        Assert.That(directives["#!nvidia-smi"], Is.EqualTo(MagicCatalog.NvidiaSmi.Summary));
        Assert.That(directives["#!vars"], Is.EqualTo(MagicCatalog.Vars.Summary));
        // This bare host (like dotnet-repl) has no #!time or #!lsmagic, so ours fill in.
        Assert.That(directives["#!time"], Is.EqualTo(MagicCatalog.Time.Summary));
        Assert.That(directives["#!lsmagic"], Is.EqualTo(MagicCatalog.LsMagic.Summary));
    }

    [Test]
    public async Task DirectivesComplete()
    {
        var result = await _host.Root.SendAsync(new RequestCompletions("#!nvi", new LinePosition(0, 5)));
        var completions = result.Events.OfType<CompletionsProduced>().SelectMany(c => c.Completions).Select(c => c.DisplayText);
        Assert.That(completions, Does.Contain("#!nvidia-smi"));
    }

    [Test]
    public async Task DirectivesTheHostHasStayTheHosts()
    {
        using var host = await HostKernel.StartAsync(root =>
            root.AddDirective(new KernelActionDirective("#!time") { Description = "the host's own" }, (_, context) =>
            {
                context.Publish(new StandardOutputValueProduced(context.Command, [new Microsoft.DotNet.Interactive.Formatting.FormattedValue("text/plain", "host timer\n")]));
                return Task.CompletedTask;
            }));
        Assert.That(host.CSharp.KernelInfo.SupportedDirectives.Select(d => d.Name), Has.No.Member("#!time"));
        var result = await host.RunAsync("#!time\nvar a = 1;");
        HostKernel.AssertSucceeded(result);
        Assert.That(HostKernel.Stdout(result), Is.EqualTo("host timer\n"));
    }

    [Test]
    public async Task LoadingTwiceAddsNothingTwice()
    {
        var before = _host.CSharp.KernelInfo.SupportedDirectives.Count;
        await _host.LoadPackageAsync();
        Assert.That(_host.CSharp.KernelInfo.SupportedDirectives, Has.Count.EqualTo(before));
    }

    [Test]
    public async Task NvidiaSmiWithoutADriverSaysSo()
    {
        if (ProcessRunner.Capture("nvidia-smi", ["-L"], TimeSpan.FromSeconds(10)) is not null)
        {
            Assert.Ignore("this machine has nvidia-smi");
        }
        var result = await _host.RunAsync("#!nvidia-smi");
        HostKernel.AssertSucceeded(result);
        Assert.That(HostKernel.Stderr(result), Is.EqualTo(NvidiaSmi.NoDriverMessage + "\n"));
        Assert.That(HostKernel.Rich(result), Is.Empty);
    }

    [Test]
    public async Task NvidiaSmiStreamsTheReportAndDisplaysTheSummary()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("the stand-in nvidia-smi is a shell script");
            return;
        }
        // A stand-in driver tool on PATH: its report, and the CSV that the query options ask for.
        var bin = Directory.CreateTempSubdirectory("fake-nvidia-smi-");
        var script = Path.Combine(bin.FullName, "nvidia-smi");
        File.WriteAllText(script, "#!/bin/sh\nif [ -n \"$1\" ]; then echo '0, NVIDIA H200, 2048, 143771, 12, 40'; else echo 'NVIDIA-SMI 570.00'; fi\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin.FullName + Path.PathSeparator + path);
        try
        {
            var result = await _host.RunAsync("#!nvidia-smi");
            HostKernel.AssertSucceeded(result);
            Assert.That(HostKernel.Stdout(result), Is.EqualTo("NVIDIA-SMI 570.00\n"));
            var rich = HostKernel.Rich(result);
            Assert.That(rich.Select(v => v.MimeType), Is.EquivalentTo(new[] { "text/plain", "text/html" }));
            Assert.That(rich.Single(v => v.MimeType == "text/plain").Value,
                Is.EqualTo("GPU 0 NVIDIA H200: memory 2048 / 143771 MiB (1.4%), utilisation 12%, 40 C"));
            Assert.That(rich.Single(v => v.MimeType == "text/html").Value, Does.StartWith("<table>").And.Contain("NVIDIA H200"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            bin.Delete(recursive: true);
        }
    }

    [Test]
    public async Task AMagicsUsageErrorIsTheHostsClearMessage()
    {
        var result = await _host.RunAsync("#!nvidia-smi --gpu 0");
        var failure = result.Events.OfType<CommandFailed>().Single();
        Assert.That(failure.Message, Does.Contain("Unrecognized parameter name '--gpu'"));
    }

    [Test]
    public async Task VarsShowsTensorsByShapeDtypeAndDevice()
    {
        HostKernel.AssertSucceeded(await _host.RunAsync("var t = torch.zeros(2, 3); var n = 42;"));
        var result = await _host.RunAsync("#!vars");
        HostKernel.AssertSucceeded(result);
        var rich = HostKernel.Rich(result);
        Assert.That(rich.Single(v => v.MimeType == "text/plain").Value, Is.EqualTo(
            "Variable  Type      Data/Info\n" +
            "------------------------------\n" +
            "t         Tensor    shape=[2, 3] dtype=torch.float32 device=cpu\n" +
            "n         Int32     42"));
        Assert.That(rich.Single(v => v.MimeType == "text/html").Value, Does.Contain("<td>t</td><td>Tensor</td><td>shape=[2, 3] dtype=torch.float32 device=cpu</td>"));
    }

    [Test]
    public async Task TheHostsWhosStillWorks()
    {
        HostKernel.AssertSucceeded(await _host.RunAsync("var count = 42;"));
        var result = await _host.RunAsync("#!whos");
        HostKernel.AssertSucceeded(result);
        Assert.That(HostKernel.Rich(result).Single(v => v.MimeType == "text/html").Value, Does.Contain("<td>count</td>"));
    }

    [Test]
    public async Task TimeReportsWallAndCpuTimeOfTheWholeCell()
    {
        var result = await _host.RunAsync("#!time\nConsole.WriteLine(\"body\");");
        HostKernel.AssertSucceeded(result);
        Assert.That(HostKernel.Stdout(result), Does.Match(@"^body\nWall time: \d+(\.\d+)? (ms|s) \(CPU time: \d+(\.\d+)? (ms|s)\)\n$"));
    }

    [Test]
    public async Task LsMagicListsOurMagicsWithTheirHelp()
    {
        var result = await _host.RunAsync("#!lsmagic");
        HostKernel.AssertSucceeded(result);
        var text = HostKernel.Stdout(result);
        Assert.That(text, Does.StartWith("Magic commands:\n"));
        Assert.That(text, Does.Contain("#!nvidia-smi".PadRight(28) + " " + MagicCatalog.NvidiaSmi.Summary));
        Assert.That(text, Does.Contain("#!vars".PadRight(28) + " " + MagicCatalog.Vars.Summary));
    }
}
