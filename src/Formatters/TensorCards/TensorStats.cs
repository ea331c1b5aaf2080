namespace Notebooks.Formatters.TensorCards;

/// <summary>
/// Summary statistics of a tensor's values, as torch computes them over its non-NaN values
/// (<c>t[~t.isnan()].min()</c>, <c>.max()</c>, <c>.mean()</c>, <c>.std()</c>): ±inf take part, so an all-inf tensor
/// has min inf, max inf, mean inf and std nan, and [1, inf] has mean inf. NaNs are counted and shown on their own
/// (a single NaN would otherwise make every statistic nan). The histogram bins the finite values.
/// </summary>
internal sealed record TensorStats(long Count, long Finite, double Min, double Max, double FiniteMin, double FiniteMax, double Mean, double Std, long NaNs, long Infs, int[] Histogram, bool Sampled)
{
    public static TensorStats Of(double[] values, int bins, bool sampled)
    {
        long nan = 0, posInf = 0, negInf = 0, n = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, fmin = double.PositiveInfinity, fmax = double.NegativeInfinity, mean = 0, m2 = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) { nan++; continue; }
            if (v < min) min = v;
            if (v > max) max = v;
            if (double.IsPositiveInfinity(v)) { posInf++; continue; }
            if (double.IsNegativeInfinity(v)) { negInf++; continue; }
            n++;
            // Welford: one pass, and stable for a sample of a million values.
            double delta = v - mean;
            mean += delta / n;
            m2 += delta * (v - mean);
            if (v < fmin) fmin = v;
            if (v > fmax) fmax = v;
        }
        long count = n + posInf + negInf;
        var hist = new int[bins];
        if (n > 0)
        {
            double width = fmax - fmin;
            foreach (var v in values)
            {
                if (!double.IsFinite(v)) continue;
                int b = width > 0 ? (int)((v - fmin) / width * bins) : bins / 2;
                hist[Math.Clamp(b, 0, bins - 1)]++;
            }
        }
        double std;
        if (count == 0) { min = max = mean = std = double.NaN; }
        else
        {
            // An infinity makes the sum ±inf (nan when both signs meet) and every deviation from the mean nan.
            if (posInf > 0 || negInf > 0) mean = posInf > 0 && negInf > 0 ? double.NaN : posInf > 0 ? double.PositiveInfinity : double.NegativeInfinity;
            // Unbiased like torch.std: nan for a single value, nan with any infinity.
            std = count > 1 && posInf + negInf == 0 ? Math.Sqrt(m2 / (n - 1)) : double.NaN;
        }
        return new TensorStats(count, n, min, max, fmin, fmax, mean, std, nan, posInf + negInf, hist, sampled);
    }
}
