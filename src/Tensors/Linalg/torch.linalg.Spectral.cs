using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Linalg;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// torch.linalg's orthogonal factorisations and what is built on them: qr, eigh, eigvalsh, svd, svdvals, pinv,
// matrix_rank, lstsq.
public static partial class torch
{
    public static partial class linalg
    {
        /// <summary>QR by Householder reflections; mode 'reduced' (default), 'complete' or 'r' (Q empty).</summary>
        public static QR qr(Tensor A, string mode = "reduced") => QrAs(A, mode, "linalg_qr");

        internal static QR QrAs(Tensor A, string mode, string tupleName)
        {
            Checks.IsMatrix(A, "linalg.qr");
            Checks.FloatingOrComplex(A, "linalg.qr", allowLowPrecision: false);
            // _parse_qr_mode (LinearAlgebraUtils.h)
            int modeCode = mode switch
            {
                "reduced" => 0, "complete" => 1, "r" => 2,
                _ => throw new ArgumentException($"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'"),
            };
            var a = MatrixBatch.Of(A);
            int m = a.Rows, n = a.Cols, k = Math.Min(m, n);
            int qCols = modeCode == 1 ? m : k, rRows = modeCode == 1 ? m : k;
            var Q = MatrixBatch.Zeros(a.BatchShape, m, qCols);
            var R = MatrixBatch.Zeros(a.BatchShape, rRows, n);
            for (int b = 0; b < a.Count; b++)
            {
                var f = a[b];
                var tau = Householder.Factor(f, m, n);
                for (int i = 0; i < Math.Min(rRows, m); i++) for (int j = i; j < n; j++) R[b][i * n + j] = f[i * n + j];
                if (modeCode != 2) Householder.FormQ(f, m, n, tau, qCols).CopyTo(Q[b]);
            }
            var r = R.ToTensor(A);
            var q = modeCode == 2 ? MatrixBatch.ToTensor([], [0], A) : Q.ToTensor(A);
            if (D.LinalgQr.NodeFor(q, [A], extras: [r], ints: [modeCode]) is { } node) { q.WithGrad(node, 0); r.WithGrad(node, 1); }
            return new QR(tupleName, q, r);
        }

        /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors of symmetric matrices, read from the UPLO triangle.</summary>
        public static Eigh eigh(Tensor A, string UPLO = "L")
        {
            // checkUplo (LinearAlgebraUtils.h)
            if (UPLO is not ("L" or "U" or "l" or "u")) throw new ArgumentException($"Expected UPLO argument to be 'L' or 'U', but got {UPLO}");
            Checks.SquareFloat(A, "linalg.eigh");
            var a = MatrixBatch.Of(A);
            int n = a.Rows;
            var L = new double[a.Count * n];
            var V = MatrixBatch.Zeros(a.BatchShape, n, n);
            for (int b = 0; b < a.Count; b++)
            {
                var (values, vectors) = JacobiEigen.Decompose(a[b], n, lower: UPLO is "L" or "l");
                values.CopyTo(L, b * n);
                vectors.CopyTo(V[b]);
            }
            var l = MatrixBatch.ToTensor(L, [.. a.BatchShape, n], A);
            var v = V.ToTensor(A);
            if (D.LinalgEigh.NodeFor(l, [A], extras: [v]) is { } node) { l.WithGrad(node, 0); v.WithGrad(node, 1); }
            return new Eigh(l, v);
        }

        public static Tensor eigvalsh(Tensor A, string UPLO = "L") => eigh(A, UPLO).eigenvalues;

