namespace Notebooks.Magics;

/// <summary>A magic's names as typed (the first is the main one) and the one-line help both hosts show for it.</summary>
public sealed record MagicInfo(IReadOnlyList<string> Names, string Summary)
{
    public string Name => Names[0];
}

/// <summary>
/// The magics and their help text, one entry per magic, shared by both hosts: our kernel's <c>#!lsmagic</c> and the
/// descriptions .NET Interactive shows for the directives the extension adds.
/// </summary>
public static class MagicCatalog
{
    public static readonly MagicInfo NvidiaSmi = new(["#!nvidia-smi"], "runs nvidia-smi and summarises each GPU's memory and utilisation");

    /// <summary>Our kernel answers to #!whos and #!who; #!vars is the name that is ours in both hosts (.NET Interactive has its own #!whos).</summary>
    public static readonly MagicInfo Whos = new(["#!whos", "#!who", "#!vars"], "lists the session's variables with type and value (shape, dtype, device for tensors)");

    public static readonly MagicInfo Vars = new(["#!vars"], Whos.Summary);

    public static readonly MagicInfo Time = new(["#!time"], "times the cell: wall time and CPU time");

    public static readonly MagicInfo LsMagic = new(["#!lsmagic"], "lists the magic commands");

    public static readonly MagicInfo About = new(["#!about"], "shows the kernel's version, .NET, Roslyn and the operating system");

    public static readonly MagicInfo CSharp = new(["#!csharp", "#!c#"], "marks a C# cell (accepted for Polyglot notebooks; every cell is C#)");

    public static readonly MagicInfo Reference = new(["#r"], "#r \"nuget: Name, Version\" adds a NuGet package; #r \"path.dll\" references an assembly");

    public static readonly MagicInfo Source = new(["#i"], "#i \"nuget: source\" adds a NuGet package source for #r \"nuget: ...\"");

    /// <summary>IPython's shell escape: not a magic in either host's directive table, listed so users find it.</summary>
    public static readonly MagicInfo ShellEscape = new(["!command"], "runs a shell command, output streamed");
}
