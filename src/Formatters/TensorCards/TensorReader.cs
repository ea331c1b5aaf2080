namespace Notebooks.Formatters.TensorCards;

/// <summary>
/// Reads only the values a display needs: narrowed views of the shown edges, or a strided sample for statistics.
/// Never copies a whole large tensor.
/// </summary>
internal static class TensorReader
{
    /// <summary>Values of a 2-D tensor at the shown rows × cols (Gap rows/cols are NaN and never read).</summary>
    public static double[,] Grid(Tensor m, long[] rows, long[] cols)
    {
        var grid = new double[rows.Length, cols.Length];
        var rowPos = Positions(rows);
        var colPos = Positions(cols);
        foreach (var (r0, rn) in EdgeIndices.Runs(rows))
        foreach (var (c0, cn) in EdgeIndices.Runs(cols))
        {
            var block = m.narrow(0, r0, rn).narrow(1, c0, cn).ToArray<double>();
            for (long i = 0; i < rn; i++)
            for (long j = 0; j < cn; j++)
                grid[rowPos[r0 + i], colPos[c0 + j]] = block[i * cn + j];
        }
        return grid;
    }

    private static Dictionary<long, int> Positions(long[] indices)
    {
        var d = new Dictionary<long, int>(indices.Length);
        for (int i = 0; i < indices.Length; i++) if (indices[i] != EdgeIndices.Gap) d[indices[i]] = i;
        return d;
    }

    /// <summary>
    /// All values when there are at most <paramref name="limit"/>, otherwise a sample taking every k-th index
    /// along each dim (one k for all dims, the smallest that fits), which is a view and so costs only what it reads.
    /// </summary>
    public static (double[] values, bool sampled) Sample(Tensor t, long limit)
    {
        long n = t.numel();
        if (n <= limit) return (t.ToArray<double>(), false);
        var shape = t.shape.ToArray();
        long step = Math.Max(2, (long)Math.Floor(Math.Pow((double)n / limit, 1.0 / Math.Max(1, shape.Count(d => d > 1)))));
        while (SampledCount(shape, step) > limit) step++;
        var v = t;
        for (int d = 0; d < shape.Length; d++)
            if (shape[d] > 1) v = v.slice(d, null, null, step);
        return (v.ToArray<double>(), true);
    }

    private static long SampledCount(long[] shape, long step)
    {
        long c = 1;
        foreach (var d in shape) c *= d > 1 ? (d + step - 1) / step : d;
        return c;
    }
}
