using System.Diagnostics;
using NetMQ;
using System.Text.Json.Nodes;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>Each test starts its own kernel: these end it.</summary>
[TestFixture]
[NonParallelizable]
public sealed class LifecycleTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void ShutdownRepliesAndTheProcessExits(bool restart)
    {
        using var kernel = KernelProcess.Start();
        using var client = new JupyterClient(kernel);
        client.WaitForReady(TimeSpan.FromSeconds(30));

        var id = client.Send("shutdown_request", new JsonObject { ["restart"] = restart }, channel: "control");
        var reply = client.GetReply(id, TimeSpan.FromSeconds(10));
        Assert.That(reply.Type, Is.EqualTo("shutdown_reply"));
        Assert.That(reply.Channel, Is.EqualTo("control"));
        Assert.That(reply.Content["restart"]!.GetValue<bool>(), Is.EqualTo(restart));
        Assert.That(kernel.Process.WaitForExit(10_000), Is.True, "the kernel process must exit after shutdown_reply");
        Assert.That(kernel.Process.ExitCode, Is.Zero);
    }

    [Test]
    public void HeartbeatEchoes()
    {
        using var kernel = KernelProcess.Start();
        using var hb = new NetMQ.Sockets.RequestSocket();
        hb.Connect($"tcp://127.0.0.1:{kernel.Port("hb_port")}");
        var ping = Guid.NewGuid().ToByteArray();
        hb.SendFrame(ping);
        Assert.That(hb.TryReceiveFrameBytes(TimeSpan.FromSeconds(30), out var pong), Is.True);
        Assert.That(pong, Is.EqualTo(ping));
        hb.Options.Linger = TimeSpan.Zero;
    }

    [TestCase("shell_port", "shell")]
    [TestCase("hb_port", "heartbeat")]
    public void APortTakenByAnotherProcessEndsTheKernelWithAClearMessage(string port, string channel)
    {
        // Jupyter chooses the ports before the kernel starts; if another process binds one first, the kernel
        // must say which socket and address, and exit with a failure code rather than abort on an unhandled exception.
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var takenPort = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            using var kernel = KernelProcess.Start(editConnection: c => c[port] = takenPort, waitUntilBound: false);
            Assert.That(kernel.Process.WaitForExit(30_000), Is.True);
            kernel.Process.WaitForExit();
            Assert.That(kernel.Process.ExitCode, Is.EqualTo(1));
            Assert.That(kernel.ErrorTail(), Is.EqualTo($"Cannot bind the {channel} socket to tcp://127.0.0.1:{takenPort}: the address is already in use."));
        }
        finally
        {
            taken.Stop();
        }
    }

    [Test]
    public void TheTestLauncherStartsAgainOnFreshPortsWhenOneWasTaken()
    {
        // What keeps concurrent test runs from failing on a port another process took first (see KernelProcess.Start).
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var takenPort = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            var launches = 0;
            using var kernel = KernelProcess.Start(editConnection: c => { if (launches++ == 0) c["shell_port"] = takenPort; });
            Assert.That(launches, Is.EqualTo(2));
            using var client = new JupyterClient(kernel);
            client.WaitForReady(TimeSpan.FromSeconds(30));
        }
        finally
        {
            taken.Stop();
        }
    }

    [Test]
    public void KernelInfoReplyArrivesSoonAfterLaunch()
    {
        var watch = Stopwatch.StartNew();
        using var kernel = KernelProcess.Start();
        using var client = new JupyterClient(kernel);
        client.WaitForReady(TimeSpan.FromSeconds(30));
        // Generous bound: the figure to report is measured separately; this only catches a kernel
        // that blocks kernel_info behind Roslyn's warm-up.
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        TestContext.Progress.WriteLine($"launch to kernel_info_reply: {watch.ElapsedMilliseconds} ms");
    }
}
