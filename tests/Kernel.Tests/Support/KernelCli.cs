using System.Diagnostics;

namespace Notebooks.Kernel.Tests.Support;

/// <summary>Runs the kernel's command line as a child process and captures what it prints.</summary>
internal static class KernelCli
{
    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(KernelProcess.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add(KernelProcess.KernelDll);
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
            Assert.Fail($"'{string.Join(" ", info.ArgumentList)}' did not finish within {timeout}.");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