        /// <summary>A = U·diag(S)·Vh, singular values descending (one-sided Jacobi in float64).</summary>
        public static SVD svd(Tensor A, bool full_matrices = true)
        {
            Checks.IsMatrix(A, "linalg.svd");
            Checks.FloatingOrComplex(A, "linalg.svd", allowLowPrecision: false);
            var a = MatrixBatch.Of(A);
            int m = a.Rows, n = a.Cols, k = Math.Min(m, n);
            int uc = full_matrices ? m : k, vr = full_matrices ? n : k;
            var U = MatrixBatch.Zeros(a.BatchShape, m, uc);
            var S = new double[a.Count * k];
            var Vh = MatrixBatch.Zeros(a.BatchShape, vr, n);
            for (int b = 0; b < a.Count; b++)
            {
                var f = a[b];
                foreach (var x in f) if (!double.IsFinite(x))
                        throw new LinAlgError($"linalg.svd{(A.dim() > 2 ? $": (Batch element {b})" : "")}: The algorithm failed to converge because the input matrix contained non-finite values.");
                var (u, s, vh) = JacobiSvd.Decompose(f, m, n, full_matrices);
                u.CopyTo(U[b]); s.CopyTo(S, b * k); vh.CopyTo(Vh[b]);
            }
            var tu = U.ToTensor(A);
            var ts = MatrixBatch.ToTensor(S, [.. a.BatchShape, k], A);
            var tv = Vh.ToTensor(A);
            if (D.LinalgSvd.NodeFor(tu, [A], extras: [ts, tv], ints: [full_matrices ? 1 : 0]) is { } node)
            {
                tu.WithGrad(node, 0); ts.WithGrad(node, 1); tv.WithGrad(node, 2);
            }
            return new SVD(tu, ts, tv);
        }

        /// <summary>The singular values (descending); differentiable through the SVD, as PyTorch's is.</summary>
        public static Tensor svdvals(Tensor A) => svd(A, full_matrices: false).S;

        /// <summary>
        /// The tolerance rule of pinv and matrix_rank (linalg_pinv / linalg_matrix_rank, LinearAlgebra.cpp): with neither
        /// given, rtol = eps(dtype)·max(m, n) and atol = 0; an atol given alone makes rtol 0.
        /// </summary>
        private static (double atol, double rtol) Tolerances(Tensor A, double? atol, double? rtol)
        {
            double eps = A.dtype == float64 ? 2.220446049250313e-16 : 1.1920928955078125e-07;
            double a = atol ?? 0;
            double r = rtol ?? (atol is > 0 ? 0 : eps * Math.Max(A._shape[^2], A._shape[^1]));
            return (a, r);
        }

        /// <summary>Moore–Penrose pseudoinverse from the SVD (or, hermitian, the eigendecomposition); singular values
        /// at or below max(atol, rtol·σ₁) are dropped.</summary>
        public static Tensor pinv(Tensor A, double? atol = null, double? rtol = null, bool hermitian = false)
        {
            Checks.IsMatrix(A, "linalg.pinv");
            Checks.FloatingOrComplex(A, "linalg.pinv", allowLowPrecision: false);
            var (at, rt) = Tolerances(A, atol, rtol);
            Tensor r;
            using (new NoGradScope())
            {
                if (!hermitian)
                {
                    var (U, S, Vh) = svd(A, full_matrices: false);
                    var tol = S.narrow(-1, 0, Math.Min(1, S._shape[^1])).mul(rt).clamp_min(at);
                    var sInv = where(S.gt(tol), S.reciprocal(), zeros([], dtype: S.dtype, device: S.device));
                    r = (Vh.mT * sInv.unsqueeze(-2)).matmul(U.mT);
                }
                else
                {
                    var (L, V) = eigh(A);
                    var absL = L.abs();
                    var tol = absL.amax(-1, keepdim: true).mul(rt).clamp_min(at);
                    var lInv = where(absL.gt(tol), L.reciprocal(), zeros([], dtype: L.dtype, device: L.device));
                    r = (V * lInv.unsqueeze(-2)).matmul(V.mT);
                }
            }
            return D.LinalgPinv.Record(r, A);
        }

        /// <summary>The number of singular values above max(atol, rtol·σ₁) (int64).</summary>
        public static Tensor matrix_rank(Tensor A, double? atol = null, double? rtol = null, bool hermitian = false)
        {
            Checks.IsMatrix(A, "torch.linalg.matrix_rank");
            Checks.FloatingOrComplex(A, "torch.linalg.matrix_rank");
            var (at, rt) = Tolerances(A, atol, rtol);
            using (new NoGradScope())
            {
                var S = hermitian ? eigvalsh(A).abs() : svdvals(A);
                if (S._shape[^1] == 0) return zeros(S._shape[..^1], dtype: int64, device: A.device);
                var tol = S.amax(-1, keepdim: true).mul(rt).clamp_min(at);
                return S.gt(tol).sum(-1, dtype: int64);
            }
        }

