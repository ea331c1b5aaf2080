namespace Notebooks.Tensors.Linalg;

/// <summary>
/// Householder QR as LAPACK's geqr2/org2r: each reflector H = I − τ·v·vᵀ is made by dlarfg (β = −sign(α)·‖x‖), so R's
/// diagonal carries the sign LAPACK gives it and Q, R equal PyTorch's up to rounding (QR is unique once that sign is fixed).
/// </summary>
internal static class Householder
{
    /// <summary>Factorises m×n <paramref name="a"/> in place: R on and above the diagonal, the reflectors' v below; returns τ.</summary>
    public static double[] Factor(Span<double> a, int m, int n)
    {
        int k = Math.Min(m, n);
        var tau = new double[k];
        for (int j = 0; j < k; j++)
        {
            double alpha = a[j * n + j], xnorm = 0;
            for (int i = j + 1; i < m; i++) xnorm = Hypot(xnorm, a[i * n + j]);
            if (xnorm == 0) { tau[j] = 0; continue; }
            double beta = -Math.CopySign(Hypot(alpha, xnorm), alpha);
            tau[j] = (beta - alpha) / beta;
            double scale = 1.0 / (alpha - beta);
            for (int i = j + 1; i < m; i++) a[i * n + j] *= scale;
            a[j * n + j] = beta;
            // Apply H to the trailing columns.
            for (int c = j + 1; c < n; c++)
            {
                double w = a[j * n + c];
                for (int i = j + 1; i < m; i++) w += a[i * n + j] * a[i * n + c];
                w *= tau[j];
                a[j * n + c] -= w;
                for (int i = j + 1; i < m; i++) a[i * n + c] -= w * a[i * n + j];
            }
        }
        return tau;
    }

    /// <summary>The first <paramref name="cols"/> columns of Q = H₁·H₂·…·Hₖ (org2r), an m×cols row-major matrix.</summary>
    public static double[] FormQ(ReadOnlySpan<double> a, int m, int n, double[] tau, int cols)
    {
        var q = new double[m * cols];
        for (int i = 0; i < Math.Min(m, cols); i++) q[i * cols + i] = 1;
        for (int j = tau.Length - 1; j >= 0; j--)
        {
            if (tau[j] == 0) continue;
            for (int c = 0; c < cols; c++)
            {
                double w = q[j * cols + c];
                for (int i = j + 1; i < m; i++) w += a[i * n + j] * q[i * cols + c];
                w *= tau[j];
                q[j * cols + c] -= w;
                for (int i = j + 1; i < m; i++) q[i * cols + c] -= w * a[i * n + j];
            }
        }
        return q;
    }

    // dnrm2-like accumulation without overflow or underflow.
    private static double Hypot(double a, double b)
    {
        a = Math.Abs(a); b = Math.Abs(b);
        if (a < b) (a, b) = (b, a);
        if (a == 0) return 0;
        double r = b / a;
        return a * Math.Sqrt(1 + r * r);
    }
}
