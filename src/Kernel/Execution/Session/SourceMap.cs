namespace Notebooks.Kernel.Execution;

/// <summary>Maps positions in injected code back to positions in the code the user wrote.</summary>
internal sealed class SourceMap(IReadOnlyList<(int Position, int Length)> insertions)
{
    public static SourceMap Identity { get; } = new([]);

    public int ToOriginal(int position)
    {
        var shift = 0;
        foreach (var (at, length) in insertions)
        {
            var start = at + shift;
            if (position < start)
            {
                break;
            }
            if (position < start + length)
            {
                // Inside text we inserted: the nearest honest answer is where it was inserted.
                return at;
            }
            shift += length;
        }
        return position - shift;
    }
}
