namespace Notebooks.Tensors.Tests;

/// <summary>
/// The test data the repository carries in tests/Tensors.Tests/Reference (copied to the test output folder), so a
/// fresh clone's tests need nothing beside it: libtorch 2.10's reference values (torch_rng.json, torch_optim.json,
/// torch_layers.json — each file's "about" says how it was produced) and the five original lessons' texts with the
/// outputs PyTorch printed (lessons/*.txt).
/// </summary>
internal static class ReferenceData
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Reference");

    /// <summary>The full path of a reference file (e.g. "torch_rng.json"); fails the test when it is missing.</summary>
    public static string File(string name)
    {
        string path = Path.Combine(Folder, name);
        if (!System.IO.File.Exists(path)) Assert.Fail($"{name} is missing from the test output's Reference folder (tests/Tensors.Tests/Reference)");
        return path;
    }

    /// <summary>The lines of an original lesson by its number prefix ("001").</summary>
    public static string[] LessonLines(string number) =>
        System.IO.File.ReadAllLines(Directory.GetFiles(Path.Combine(Folder, "lessons"), number + "_*.txt").Single());
}
