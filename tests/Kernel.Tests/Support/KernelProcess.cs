using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Tests.Support;

/// <summary>
/// Starts the kernel as Jupyter does: a child process given a connection file with random free
/// ports on 127.0.0.1 and a random signing key.
/// </summary>
internal sealed class KernelProcess : IDisposable
{
    private readonly string _directory;
    private readonly Queue<string> _errors = new();

    private KernelProcess(Process process, string directory, JsonObject connection)
    {
        Process = process;
        _directory = directory;
        Connection = connection;
    }

    public Process Process { get; }

    public JsonObject Connection { get; }

    public string Key => Connection["key"]!.GetValue<string>();

    public int Port(string name) => Connection[name]!.GetValue<int>();

    public static string KernelDll => Path.Combine(AppContext.BaseDirectory, "Notebooks.Kernel.dll");

    public static string DotnetHost
    {
        get
        {
            var process = Environment.ProcessPath;
            if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet")
            {
                return process;
            }
            var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            var candidate = Path.Combine(runtime.Parent!.Parent!.Parent!.FullName, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            return File.Exists(candidate) ? candidate : "dotnet";
        }
    }

    /// <summary>Starts a kernel; its Jupyter data directory (where history is saved) is a fresh one unless given.</summary>
    /// <remarks>
    /// Returns once the kernel has bound its sockets. Jupyter picks ports that are free when it looks, and another
    /// process (an outgoing connection of a test running beside this one) may take one before the kernel binds it;
    /// the kernel then exits saying so, and it is started again on fresh ports, twice at most.
    /// <paramref name="waitUntilBound"/>: false returns the process as launched (for tests of a failing start).
    /// </remarks>
    public static KernelProcess Start(string? key = null, string? dataDirectory = null, Action<JsonObject>? editConnection = null, bool waitUntilBound = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            var kernel = Launch(key, dataDirectory, editConnection);
            if (!waitUntilBound || kernel.WaitUntilBound(TimeSpan.FromSeconds(60)))
            {
                return kernel;
            }
            var error = kernel.ErrorTail();
            kernel.Dispose();
            if (attempt == 3 || !error.Contains("is already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The kernel did not bind its sockets (attempt {attempt}):\n{error}");
            }
            TestContext.Progress.WriteLine($"kernel start {attempt}: a port was taken, starting again on others: {error}");
        }
    }

    /// <summary>True once the heartbeat socket (bound last) accepts connections; false if the process exits first.</summary>
    private bool WaitUntilBound(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Process.HasExited)
            {
                Process.WaitForExit(); // lets the stderr reader finish
                return false;
            }
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port("hb_port"));
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }
        return !Process.HasExited;
    }

    private static KernelProcess Launch(string? key, string? dataDirectory, Action<JsonObject>? editConnection)
    {
        var directory = Directory.CreateTempSubdirectory("kernel-test-").FullName;
        var ports = FreePorts(5);
        var connection = new JsonObject
        {
            ["transport"] = "tcp",
            ["ip"] = "127.0.0.1",
            ["shell_port"] = ports[0],
            ["iopub_port"] = ports[1],
            ["stdin_port"] = ports[2],
            ["control_port"] = ports[3],
            ["hb_port"] = ports[4],
            ["key"] = key ?? Guid.NewGuid().ToString(),
            ["signature_scheme"] = "hmac-sha256",
            ["kernel_name"] = "notebooks-csharp",
        };
        editConnection?.Invoke(connection);
        var file = Path.Combine(directory, "connection.json");
        File.WriteAllText(file, connection.ToJsonString());
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.Environment["JUPYTER_DATA_DIR"] = dataDirectory ?? Path.Combine(directory, "data");
        info.ArgumentList.Add(KernelDll);
        info.ArgumentList.Add("kernel");
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(file);
        var process = Process.Start(info)!;
        var kernel = new KernelProcess(process, directory, connection);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { TestContext.Progress.WriteLine("[kernel out] " + e.Data); } };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                kernel.RecordError(e.Data);
                TestContext.Progress.WriteLine("[kernel err] " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return kernel;
    }

    // Ports already handed to a kernel of this test run. A port is free only until its kernel binds it, and the OS may
    // offer the same one again meanwhile: two kernels started back to back could otherwise be told to share a port
    // (jupyter_client keeps the same kind of cache for the same reason).
    private static readonly HashSet<int> HandedOut = [];

    private static int[] FreePorts(int count)
    {
        lock (HandedOut)
        {
            var ports = new List<int>();
            var held = new List<TcpListener>();
            try
            {
                while (ports.Count < count)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    held.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (HandedOut.Add(port))
                    {
                        ports.Add(port);
                    }
                }
            }
            finally
            {
                held.ForEach(l => l.Stop());
            }
            return [.. ports];
        }
    }

    /// <summary>The kernel's standard error so far (its last lines), for a test failure's message.</summary>
    public string ErrorTail()
    {
        lock (_errors)
        {
            return string.Join("\n", _errors);
        }
    }

    private void RecordError(string line)
    {
        lock (_errors)
        {
            _errors.Enqueue(line);
            if (_errors.Count > 40)
            {
                _errors.Dequeue();
            }
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(5000);
        }
        Process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
