namespace Notebooks.Tensors.Linalg;

/// <summary>
/// Singular value decomposition by one-sided Jacobi (Hestenes): columns are rotated pairwise until all are orthogonal;
/// their norms are the singular values (high relative accuracy in float64), the rotations accumulate V. Singular values
/// come out descending, as PyTorch's. Left singular vectors of zero (or negligible) singular values, and the extra
/// columns full_matrices asks for, are completed to an orthonormal basis by Gram–Schmidt, since any completion is a
/// valid SVD (LAPACK's is one of them; PyTorch documents no choice).
/// </summary>
internal static class JacobiSvd
{
    /// <summary>
    /// A = U·diag(S)·Vh for the row-major m×n <paramref name="a"/> (not modified). U is m×(full ? m : k), Vh is
    /// (full ? n : k)×n, k = min(m, n).
    /// </summary>
    public static (double[] u, double[] s, double[] vh) Decompose(ReadOnlySpan<double> a, int m, int n, bool full)
    {
        if (m >= n) return Tall(a, m, n, full);
        // Aᵀ = U'·S·V'ᵀ, so A = V'·S·U'ᵀ: U = V', Vh = U'ᵀ.
        var at = new double[n * m];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) at[j * m + i] = a[i * n + j];
        var (u2, s, vh2) = Tall(at, n, m, full);
        int ucols = full ? n : m;   // U' is n×ucols, Vh' is m×m
        var u = new double[m * m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) u[i * m + j] = vh2[j * m + i];
        var vh = new double[ucols * n];
        for (int i = 0; i < ucols; i++) for (int j = 0; j < n; j++) vh[i * n + j] = u2[j * ucols + i];
        return (u, s, vh);
    }

    private static (double[] u, double[] s, double[] vh) Tall(ReadOnlySpan<double> a, int m, int n, bool full)
    {
        // Column-major copy: column j is g[j*m .. j*m+m).
        var g = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) g[j * m + i] = a[i * n + j];
        var v = new double[n * n];   // column-major too
        for (int j = 0; j < n; j++) v[j * n + j] = 1;
        const double eps = 2.220446049250313e-16;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    var gp = g.AsSpan(p * m, m); var gq = g.AsSpan(q * m, m);
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < m; i++) { alpha += gp[i] * gp[i]; beta += gq[i] * gq[i]; gamma += gp[i] * gq[i]; }
                    if (gamma == 0 || Math.Abs(gamma) <= eps * Math.Sqrt(alpha * beta)) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = (zeta >= 0 ? 1 : -1) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    if (double.IsInfinity(zeta * zeta)) t = 1 / (2 * zeta);
                    double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
                    for (int i = 0; i < m; i++) { double x = gp[i], y = gq[i]; gp[i] = c * x - s * y; gq[i] = s * x + c * y; }
                    var vp = v.AsSpan(p * n, n); var vq = v.AsSpan(q * n, n);
                    for (int i = 0; i < n; i++) { double x = vp[i], y = vq[i]; vp[i] = c * x - s * y; vq[i] = s * x + c * y; }
                }
            if (!rotated) break;
        }
        var norms = new double[n];
        for (int j = 0; j < n; j++) { double s2 = 0; for (int i = 0; i < m; i++) s2 += g[j * m + i] * g[j * m + i]; norms[j] = Math.Sqrt(s2); }
        var order = Enumerable.Range(0, n).OrderByDescending(j => norms[j]).ToArray();
        var sv = new double[n];
        int ucols = full ? m : n;
        var u = new double[m * ucols];          // row-major
        var vh = new double[n * n];             // row-major: row i is V's column order[i]
        double smax = n > 0 ? norms[order[0]] : 0;
        var done = new List<int>();
        for (int r = 0; r < n; r++)
        {
            int j = order[r];
            sv[r] = norms[j];
            for (int i = 0; i < n; i++) vh[r * n + i] = v[j * n + i];
            // A column of negligible norm carries no direction: leave it for the completion below.
            if (norms[j] > 0 && norms[j] > smax * eps * Math.Max(m, n))
            {
                for (int i = 0; i < m; i++) u[i * ucols + r] = g[j * m + i] / norms[j];
                done.Add(r);
            }
        }
        Complete(u, m, ucols, done);
        return (u, sv, vh);
    }

    /// <summary>Fills the columns of the m×cols row-major <paramref name="u"/> not in <paramref name="done"/> with an
    /// orthonormal basis of the complement of the others: the trailing columns of the complete Householder Q of the
    /// columns already there (O(m²·cols), so full_matrices on a tall matrix stays cheap).</summary>
    internal static void Complete(double[] u, int m, int cols, List<int> done)
    {
        var missing = Enumerable.Range(0, cols).Except(done).ToList();
        if (missing.Count == 0) return;
        int d = done.Count;
        var a = new double[m * Math.Max(d, 1)];
        for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) a[i * d + j] = u[i * cols + done[j]];
        var q = d == 0 ? Identity(m) : Householder.FormQ(a, m, d, Householder.Factor(a, m, d), m);
        for (int r = 0; r < missing.Count; r++)
            for (int i = 0; i < m; i++) u[i * cols + missing[r]] = q[i * m + d + r];
    }

    private static double[] Identity(int m)
    {
        var q = new double[m * m];
        for (int i = 0; i < m; i++) q[i * m + i] = 1;
        return q;
    }
}
