using Notebooks.Kernel.Notebooks;

namespace Notebooks.Kernel.Cli;

/// <summary><c>check PATH... --against DIR</c>: compares committed notebooks' outputs with re-executed copies.</summary>
internal static class CheckCommand
{
    public const string Help = """
        Usage: check PATH... --against DIR [--quiet] [--max N]

        Compares the outputs of each committed notebook (.ipynb files, or folders searched for
        them) with those of the re-executed copy of the same name in DIR (what 'run PATH --output DIR'
        or 'jupyter nbconvert --execute --output-dir DIR' wrote). Code cells are matched by id and
        compared output by output: output type, stream name and text, text/plain, text/html and
        image/svg+xml, error name and value. What cannot repeat is normalised first: object
        addresses, timings and durations, GUIDs and generated element ids, version hashes, temp
        paths, a trailing newline; cells whose source mentions nvidia-smi or torch.cuda are
        compared only for having outputs (and for an unexpected error).

        Each difference is printed with notebook, cell id, output index and a short diff of the
        normalised texts. Exit code: 0 when everything matches, 1 on any difference or a missing
        re-executed notebook, 2 on a usage error. --quiet prints only the differences and a summary;
        --max N prints at most N differences per notebook (default 20; 0 for all).
        """;

    public static int Run(string[] args)
    {
        if (CommandLine.WantsHelp(args))
        {
            Console.WriteLine(Help);
            return CommandLine.Ok;
        }
        var paths = new List<string>();
        string? against = null;
        var quiet = false;
        var max = 20;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--against" or "-a":
                    against = CommandLine.Value(args, ref i);
                    break;
                case "--quiet" or "-q":
                    quiet = true;
                    break;
                case "--max":
                    var text = CommandLine.Value(args, ref i);
                    if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out max) || max < 0)
                    {
                        throw new UsageException($"check: --max expects a count, got '{text}'.");
                    }
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"check: unknown option '{option}'.\n{Help}");
                default:
                    paths.Add(args[i]);
                    break;
            }
        }
        if (paths.Count == 0 || against is null)
        {
            throw new UsageException($"check: give the committed notebooks (or their folder) and --against DIR.\n{Help}");
        }
        if (NotebookPaths.Expand("check", paths, recursive: false, Console.Out, Console.Error) is not { } notebooks)
        {
            return CommandLine.Failed;
        }
        if (notebooks.Count == 0)
        {
            Console.WriteLine($"No notebooks found in {string.Join(", ", paths)}; nothing to check.");
            return CommandLine.Ok;
        }
        if (!Directory.Exists(against))
        {
            Console.WriteLine($"check: no such folder: {against} (nothing was re-executed into it)");
            return CommandLine.Failed;
        }

        var failed = 0;
        var total = 0;
        foreach (var path in notebooks)
        {
            var copy = Path.Combine(against, Path.GetFileName(path));
            var name = Path.GetFileName(path);
            if (!File.Exists(copy))
            {
                Console.WriteLine($"{name}: no re-executed copy at {copy}");
                failed++;
                continue;
            }
            List<OutputDifference> differences;
            int cells;
            try
            {
                var committed = NotebookFile.Read(path);
                cells = committed.Cells.Count(c => c.IsCode);
                differences = OutputComparison.Compare(committed, NotebookFile.Read(copy), name);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
            {
                Console.WriteLine($"{name}: cannot read it: {e.Message}");
                failed++;
                continue;
            }
            total += differences.Count;
            if (differences.Count == 0)
            {
                if (!quiet)
                {
                    Console.WriteLine($"{name}: ok ({cells} code cells match {copy})");
                }
                continue;
            }
            failed++;
            Console.WriteLine($"{name}: {differences.Count} difference{(differences.Count == 1 ? "" : "s")} from {copy}");
            var shown = max == 0 ? differences.Count : Math.Min(max, differences.Count);
            foreach (var difference in differences.Take(shown))
            {
                Console.WriteLine("  " + difference.ToString().Replace("\n", "\n  "));
            }
            if (shown < differences.Count)
            {
                Console.WriteLine($"  … {differences.Count - shown} more (cells {string.Join(", ", differences.Skip(shown).Select(d => d.CellId).Distinct())}); --max 0 shows them all");
            }
        }
        Console.WriteLine(failed == 0
            ? $"All {notebooks.Count} notebooks' outputs match {against}."
            : $"{failed} of {notebooks.Count} notebooks differ from {against} ({total} differences).");
        return failed == 0 ? CommandLine.Ok : CommandLine.Failed;
    }
}
