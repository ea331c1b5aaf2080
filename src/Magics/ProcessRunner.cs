using System.ComponentModel;
using System.Diagnostics;
namespace Notebooks.Magics;

/// <summary>Runs a child process, streaming its output into the cell as it is produced.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// The exit code, or null when the program could not be started (not installed). Each line goes to
    /// <paramref name="write"/> with its stream's name ("stdout" / "stderr") as soon as the program writes it.
    /// </summary>
    public static int? Run(string fileName, IEnumerable<string> arguments, Action<string, string> write, CancellationToken cancellation, string? workingDirectory = null, bool echo = true)
    {
        var info = StartInfo(fileName, arguments, workingDirectory);
        info.RedirectStandardInput = true;
        using var process = new Process { StartInfo = info };
        if (echo)
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { write("stdout", e.Data + "\n"); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { write("stderr", e.Data + "\n"); } };
        }
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            return null;
        }
        // A command that waits on stdin would otherwise hang the cell.
        process.StandardInput.Close();
        if (echo)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        while (!process.WaitForExit(50))
        {
            if (cancellation.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new OperationCanceledException("The command was interrupted.");
            }
        }
        // The parameterless wait drains the asynchronous output readers.
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Both output streams redirected, arguments passed as a list (no shell quoting), in the kernel's folder by default.</summary>
    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
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
        return info;
    }

    /// <summary>Runs a program to completion and returns its standard output (null when it is not installed).</summary>
    public static (int ExitCode, string Output, string Error)? Capture(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        try
        {
            using var process = Process.Start(StartInfo(fileName, arguments, workingDirectory))!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit();
            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
