namespace Notebooks.Kernel.Notebooks;

/// <summary>Picks the format by extension and writes atomically, so a failed write never leaves half a notebook.</summary>
internal static class NotebookFile
{
    public static bool IsDib(string path) => Path.GetExtension(path).Equals(".dib", StringComparison.OrdinalIgnoreCase);

    public static Notebook Read(string path) => IsDib(path) ? DibFormat.ReadFile(path) : IpynbFormat.ReadFile(path);

    public static void Write(Notebook notebook, string path)
    {
        var text = IsDib(path) ? DibFormat.Write(notebook) : IpynbFormat.Write(notebook);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // Same folder, so the rename is atomic on one file system.
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
