using System.Diagnostics;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// Starting the kernel wrongly: a missing or invalid connection file or a signature scheme it cannot compute is one
/// line and exit code 1, never a stack trace; an empty key and a non-loopback address are warned about; install
/// refuses kernel names Jupyter refuses. Nothing here binds anything but loopback.
/// </summary>
public sealed class KernelCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void MakeDirectory() => _directory = Directory.CreateTempSubdirectory("kernel-cli-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private static void AssertOneLine(string output, string start)
    {
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), output);
        Assert.That(lines[0], Does.StartWith(start));
    }

    [Test]
    public void AMissingConnectionFileIsOneLineAndExitCodeOne()
    {
        var path = Path.Combine(_directory, "absent.json");
        var (exit, output) = KernelCli.Run(["kernel", "-f", path], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.EqualTo(1));
        AssertOneLine(output, $"kernel: Invalid connection file {path}: no such file");
    }

    [TestCase("{ not json", "kernel: Invalid connection file")]
    [TestCase("""{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-whirlpool"}""", "kernel: signature_scheme 'hmac-whirlpool' is not supported")]
    [TestCase("""{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"k","signature_scheme":"sha256"}""", "kernel: signature_scheme must start with 'hmac-', got 'sha256'")]
    public void AnUnusableConnectionFileIsOneLineAndExitCodeOne(string json, string start)
    {
        var path = Path.Combine(_directory, "kernel.json");
        File.WriteAllText(path, json);
        var (exit, output) = KernelCli.Run(["kernel", "-f", path], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.EqualTo(1));
        AssertOneLine(output, start);
    }

    [Test]
    public void AnEmptyKeyIsWarnedAboutInJupyterClientsWords()
    {
        using var kernel = KernelProcess.Start(key: "");
        // jupyter_client/session.py, Session.__init__.
        Assert.That(WaitForError(kernel, "Message signing is disabled.  This is insecure and not recommended!"), Is.True, kernel.ErrorTail());
        Assert.That(kernel.Process.HasExited, Is.False);
    }

    [Test]
    public void ANonLoopbackAddressIsWarnedAboutOnStandardError()
    {
        // 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes first, then binding fails, so no
        // socket is ever opened beyond loopback.
        using var kernel = KernelProcess.Start(editConnection: c => c["ip"] = "192.0.2.1", waitUntilBound: false);
        Assert.That(kernel.Process.WaitForExit(60_000), Is.True);
        kernel.Process.WaitForExit();
        Assert.That(kernel.Process.ExitCode, Is.EqualTo(1));
        Assert.That(kernel.ErrorTail(), Does.Contain("ip 192.0.2.1 is not a loopback address: the kernel's sockets are reachable from the network"));
        Assert.That(kernel.ErrorTail(), Does.Contain("Cannot bind the shell socket to tcp://192.0.2.1:"));
    }

    [TestCase("../evil")]
    [TestCase("a/b")]
    [TestCase("a\\b")]
    [TestCase("..")]
    [TestCase(".")]
    [TestCase("with space")]
    [TestCase("ünï")]
    [TestCase("")]
    public void InstallRefusesNamesJupyterRefuses(string name)
    {
        var prefix = Path.Combine(_directory, "prefix");
        var (exit, output) = KernelCli.Run(["install", "--prefix", prefix, "--name", name], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.EqualTo(2));
        // jupyter_client/kernelspec.py, install_kernel_spec: f"Invalid kernel name {kernel_name!r}.  {_kernel_name_description}".
        AssertOneLine(output, $"install: Invalid kernel name '{name.ToLowerInvariant()}'.  ");
        Assert.That(Directory.Exists(_directory) && Directory.EnumerateFileSystemEntries(_directory, "*", SearchOption.AllDirectories).Any(), Is.False, "nothing was written");
    }

    [Test]
    public void InstallTakesNamesJupyterTakes()
    {
        var prefix = Path.Combine(_directory, "prefix");
        var (exit, output) = KernelCli.Run(["install", "--prefix", prefix, "--name", "My.Kernel_2-x"], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.Zero, output);
        Assert.That(File.Exists(Path.Combine(prefix, "share", "jupyter", "kernels", "my.kernel_2-x", "kernel.json")), Is.True);
    }

    private static bool WaitForError(KernelProcess kernel, string text)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (kernel.ErrorTail().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }
}
