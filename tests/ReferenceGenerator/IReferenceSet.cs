namespace Notebooks.ReferenceGenerator;

/// <summary>
/// One reference file: <see cref="Name"/> is the set's name on the command line and in the file name
/// (<c>torch_{Name}.json</c>); <see cref="Build"/> returns the JSON-serialisable content. Every public class implementing
/// it is found by reflection, so adding a set is adding a file.
/// </summary>
public interface IReferenceSet
{
    string Name { get; }

    /// <summary>What the file holds and how it was produced; written into the file as "about".</summary>
    string About { get; }

    /// <summary>The cases: any object System.Text.Json serialises (dictionaries, lists, arrays of double/long/bool).</summary>
    object Build();
}
