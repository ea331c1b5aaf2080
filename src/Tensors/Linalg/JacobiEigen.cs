namespace Notebooks.Tensors.Linalg;

/// <summary>
/// Symmetric eigendecomposition by the cyclic Jacobi method (rotations zero one off-diagonal pair at a time until the
/// off-diagonal part is below rounding): slower than LAPACK's tridiagonal syevd but simple and accurate to a few ulps of
/// ‖A‖ in float64. Eigenvalues come out ascending, as PyTorch's eigh returns them.
/// </summary>
internal static class JacobiEigen
{
    /// <summary>
    /// Eigenvalues (ascending) and eigenvectors (the columns of the row-major n×n vectors) of the
    /// symmetric matrix whose lower (or upper) triangle <paramref name="a"/> holds; <paramref name="a"/> is overwritten.
    /// </summary>
    public static (double[] values, double[] vectors) Decompose(Span<double> a, int n, bool lower)
    {
        // Symmetrise from the triangle PyTorch reads (UPLO).
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (lower) a[i * n + j] = a[j * n + i]; else a[j * n + i] = a[i * n + j];
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        double norm = 0;
        for (int i = 0; i < n * n; i++) norm += a[i] * a[i];
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (off <= 1e-34 * norm || off == 0) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (apq == 0) continue;
                    double app = a[p * n + p], aqq = a[q * n + q];
                    // Skip a pair already negligible beside both diagonal entries (it cannot change them).
                    if (Math.Abs(apq) < 1e-18 * Math.Abs(app) && Math.Abs(apq) < 1e-18 * Math.Abs(aqq)) { a[p * n + q] = a[q * n + p] = 0; continue; }
                    double theta = (aqq - app) / (2 * apq);
                    double t = (theta >= 0 ? 1 : -1) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (double.IsInfinity(theta * theta)) t = 1 / (2 * theta);
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    a[p * n + q] = a[q * n + p] = 0;
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
        }
        var diag = new double[n];
        for (int i = 0; i < n; i++) diag[i] = a[i * n + i];
        var order = Enumerable.Range(0, n).OrderBy(i => diag[i]).ToArray();
        var values = new double[n];
        var vectors = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            values[j] = a[order[j] * n + order[j]];
            for (int k = 0; k < n; k++) vectors[k * n + j] = v[k * n + order[j]];
        }
        return (values, vectors);
    }
}
