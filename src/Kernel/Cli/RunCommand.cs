using System.Diagnostics;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Notebooks;

namespace Notebooks.Kernel.Cli;

/// <summary><c>run PATH... [--output DIR] [--timeout SECONDS]</c>: executes notebooks headless, each in a fresh kernel process.</summary>
internal static class RunCommand
{
    public const string Help = """
        Usage: run PATH... [--output DIR] [--timeout SECONDS]

        Executes each notebook (.ipynb files, folders searched for .ipynb, or .dib files) in a
        fresh C# session and writes it back with its outputs: into DIR with --output, otherwise in
        place. Files are replaced atomically. A cell tagged "raises-exception" may fail; any other
        error, or a cell running longer than --timeout seconds, stops that notebook and makes the
        exit code 1.
        """;

    public static int Run(string[] args)
    {
        if (CommandLine.WantsHelp(args))
        {
            Console.WriteLine(Help);
            return CommandLine.Ok;
        }
        var paths = new List<string>();
        string? output = null;
        TimeSpan? timeout = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" or "-o":
                    output = CommandLine.Value(args, ref i);
                    break;
                case "--timeout":
                    var text = CommandLine.Value(args, ref i);
                    if (!double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                    {
                        throw new UsageException($"run: --timeout expects a positive number of seconds, got '{text}'.");
                    }
                    timeout = TimeSpan.FromSeconds(seconds);
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"run: unknown option '{option}'.\n{Help}");
                default:
                    paths.Add(args[i]);
                    break;
            }
        }
        if (paths.Count == 0)
        {
            throw new UsageException($"run: give at least one notebook or folder.\n{Help}");
        }

        // Cells print through the routed console; progress must go to the real one.
        OutputRouter.Install();
        var console = OutputRouter.OriginalOut;
        if (NotebookPaths.Expand("run", paths, recursive: true, console, OutputRouter.OriginalError) is not { } notebooks)
        {
            return CommandLine.Failed;
        }
        if (notebooks.Count == 0)
        {
            console.WriteLine($"No notebooks found in {string.Join(", ", paths)}; nothing to run.");
            return CommandLine.Ok;
        }

        var failures = 0;
        for (var n = 0; n < notebooks.Count; n++)
        {
            var path = notebooks[n];
            console.WriteLine($"[{n + 1}/{notebooks.Count}] {path}");
            if (notebooks.Count > 1)
            {
                // Like Jupyter, each notebook gets a fresh kernel: process-wide state (the default random generator,
                // once-per-process warnings, "plotly.js already sent") must not leak from one notebook to the next.
                if (!RunInChildProcess(path, output, timeout, console)) failures++;
                continue;
            }
            var watch = Stopwatch.StartNew();
            Notebook notebook;
            try
            {
                notebook = NotebookFile.Read(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
            {
                console.WriteLine($"  FAILED: cannot read it: {e.Message}");
                failures++;
                continue;
            }
            var failure = new NotebookRunner(timeout).Run(notebook, Path.GetDirectoryName(Path.GetFullPath(path))!, console);
            var target = output is null ? path : Path.Combine(output, Path.GetFileName(path));
            NotebookFile.Write(notebook, target);
            if (failure is null)
            {
                console.WriteLine($"  ok: {notebook.Cells.Count(c => c.IsCode)} code cells in {watch.Elapsed.TotalSeconds:0.0} s -> {target}");
            }
            else
            {
                failures++;
                console.WriteLine($"  FAILED at cell {failure.CellIndex + 1}: {failure.Reason}");
                foreach (var line in failure.Error?.Traceback ?? [])
                {
                    console.WriteLine("    " + line);
                }
            }
        }
        console.WriteLine(failures == 0 ? $"All {notebooks.Count} notebooks ran." : $"{failures} of {notebooks.Count} notebooks failed.");
        console.Flush();
        return failures == 0 ? CommandLine.Ok : CommandLine.Failed;
    }

    /// <summary>Runs <c>run PATH</c> for one notebook in a new process of this kernel, relaying its report.</summary>
    private static bool RunInChildProcess(string path, string? output, TimeSpan? timeout, TextWriter console)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Under `dotnet Notebooks.Kernel.dll` the process is the muxer: name the assembly too.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(typeof(RunCommand).Assembly.Location);
        }
        psi.ArgumentList.Add("run");
        psi.ArgumentList.Add(path);
        if (output is not null) { psi.ArgumentList.Add("--output"); psi.ArgumentList.Add(output); }
        if (timeout is { } t) { psi.ArgumentList.Add("--timeout"); psi.ArgumentList.Add(t.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        using var child = Process.Start(psi)!;
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) OutputRouter.OriginalError.WriteLine(e.Data); };
        child.BeginErrorReadLine();
        // The child's own "[1/1] path" header repeats ours; relay the rest.
        string? line;
        while ((line = child.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith("[1/1] ", StringComparison.Ordinal) || line.StartsWith("All 1 notebooks ran.", StringComparison.Ordinal) || line.StartsWith("1 of 1 notebooks failed.", StringComparison.Ordinal)) continue;
            console.WriteLine(line);
        }
        child.WaitForExit();
        return child.ExitCode == CommandLine.Ok;
    }
}
