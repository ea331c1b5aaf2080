using System.Diagnostics;

namespace Notebooks.Kernel.Tests.Support;

/// <summary>
/// Debian's Jupyter tools (jupyter-client, nbconvert, jupyter_kernel_test). They are used through
/// /usr/bin/python3 on purpose: a pyenv python earlier on PATH would not see Debian's packages.
/// </summary>
internal static class DebianJupyter
{
    public const string Python = "/usr/bin/python3";
    public const string Packages = "jupyter-client jupyter-nbconvert python3-nbclient python3-jupyter-kernel-test";

    /// <summary>Fails the test with what to install when a module is missing.</summary>
    public static void Require(params string[] modules)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: install Debian's Jupyter packages (apt-get install -y {Packages}); .ci/run does this.");
        }
        foreach (var module in modules)
        {
            var (exit, output) = Run(Python, ["-c", $"import {module}"], null, TimeSpan.FromSeconds(60));
            if (exit != 0)
            {
                Assert.Fail($"Python module '{module}' is missing for {Python}: apt-get install -y {Packages} (.ci/run does this).\n{output}");
            }
        }
    }

    /// <summary>Installs the kernelspec into a fresh prefix and returns the JUPYTER_PATH that finds it.</summary>
    public static string InstallKernelspec(string prefix)
    {
        var (exit, output) = KernelCli.Run(["install", "--prefix", prefix], TimeSpan.FromSeconds(60));
        Assert.That(exit, Is.Zero, output);
        return Path.Combine(prefix, "share", "jupyter");
    }

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"timed out after {timeout}\n{output.Result}{error.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
