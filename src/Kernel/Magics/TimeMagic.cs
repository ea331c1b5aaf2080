using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Magics;

/// <summary>
/// <c>#!time</c> applies to the whole cell, wherever it stands, so the interpreter handles the timing;
/// this entry gives it a name and a summary for <c>#!lsmagic</c>.
/// </summary>
internal sealed class TimeMagic : IMagic
{
    public const string Name = "#!time";

    public IReadOnlyList<string> Names { get; } = [Name];

    public string Summary => "times the cell: wall time and CPU time";

    public CellOutcome Run(MagicContext context, string arguments) => CellOutcome.Ok(null, false);

    public static string Format(TimeSpan wall, TimeSpan cpu) => $"Wall time: {Describe(wall)} (CPU time: {Describe(cpu)})";

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.00} s" : $"{span.TotalMilliseconds:0.0} ms";
}
