using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary>
/// <c>#!time</c> applies to the whole cell, wherever it stands, so the interpreter times the cell (with
/// <see cref="CellTimer"/>); this entry gives it a name and a summary for <c>#!lsmagic</c>.
/// </summary>
internal sealed class TimeMagic : IMagic
{
    public const string Name = "#!time";

    public IReadOnlyList<string> Names => MagicCatalog.Time.Names;

    public string Summary => MagicCatalog.Time.Summary;

    public CellOutcome Run(MagicContext context, string arguments) => CellOutcome.Ok(null, false);

    public static string Format(TimeSpan wall, TimeSpan cpu) => CellTimer.Format(wall, cpu);
}
