using System.Diagnostics;
using System.Text.Json.Nodes;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Notebooks;

namespace Notebooks.Kernel.Cli;

/// <summary><c>run PATH... [--output DIR | --in-place] [--timeout SECONDS]</c>: executes notebooks headless, each in a fresh kernel process.</summary>
internal static class RunCommand
{
    public const string Help = """
        Usage: run PATH... [--output DIR | --in-place] [--timeout SECONDS]

        Executes each notebook (.ipynb files, folders searched for .ipynb, or .dib files) top to
        bottom in a fresh C# session, as Jupyter would, and reports each cell. Without --output or
        --in-place nothing is written: the run is a check, and tracked notebooks stay as they are.
        --output DIR writes the executed notebooks into DIR; --in-place replaces the files (both
        atomically). A cell tagged "raises-exception" may fail (reported as expected); any other
        error, a cell running longer than --timeout seconds, or a cell that ends the process
        (Environment.Exit) stops that notebook and makes the exit code 1. Notebooks whose kernel
        language is not C# are refused.
        """;

    /// <summary>Where executed notebooks go: nowhere, into a folder, or back into their files.</summary>
    private sealed record Destination(string? Folder, bool InPlace)
    {
        public string? For(string path) => InPlace ? path : Folder is null ? null : Path.Combine(Folder, Path.GetFileName(path));

        public IEnumerable<string> AsArguments() => InPlace ? ["--in-place"] : Folder is null ? [] : ["--output", Folder];
    }

    public static int Run(string[] args)
    {
        if (CommandLine.WantsHelp(args))
        {
            Console.WriteLine(Help);
            return CommandLine.Ok;
        }
        var paths = new List<string>();
        string? output = null;
        var inPlace = false;
        TimeSpan? timeout = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" or "-o":
                    output = CommandLine.Value(args, ref i);
                    break;
                case "--in-place" or "--inplace":
                    inPlace = true;
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
        if (inPlace && output is not null)
        {
            throw new UsageException("run: --output and --in-place exclude each other.");
        }
        var destination = new Destination(output is null ? null : Path.GetFullPath(output), inPlace);

        // Cells print through the routed console; progress must go to the real one.
        OutputRouter.Install();
        var console = OutputRouter.OriginalOut;
        if (NotebookPaths.Expand("run", paths, recursive: true, console, OutputRouter.OriginalError) is not { } notebooks)
        {
            return CommandLine.Failed;
        }
        // An output folder that cannot be written fails now, not after every notebook has run.
        if (destination.Folder is { } folder && CannotWrite(folder) is { } why)
        {
            OutputRouter.OriginalError.WriteLine($"run: cannot write to --output {folder}: {why}");
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
            var ok = notebooks.Count > 1
                // Like Jupyter, each notebook gets a fresh kernel: process-wide state (the default random generator,
                // once-per-process warnings, "plotly.js already sent") must not leak from one notebook to the next.
                ? RunInChildProcess(path, destination, timeout, console)
                : RunHere(path, destination, timeout, console);
            if (!ok) failures++;
        }
        var written = destination switch
        {
            { InPlace: true } => " Outputs written in place.",
            { Folder: { } f } => $" Outputs written to {f}.",
            _ => " Nothing written (--output DIR or --in-place keeps the outputs).",
        };
        console.WriteLine(failures == 0 ? $"All {notebooks.Count} notebooks ran.{written}" : $"{failures} of {notebooks.Count} notebooks failed.{written}");
        console.Flush();
        return failures == 0 ? CommandLine.Ok : CommandLine.Failed;
    }