        /// <summary>
        /// Least squares min‖AX − B‖ (minimum norm when rank-deficient). The drivers fill the result as PyTorch's CPU
        /// ones do: rank for gelsy (the default), gelsd and gelss; singular_values for gelsd and gelss; residuals (squared
        /// norms of AX − B per column) when m &gt; n, the driver is not gelsy, and every matrix has full rank. Unfilled fields
        /// are empty tensors.
        /// </summary>
        public static Lstsq lstsq(Tensor A, Tensor B, double? rcond = null, string? driver = null)
        {
            Checks.IsMatrix(A, "torch.linalg.lstsq");
            Checks.FloatingOrComplex(A, "torch.linalg.lstsq", allowLowPrecision: false);
            if (A.dtype != B.dtype)
                throw new InvalidOperationException($"torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype {Tensor.DTypeTitle(A.dtype)} and other's dtype {Tensor.DTypeTitle(B.dtype)}");
            string drv = driver ?? "gelsy";
            if (drv is not ("gels" or "gelsy" or "gelsd" or "gelss"))
                throw new ArgumentException($"torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)");
            int dimDiff = A.dim() - B.dim();
            if (dimDiff is not (0 or 1))
                throw new ArgumentException("torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1");
            bool vector = dimDiff == 1;
            var B2 = vector ? B.unsqueeze(-1) : B;
            if (A._shape[^2] != B2._shape[^2])
                throw new ArgumentException(vector
                    ? $"torch.linalg.lstsq: input.size(-2) should match other.size(-1)"
                    : $"torch.linalg.lstsq: input.size(-2) should match other.size(-2)");
            var (ea, eb, batch) = BroadcastBatch(A, B2);
            int m = (int)A._shape[^2], n = (int)A._shape[^1];
            double eps = A.dtype == float64 ? 2.220446049250313e-16 : 1.1920928955078125e-07;
            double rc = rcond ?? eps * Math.Max(m, n);
            var a = MatrixBatch.Of(ea);
            var bb = MatrixBatch.Of(eb);
            int k = bb.Cols, mn = Math.Min(m, n);
            var X = MatrixBatch.Zeros(batch, n, k);
            var ranks = new int[a.Count];
            var svals = new double[a.Count * mn];
            for (int b = 0; b < a.Count; b++)
            {
                // Every driver's answer is the minimum-norm least-squares solution for the rank it decides; here the
                // rank is the count of singular values above rcond·σ₁ (gels assumes full rank and drops nothing).
                var (u, s, vh) = JacobiSvd.Decompose(a[b], m, n, full: false);
                double cut = drv == "gels" ? 0 : rc * (mn > 0 ? s[0] : 0);
                int rank = 0;
                for (int i = 0; i < mn; i++) if (s[i] > cut) rank++;
                ranks[b] = rank;
                s.CopyTo(svals, b * mn);
                var rhs = bb[b]; var x = X[b];
                for (int i = 0; i < rank; i++)
                    for (int c = 0; c < k; c++)
                    {
                        double d = 0;
                        for (int r = 0; r < m; r++) d += u[r * mn + i] * rhs[r * k + c];
                        d /= s[i];
                        for (int j = 0; j < n; j++) x[j * k + c] += vh[i * n + j] * d;
                    }
            }
            var solution = X.ToTensor(A);
            if (vector) using (new NoGradScope()) solution = solution.squeeze(-1);
            solution = D.LinalgLstsq.Record(solution, [A, B], ints: [vector ? 1 : 0]);
            Tensor residuals;
            using (new NoGradScope())
            {
                bool fullRank = ranks.All(r => r == n);
                if (m > n && drv != "gelsy" && (drv == "gels" || fullRank))
                {
                    var sol = vector ? solution.unsqueeze(-1) : solution;
                    residuals = (ea.matmul(sol) - eb).square().sum(-2);
                    if (vector) residuals = residuals.squeeze(-1);
                }
                else residuals = empty([0], dtype: A.dtype, device: A.device);
            }
            var rankT = drv == "gels" ? empty([0], dtype: int64, device: A.device)
                : MatrixBatch.Ints(ranks, batch, int64, A.device);
            var sv = drv is "gelsd" or "gelss" ? MatrixBatch.ToTensor(svals, [.. batch, mn], A) : empty([0], dtype: A.dtype, device: A.device);
            return new Lstsq(solution, residuals, rankT, sv);
        }
    }
}
