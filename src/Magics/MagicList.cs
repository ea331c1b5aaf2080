using System.Text;

namespace Notebooks.Magics;

/// <summary>The text of <c>#!lsmagic</c>: one line per magic, names then summary.</summary>
public static class MagicList
{
    public static string Text(IEnumerable<MagicInfo> magics)
    {
        var text = new StringBuilder("Magic commands:\n");
        foreach (var magic in magics)
        {
            text.Append("  ").Append(string.Join(", ", magic.Names).PadRight(28)).Append(' ').AppendLine(magic.Summary);
        }
        return text.ToString();
    }
}
