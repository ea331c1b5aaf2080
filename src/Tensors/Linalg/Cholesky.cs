namespace Notebooks.Tensors.Linalg;

/// <summary>Cholesky factorisation (LAPACK's potrf, lower) and triangular solves (trsm), row-major float64.</summary>
internal static class Cholesky
{
    /// <summary>
    /// Overwrites the n×n matrix <paramref name="a"/> with L (A = L·Lᵀ), reading only A's lower triangle; the strict upper
    /// triangle is zeroed. Returns 0, or the order of the first leading minor that is not positive-definite (potrf's
    /// info), leaving the rest of the factor partial as LAPACK does.
    /// </summary>
    public static int Factor(Span<double> a, int n)
    {
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) a[i * n + j] = 0;
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (!(d > 0)) return j + 1;   // also catches NaN
            double l = Math.Sqrt(d);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / l;
            }
        }
        return 0;
    }

    /// <summary>
    /// Solves op(T)·X = B in place for the n×k right-hand sides <paramref name="b"/>, T n×n triangular (upper or lower),
    /// op(T) = T or Tᵀ; with <paramref name="unit"/> the diagonal is taken as ones.
    /// </summary>
    public static void SolveTriangular(ReadOnlySpan<double> t, int n, Span<double> b, int k, bool upper, bool transpose, bool unit)
    {
        // op(T) is upper when exactly one of (upper, transpose) holds; element (i, r) of op(T):
        bool effUpper = upper ^ transpose;
        double At(ReadOnlySpan<double> tt, int i, int r) => transpose ? tt[r * n + i] : tt[i * n + r];
        if (effUpper)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                for (int r = i + 1; r < n; r++) { double v = At(t, i, r); if (v != 0) for (int c = 0; c < k; c++) b[i * k + c] -= v * b[r * k + c]; }
                if (!unit) { double d = At(t, i, i); for (int c = 0; c < k; c++) b[i * k + c] /= d; }
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                for (int r = 0; r < i; r++) { double v = At(t, i, r); if (v != 0) for (int c = 0; c < k; c++) b[i * k + c] -= v * b[r * k + c]; }
                if (!unit) { double d = At(t, i, i); for (int c = 0; c < k; c++) b[i * k + c] /= d; }
            }
        }
    }
}
