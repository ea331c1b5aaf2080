namespace Notebooks.Kernel.Cli;

/// <summary>The notebooks that command-line paths name: files as given, folders expanded (run and check share this).</summary>
internal static class NotebookPaths
{
    /// <summary>
    /// Folders give their .ipynb files in ordinal order (<paramref name="recursive"/>: below them too, Jupyter's
    /// checkpoints left out); a missing folder is only reported, as git keeps no empty folders and a fresh clone may
    /// lack notebooks/ until lessons land. Null when a named notebook file does not exist (reported on
    /// <paramref name="error"/>).
    /// </summary>
    public static List<string>? Expand(string verb, IEnumerable<string> paths, bool recursive, TextWriter output, TextWriter error)
    {
        var notebooks = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                notebooks.AddRange(Directory.EnumerateFiles(path, "*.ipynb", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                    .Where(p => !p.Split(Path.DirectorySeparatorChar).Contains(".ipynb_checkpoints"))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                notebooks.Add(path);
            }
            else if (Path.GetExtension(path) is ".ipynb" or ".dib")
            {
                error.WriteLine($"{verb}: no such notebook: {path}");
                return null;
            }
            else
            {
                output.WriteLine($"{verb}: folder {path} does not exist.");
            }
        }
        return notebooks;
    }
}
