using Notebooks.Kernel.Protocol;

namespace Notebooks.Kernel.Tests;

/// <summary>Connection files as Jupyter writes them, and as they go wrong: every problem is one line.</summary>
public sealed class ConnectionInfoTests
{
    private string _directory = null!;

    [SetUp]
    public void MakeDirectory() => _directory = Directory.CreateTempSubdirectory("connection-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, "kernel.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Ports = "\"shell_port\":1,\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,\"hb_port\":5";

    [TestCase("", "The input does not contain any JSON tokens")]
    [TestCase("{", "Expected depth to be zero")]
    [TestCase("[]", "The JSON value could not be converted")]
    [TestCase("null", "it holds null, not a JSON object")]
    [TestCase("{\"shell_port\":\"x\"}", "The JSON value could not be converted to System.Int32. Path: $.shell_port")]
    [TestCase("{\"ip\":5}", "The JSON value could not be converted to System.String. Path: $.ip")]
    [TestCase("{" + Ports + ",\"transport\":\"udp\"}", "transport must be \"tcp\" or \"ipc\", got \"udp\"")]
    [TestCase("{\"shell_port\":70000,\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,\"hb_port\":5}", "shell_port must be a port number from 1 to 65535, got 70000")]
    [TestCase("{\"shell_port\":1,\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4}", "hb_port must be a port number from 1 to 65535, got 0")]
    [TestCase("{" + Ports + ",\"ip\":\"\"}", "ip is empty")]
    public void AnInvalidFileIsOneLineNamingTheProblem(string json, string problem)
    {
        var path = Write(json);
        var error = Assert.Throws<InvalidConnectionFileException>(() => ConnectionInfo.Load(path))!;
        Assert.That(error.Message, Does.StartWith($"Invalid connection file {path}: ").And.Contain(problem));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void AMissingFileSaysSo()
    {
        var path = Path.Combine(_directory, "absent.json");
        Assert.That(() => ConnectionInfo.Load(path), Throws.TypeOf<InvalidConnectionFileException>().With.Message.EqualTo($"Invalid connection file {path}: no such file"));
    }

    [TestCase("127.0.0.1", false)]
    [TestCase("127.1.2.3", false)]
    [TestCase("::1", false)]
    [TestCase("localhost", false)]
    [TestCase("0.0.0.0", true)]
    [TestCase("*", true)]
    [TestCase("192.168.1.5", true)]
    [TestCase("::", true)]
    public void OnlyLoopbackAddressesAreUnreachableFromTheNetwork(string ip, bool reachable) =>
        Assert.That(new ConnectionInfo { Ip = ip }.IsReachableFromNetwork, Is.EqualTo(reachable));
}
