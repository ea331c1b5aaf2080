using System.Text;
using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Magics;

internal sealed class LsMagic(Func<IEnumerable<IMagic>> magics) : IMagic
{
    public IReadOnlyList<string> Names { get; } = ["#!lsmagic"];

    public string Summary => "lists the magic commands";

    public CellOutcome Run(MagicContext context, string arguments)
    {
        var text = new StringBuilder("Magic commands:\n");
        foreach (var magic in magics())
        {
            text.Append("  ").Append(string.Join(", ", magic.Names).PadRight(28)).Append(' ').AppendLine(magic.Summary);
        }
        text.Append("  ").Append("!command".PadRight(28)).Append(' ').AppendLine("runs a shell command, output streamed");
        context.Print(text.ToString());
        return CellOutcome.Ok(null, false);
    }
}