    /// <summary>Runs one notebook in this process.</summary>
    private static bool RunHere(string path, Destination destination, TimeSpan? timeout, TextWriter console)
    {
        var watch = Stopwatch.StartNew();
        Notebook notebook;
        try
        {
            notebook = NotebookFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
        {
            console.WriteLine($"  FAILED: cannot read it: {e.Message}");
            return false;
        }
        if (OtherLanguage(notebook) is { } language)
        {
            console.WriteLine($"  FAILED: this is a {language} notebook; this runner executes C# notebooks only (open it with its own kernel).");
            return false;
        }
        var target = destination.For(path);
        var runner = new NotebookRunner(timeout);
        // A cell that calls Environment.Exit ends this process with no exception to catch: the exit handler names the
        // cell, keeps the notebook as far as it ran, and turns the exit code into a failure whatever the cell passed.
        EventHandler onExit = (_, _) =>
        {
            // What the cell printed is still in the router's batch.
            OutputRouter.Flush();
            if (runner.AbandonRunningCell(Environment.ExitCode) is not { } failure)
            {
                return;
            }
            Report(notebook, target, failure, watch, console);
            console.WriteLine("1 of 1 notebooks failed.");
            console.Flush();
            Environment.ExitCode = CommandLine.Failed;
        };
        AppDomain.CurrentDomain.ProcessExit += onExit;
        RunFailure? result;
        try
        {
            result = runner.Run(notebook, Path.GetDirectoryName(Path.GetFullPath(path))!, console);
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }
        return Report(notebook, target, result, watch, console);
    }

    /// <summary>Writes the notebook where it goes and prints its verdict; true when it ran through.</summary>
    private static bool Report(Notebook notebook, string? target, RunFailure? failure, Stopwatch watch, TextWriter console)
    {
        var where = "";
        if (target is not null)
        {
            NotebookFile.Write(notebook, target);
            where = $" -> {target}";
        }
        if (failure is null)
        {
            console.WriteLine($"  ok: {notebook.Cells.Count(c => c.IsCode)} code cells in {watch.Elapsed.TotalSeconds:0.0} s{where}");
            return true;
        }
        console.WriteLine($"  FAILED at cell {failure.CellIndex + 1}: {failure.Reason}{where}");
        foreach (var line in failure.Error?.Traceback ?? [])
        {
            console.WriteLine("    " + line);
        }
        return false;
    }

    /// <summary>The language a notebook declares when it is not C# (kernelspec or language_info), else null.</summary>
    internal static string? OtherLanguage(Notebook notebook)
    {
        var declared = Text(notebook.Metadata["kernelspec"]?["language"]) ?? Text(notebook.Metadata["language_info"]?["name"]);
        if (declared is null || declared.ToLowerInvariant() is "csharp" or "c#")
        {
            return null;
        }
        return Text(notebook.Metadata["kernelspec"]?["name"]) is { } kernel ? $"{declared} (kernel \"{kernel}\")" : declared;

        static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
    }

    /// <summary>Why <paramref name="folder"/> cannot take notebooks (created if missing), or null when it can.</summary>
    private static string? CannotWrite(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".run-probe-{Guid.NewGuid():N}.tmp");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return e.Message;
        }
    }

    /// <summary>Runs <c>run PATH</c> for one notebook in a new process of this kernel, relaying its report.</summary>
    private static bool RunInChildProcess(string path, Destination destination, TimeSpan? timeout, TextWriter console)
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
        foreach (var argument in destination.AsArguments()) psi.ArgumentList.Add(argument);
        if (timeout is { } t) { psi.ArgumentList.Add("--timeout"); psi.ArgumentList.Add(t.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        using var child = Process.Start(psi)!;
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) OutputRouter.OriginalError.WriteLine(e.Data); };
        child.BeginErrorReadLine();
        // The child's own "[1/1] path" header and summary repeat ours; relay the rest.
        string? line;
        while ((line = child.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith("[1/1] ", StringComparison.Ordinal) || line.StartsWith("All 1 notebooks ran.", StringComparison.Ordinal) || line.StartsWith("1 of 1 notebooks failed.", StringComparison.Ordinal)) continue;
            console.WriteLine(line);
        }
        child.WaitForExit();
        if (child.ExitCode is not (CommandLine.Ok or CommandLine.Failed))
        {
            // A child killed outright (a signal, a crash) printed no verdict of its own.
            console.WriteLine($"  FAILED: the notebook's process ended with exit code {child.ExitCode}");
        }
        return child.ExitCode == CommandLine.Ok;
    }
}
