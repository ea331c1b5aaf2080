namespace Notebooks.Bench;

internal sealed record Row(string Section, string Name, double Value, string Unit, string Note);

/// <summary>Collects figures for the console table and the JSON file.</summary>
internal sealed class Report
{
    private readonly List<Row> _rows = [];

    public void Add(string section, string name, double value, string unit, string note = "")
    {
        _rows.Add(new Row(section, name, value, unit, note));
        Console.WriteLine($"  {section,-10} {name,-40} {Format(value),12} {unit,-8} {note}");
    }

    private static string Format(double v) => v >= 100 ? v.ToString("F0") : v >= 1 ? v.ToString("F2") : v.ToString("F3");

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"{"section",-10} {"benchmark",-40} {"value",12} {"unit",-8} note");
        Console.WriteLine(new string('-', 100));
        foreach (var r in _rows) Console.WriteLine($"{r.Section,-10} {r.Name,-40} {Format(r.Value),12} {r.Unit,-8} {r.Note}");
    }

    public object ToJson(bool quick) => new
    {
        timestamp = DateTime.UtcNow.ToString("o"),
        quick,
        cores = Environment.ProcessorCount,
        runtime = Environment.Version.ToString(),
        avx512 = System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
        results = _rows.Select(r => new { section = r.Section, name = r.Name, value = r.Value, unit = r.Unit, note = r.Note }).ToArray(),
    };

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Notebooks.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
