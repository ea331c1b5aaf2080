using System.Text.Json.Nodes;
using Notebooks.Kernel.Notebooks;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>Jupyter's own tools drive the installed kernelspec: jupyter_kernel_test and nbconvert.</summary>
[NonParallelizable]
public sealed class ConformanceTests
{
    private string _prefix = null!;
    private string _jupyterPath = null!;

    [OneTimeSetUp]
    public void InstallKernelspec()
    {
        _prefix = Directory.CreateTempSubdirectory("kernelspec-").FullName;
        _jupyterPath = DebianJupyter.InstallKernelspec(_prefix);
    }

    [OneTimeTearDown]
    public void RemovePrefix() => Directory.Delete(_prefix, recursive: true);

    private Dictionary<string, string> Environment() => new()
    {
        ["JUPYTER_PATH"] = _jupyterPath,
        // Keep the user's own Jupyter config and runtime files out of the run.
        ["JUPYTER_CONFIG_DIR"] = Path.Combine(_prefix, "config"),
        ["JUPYTER_RUNTIME_DIR"] = Path.Combine(_prefix, "runtime"),
        ["JUPYTER_DATA_DIR"] = Path.Combine(_prefix, "data"),
        ["JUPYTER_PLATFORM_DIRS"] = "1",
        ["PYTHONPATH"] = "",
    };

    [Test]
    public void JupyterKernelTestSuitePasses()
    {
        DebianJupyter.Require("jupyter_client", "jupyter_kernel_test");
        var conformance = Path.Combine(AppContext.BaseDirectory, "conformance");
        var (exit, output) = DebianJupyter.Run(DebianJupyter.Python, ["-m", "unittest", "-v", "test_csharp_kernel"], Environment(), TimeSpan.FromMinutes(2), conformance);
        TestContext.Progress.WriteLine(output);
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("test_execute_result").And.Contain("test_completion").And.Contain("test_inspect"));
        Assert.That(output, Does.Match(@"\nOK( \(skipped=\d+\))?\s*$"));
    }

    [Test]
    public void JupyterStartsTheKernelWithTheKernelspecsEnvironment()
    {
        DebianJupyter.Require("jupyter_client");
        const string script = """
            import os
            from jupyter_client.manager import start_new_kernel
            # Whatever the kernel then sees came from the kernelspec, not from this process.
            os.environ.pop("DOTNET_CLI_TELEMETRY_OPTOUT", None)
            km, kc = start_new_kernel(kernel_name="notebooks-csharp")
            try:
                reply = kc.execute_interactive('Environment.GetEnvironmentVariable("DOTNET_CLI_TELEMETRY_OPTOUT") ?? "unset"', timeout=60,
                                               output_hook=lambda m: m["msg_type"] == "execute_result" and print("RESULT", m["content"]["data"]["text/plain"]))
                print("STATUS", reply["content"]["status"])
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            """;
        var (exit, output) = DebianJupyter.Run(DebianJupyter.Python, ["-c", script], Environment(), TimeSpan.FromMinutes(2), _prefix);
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("STATUS ok"));
        Assert.That(output, Does.Match(@"(?m)^RESULT 1$"), "the kernel process sees the variable its kernelspec sets");
    }

    [Test]
    public void NbconvertExecutesACSharpNotebook()
    {
        DebianJupyter.Require("nbconvert", "nbclient");
        var directory = Path.Combine(_prefix, "nb");
        Directory.CreateDirectory(directory);
        var notebook = new Notebook { Metadata = IpynbFormat.DefaultMetadata() };
        notebook.Cells.Add(new NotebookCell { Source = "var greeting = \"hello\";\nConsole.WriteLine(greeting);" });
        notebook.Cells.Add(new NotebookCell { Source = "greeting.Length * 8 + 2" });
        var failing = new NotebookCell { Source = "throw new InvalidOperationException(\"allowed\");" };
        failing.Metadata["tags"] = new JsonArray("raises-exception");
        notebook.Cells.Add(failing);
        notebook.Cells.Add(new NotebookCell { Source = "display(greeting.ToUpper());" });
        var input = Path.Combine(directory, "in.ipynb");
        NotebookFile.Write(notebook, input);

        var jupyter = File.Exists("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter";
        var (exit, output) = DebianJupyter.Run(jupyter, ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120", "--output", "out.ipynb", input], Environment(), TimeSpan.FromMinutes(2), directory);
        Assert.That(exit, Is.Zero, output);

        var executed = IpynbFormat.ReadFile(Path.Combine(directory, "out.ipynb"));
        Assert.That(IpynbFormat.JoinSource(executed.Cells[0].Outputs.Single()!["text"]), Is.EqualTo("hello\n"));
        var result = executed.Cells[1].Outputs.Single()!;
        Assert.That(result["output_type"]!.GetValue<string>(), Is.EqualTo("execute_result"));
        Assert.That(IpynbFormat.JoinSource(result["data"]!["text/plain"]), Is.EqualTo("42"));
        Assert.That(executed.Cells[2].Outputs.Single()!["ename"]!.GetValue<string>(), Is.EqualTo("InvalidOperationException"));
        Assert.That(IpynbFormat.JoinSource(executed.Cells[3].Outputs.Single()!["data"]!["text/plain"]), Is.EqualTo("HELLO"));
        Assert.That(executed.Cells.Select(c => c.ExecutionCount), Is.EqualTo(new int?[] { 1, 2, 3, 4 }));
    }
}
