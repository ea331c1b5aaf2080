namespace Notebooks.Formatters.TensorCards;

/// <summary>Which indices of a dimension are shown; <see cref="Gap"/> marks the ellipsis of a summarised dim.</summary>
internal static class EdgeIndices
{
    public const long Gap = -1;

    public static long[] For(long n, bool summarize, int edge)
    {
        if (!summarize || n <= 2L * edge)
        {
            var all = new long[n];
            for (long i = 0; i < n; i++) all[i] = i;
            return all;
        }
        var r = new long[2 * edge + 1];
        for (int i = 0; i < edge; i++) { r[i] = i; r[edge + 1 + i] = n - edge + i; }
        r[edge] = Gap;
        return r;
    }

    /// <summary>The contiguous runs (start, length) of the shown indices, so each can be read with one narrow.</summary>
    public static List<(long start, long length)> Runs(long[] indices)
    {
        var runs = new List<(long, long)>();
        long start = -1, len = 0;
        foreach (var i in indices)
        {
            if (i == Gap) { Flush(); continue; }
            if (len > 0 && i == start + len) { len++; continue; }
            Flush();
            start = i; len = 1;
        }
        Flush();
        return runs;

        void Flush()
        {
            if (len > 0) runs.Add((start, len));
            len = 0;
        }
    }
}
