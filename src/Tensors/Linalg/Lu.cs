namespace Notebooks.Tensors.Linalg;

/// <summary>
/// LU factorisation with partial pivoting (LAPACK's getrf/getf2) and what is built on it: solve, inverse, determinant.
/// Row-major, in float64; a batch's matrices are factorised one by one.
/// </summary>
internal static class Lu
{
    /// <summary>
    /// Factorises the m×n matrix <paramref name="a"/> in place into L (unit lower, below the diagonal) and U (on and above).
    /// <paramref name="pivots"/> gets LAPACK's 1-based row interchanges. Returns LAPACK's info: 0, or the 1-based index of
    /// the first exactly zero pivot (the factorisation still completes, as getf2's does).
    /// </summary>
    public static int Factor(Span<double> a, int m, int n, Span<int> pivots)
    {
        int info = 0, k = Math.Min(m, n);
        for (int j = 0; j < k; j++)
        {
            // idamax: the first row with the largest magnitude.
            int p = j; double best = Math.Abs(a[j * n + j]);
            for (int i = j + 1; i < m; i++) { double v = Math.Abs(a[i * n + j]); if (v > best) { best = v; p = i; } }
            pivots[j] = p + 1;
            if (a[p * n + j] != 0)
            {
                if (p != j) for (int c = 0; c < n; c++) (a[j * n + c], a[p * n + c]) = (a[p * n + c], a[j * n + c]);
                double inv = 1.0 / a[j * n + j];
                for (int i = j + 1; i < m; i++) a[i * n + j] *= inv;
            }
            else if (info == 0) info = j + 1;
            for (int i = j + 1; i < m; i++)
            {
                double l = a[i * n + j];
                if (l == 0) continue;
                for (int c = j + 1; c < n; c++) a[i * n + c] -= l * a[j * n + c];
            }
        }
        return info;
    }

    /// <summary>Solves LU·X = P·B in place for the n×k right-hand sides <paramref name="b"/> (getrs).</summary>
    public static void Solve(ReadOnlySpan<double> lu, ReadOnlySpan<int> pivots, int n, Span<double> b, int k)
    {
        for (int i = 0; i < n; i++)
        {
            int p = pivots[i] - 1;
            if (p != i) for (int c = 0; c < k; c++) (b[i * k + c], b[p * k + c]) = (b[p * k + c], b[i * k + c]);
        }
        for (int i = 0; i < n; i++)
            for (int r = 0; r < i; r++)
            {
                double l = lu[i * n + r];
                if (l != 0) for (int c = 0; c < k; c++) b[i * k + c] -= l * b[r * k + c];
            }
        for (int i = n - 1; i >= 0; i--)
        {
            for (int r = i + 1; r < n; r++)
            {
                double u = lu[i * n + r];
                if (u != 0) for (int c = 0; c < k; c++) b[i * k + c] -= u * b[r * k + c];
            }
            double d = 1.0 / lu[i * n + i];
            for (int c = 0; c < k; c++) b[i * k + c] *= d;
        }
    }

    /// <summary>The determinant from a factorisation: the product of U's diagonal, negated once per row interchange.</summary>
    public static double Det(ReadOnlySpan<double> lu, ReadOnlySpan<int> pivots, int n)
    {
        double d = 1;
        for (int i = 0; i < n; i++) { d *= lu[i * n + i]; if (pivots[i] != i + 1) d = -d; }
        return d;
    }

    /// <summary>sign and log|det| from a factorisation (slogdet): the log is summed, so it does not overflow.</summary>
    public static (double sign, double logabs) SignLogAbsDet(ReadOnlySpan<double> lu, ReadOnlySpan<int> pivots, int n)
    {
        double sign = 1, log = 0;
        for (int i = 0; i < n; i++)
        {
            double u = lu[i * n + i];
            if (pivots[i] != i + 1) sign = -sign;
            if (u < 0) sign = -sign;
            else if (u == 0) sign = 0;
            log += Math.Log(Math.Abs(u));
        }
        return (sign, log);
    }
}
