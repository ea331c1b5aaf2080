namespace Notebooks.Formatters.TensorCards;

/// <summary>Summary statistics over the finite values (NaN and ±Inf are counted, not folded in).</summary>
internal sealed record TensorStats(long Count, double Min, double Max, double Mean, double Std, long NaNs, long Infs, int[] Histogram, bool Sampled)
{
    public static TensorStats Of(double[] values, int bins, bool sampled)
    {
        long nan = 0, inf = 0, n = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, mean = 0, m2 = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) { nan++; continue; }
            if (double.IsInfinity(v)) { inf++; continue; }
            n++;
            // Welford: one pass, and stable for a sample of a million values.
            double delta = v - mean;
            mean += delta / n;
            m2 += delta * (v - mean);
            if (v < min) min = v;
            if (v > max) max = v;
        }
        var hist = new int[bins];
        if (n > 0)
        {
            double width = max - min;
            foreach (var v in values)
            {
                if (!double.IsFinite(v)) continue;
                int b = width > 0 ? (int)((v - min) / width * bins) : bins / 2;
                hist[Math.Clamp(b, 0, bins - 1)]++;
            }
        }
        else { min = max = mean = double.NaN; }
        // Unbiased like torch.std.
        double std = n > 1 ? Math.Sqrt(m2 / (n - 1)) : double.NaN;
        return new TensorStats(n, min, max, mean, std, nan, inf, hist, sampled);
    }
}
