using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Linalg;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// torch.linalg's LU and Cholesky family: inv, det, slogdet, solve, solve_triangular, cholesky, lu_factor, lu.
// Forwards run the float64 host factorisations of Linalg/ (see MatrixBatch) and record their derivative rows
// (Autograd/Derivatives/LinearAlgebraDecompositions.cs); results take the input's dtype and device.
public static partial class torch
{
    public static partial class linalg
    {
        /// <summary>The inverse and LAPACK's info per matrix (0, or the first zero diagonal element of U).</summary>
        public static InvEx inv_ex(Tensor A, bool check_errors = false) => InvEx(A, check_errors ? "linalg.inv_ex" : null);

        public static Tensor inv(Tensor A) => InvEx(A, "linalg.inv").inverse;

        private static InvEx InvEx(Tensor A, string? checkAs)
        {
            Checks.SquareFloat(A, "linalg.inv");
            var a = MatrixBatch.Of(A);
            int n = a.Rows;
            var infos = new int[a.Count];
            var result = MatrixBatch.Zeros(a.BatchShape, n, n);
            var piv = new int[n];
            for (int b = 0; b < a.Count; b++)
            {
                var m = a[b];
                infos[b] = Lu.Factor(m, n, n, piv);
                var x = result[b];
                for (int i = 0; i < n; i++) x[i * n + i] = 1;
                if (infos[b] == 0) Lu.Solve(m, piv, n, x, n);
                else x.Fill(double.NaN);   // getri leaves no inverse for a singular matrix
            }
            if (checkAs is not null) Checks.Infos(infos, checkAs, A.dim() > 2);
            var inverse = D.LinalgInvEx.Record(result.ToTensor(A), A);
            return new InvEx(inverse, MatrixBatch.Ints(infos, a.BatchShape, int32, A.device));
        }

        /// <summary>LU factorisations of the batch (one per matrix) with their pivots and info codes.</summary>
        private static (MatrixBatch lu, int[][] pivots, int[] infos) Factor(Tensor A)
        {
            var a = MatrixBatch.Of(A);
            var pivots = new int[a.Count][];
            var infos = new int[a.Count];
            for (int b = 0; b < a.Count; b++)
            {
                pivots[b] = new int[Math.Min(a.Rows, a.Cols)];
                infos[b] = Lu.Factor(a[b], a.Rows, a.Cols, pivots[b]);
            }
            return (a, pivots, infos);
        }

        public static Tensor det(Tensor A)
        {
            Checks.SquareFloat(A, "linalg.det");
            var (lu, pivots, _) = Factor(A);
            var d = new double[lu.Count];
            for (int b = 0; b < lu.Count; b++) d[b] = Lu.Det(lu[b], pivots[b], lu.Rows);
            return D.LinalgDet.Record(MatrixBatch.ToTensor(d, lu.BatchShape, A), A);
        }

        public static SignLogAbsDet slogdet(Tensor A) => SlogdetAs(A, "linalg.slogdet", "linalg_slogdet");

        internal static SignLogAbsDet SlogdetAs(Tensor A, string api, string tupleName)
        {
            Checks.SquareFloat(A, api);
            var (lu, pivots, _) = Factor(A);
            var sign = new double[lu.Count];
            var log = new double[lu.Count];
            for (int b = 0; b < lu.Count; b++) (sign[b], log[b]) = Lu.SignLogAbsDet(lu[b], pivots[b], lu.Rows);
            var s = MatrixBatch.ToTensor(sign, lu.BatchShape, A);
            var l = MatrixBatch.ToTensor(log, lu.BatchShape, A);
            if (D.LinalgSlogdet.NodeFor(s, [A]) is { } node) { s.WithGrad(node, 0); l.WithGrad(node, 1); }
            return new SignLogAbsDet(tupleName, s, l);
        }

        /// <summary>
        /// linalg_solve_is_vector_rhs: B is a (batch of) vector(s) when it is 1-D or has A's shape without its last dim.
        /// </summary>
        private static bool IsVectorRhs(Tensor A, Tensor B) =>
            B.dim() == 1 || (A.dim() - 1 == B.dim() && B._shape.AsSpan().SequenceEqual(A._shape.AsSpan(0, A.dim() - 1)));

        // checkInputsSolver(A, B, left, f_name)
        private static void CheckSolver(Tensor A, Tensor B, bool left, string f)
        {
            Checks.Square(A, f, "A");
            Checks.IsMatrix(B, f, "B");
            if (left ? A._shape[^2] != B._shape[^2] : A._shape[^1] != B._shape[^1])
                throw new ArgumentException($"{f}: Incompatible shapes of A and B for the equation {(left ? "AX = B" : "XA = B")} ({A._shape[^2]}x{A._shape[^1]} and {B._shape[^2]}x{B._shape[^1]})");
        }

        private static void SameDtype(Tensor A, Tensor B, string f)
        {
            if (A.dtype != B.dtype)
                throw new InvalidOperationException($"{f}: Expected A and B to have the same dtype, but found A of type {Tensor.DTypeTitle(A.dtype)} and B of type {Tensor.DTypeTitle(B.dtype)} instead");
        }

        /// <summary>A and B expanded to their broadcast batch shape (views; the host copy reads them).</summary>
        private static (Tensor a, Tensor b, long[] batch) BroadcastBatch(Tensor A, Tensor B)
        {
            var batch = Shapes.Broadcast(A._shape[..^2], B._shape[..^2]);
            using (new NoGradScope())
                return (A.expand([.. batch, A._shape[^2], A._shape[^1]]), B.expand([.. batch, B._shape[^2], B._shape[^1]]), batch);
        }

        public static SolveEx solve_ex(Tensor A, Tensor B, bool left = true, bool check_errors = false) =>
            SolveCore(A, B, left, check_errors ? "linalg.solve_ex" : null);

        public static Tensor solve(Tensor A, Tensor B, bool left = true) => SolveCore(A, B, left, "torch.linalg.solve").result;

        private static SolveEx SolveCore(Tensor A, Tensor B, bool left, string? checkAs)
        {
            Checks.FloatingOrComplex(A, "linalg.solve", allowLowPrecision: false);
            SameDtype(A, B, "linalg.solve");
            if (!left)
            {
                // XA = B is AᵀXᵀ = Bᵀ (the gradient then flows through the transposes).
                var t = SolveCore(A.mT, B.mT, true, checkAs);
                return new SolveEx(t.result.mT, t.info);
            }
            bool vector = IsVectorRhs(A, B);
            var B2 = vector ? B.unsqueeze(-1) : B;
            CheckSolver(A, B2, left: true, "linalg.solve");
            var (ea, eb, batch) = BroadcastBatch(A, B2);
            var a = MatrixBatch.Of(ea);
            var x = MatrixBatch.Of(eb);
            int n = a.Rows, k = x.Cols;
            var infos = new int[a.Count];
            var piv = new int[n];
            for (int b = 0; b < a.Count; b++)
            {
                infos[b] = Lu.Factor(a[b], n, n, piv);
                if (infos[b] == 0) Lu.Solve(a[b], piv, n, x[b], k); else x[b].Fill(double.NaN);
            }
            if (checkAs is not null) Checks.Infos(infos, checkAs, A.dim() > 2);
            var r = x.ToTensor(A);
            if (vector) using (new NoGradScope()) r = r.squeeze(-1);
            r = D.LinalgSolveEx.Record(r, [A, B], ints: [vector ? 1 : 0]);
            return new SolveEx(r, MatrixBatch.Ints(infos, batch, int32, A.device));
        }

        /// <summary>Solves the triangular system AX = B (left) or XA = B; only A's upper or lower triangle is read.</summary>
        public static Tensor solve_triangular(Tensor A, Tensor B, bool upper, bool left = true, bool unitriangular = false)
        {
            Checks.FloatingOrComplex(A, "linalg.solve_triangular", allowLowPrecision: false);
            SameDtype(A, B, "linalg.solve_triangular");
            CheckSolver(A, B, left, "linalg.solve_triangular");
            var (ea, eb, _) = BroadcastBatch(A, B);
            var a = MatrixBatch.Of(ea);
            // XA = B is AᵀXᵀ = Bᵀ: solve with the transposed triangle on Bᵀ.
            var x = MatrixBatch.Of(left ? eb : eb.mT);
            int n = a.Rows, k = x.Cols;
            for (int b = 0; b < a.Count; b++) Cholesky.SolveTriangular(a[b], n, x[b], k, upper, transpose: !left, unitriangular);
            Tensor r = x.ToTensor(A);
            if (!left) using (new NoGradScope()) r = r.mT.contiguous();
            return D.LinalgSolveTriangular.Record(r, [A, B], ints: [upper ? 1 : 0, left ? 1 : 0, unitriangular ? 1 : 0]);
        }

        public static CholeskyEx cholesky_ex(Tensor A, bool upper = false, bool check_errors = false) =>
            CholeskyCore(A, upper, check_errors ? "linalg.cholesky_ex" : null);

        public static Tensor cholesky(Tensor A, bool upper = false) => CholeskyCore(A, upper, "linalg.cholesky").L;

        private static CholeskyEx CholeskyCore(Tensor A, bool upper, string? checkAs)
        {
            Checks.SquareFloat(A, "linalg.cholesky");
            // upper reads A's upper triangle (potrf 'U'): the lower factor of Aᵀ, transposed.
            var a = MatrixBatch.Of(upper ? A.mT : A);
            int n = a.Rows;
            var infos = new int[a.Count];
            for (int b = 0; b < a.Count; b++) infos[b] = Cholesky.Factor(a[b], n);
            if (checkAs is not null) Checks.Infos(infos, checkAs, A.dim() > 2);
            var L = a.ToTensor(A);
            if (upper) using (new NoGradScope()) L = L.mT.contiguous();
            L = D.LinalgCholeskyEx.Record(L, A, ints: [upper ? 1 : 0]);
            return new CholeskyEx(L, MatrixBatch.Ints(infos, a.BatchShape, int32, A.device));
        }

        /// <summary>LU factorisation with partial pivoting: LU packed as LAPACK's getrf, pivots 1-based (int32).</summary>
        public static LuFactor lu_factor(Tensor A, bool pivot = true)
        {
            if (!pivot) throw new ArgumentException("linalg.lu_factor: LU without pivoting is not implemented on the CPU");
            Checks.IsMatrix(A, "torch.lu_factor");
            Checks.FloatingOrComplex(A, "torch.lu_factor", allowLowPrecision: false);
            if (A.requires_grad && GradMode.Enabled)
                throw new NotSupportedException("linalg.lu_factor: its derivative is not implemented here; use linalg.lu, whose P, L, U are differentiable through their product");
            var (lu, pivots, _) = Factor(A);
            int k = Math.Min(lu.Rows, lu.Cols);
            var flat = new int[lu.Count * k];
            for (int b = 0; b < lu.Count; b++) pivots[b].CopyTo(flat, b * k);
            return new LuFactor(lu.ToTensor(A), MatrixBatch.Ints(flat, [.. lu.BatchShape, k], int32, A.device));
        }

        /// <summary>A = P·L·U with P a permutation matrix, L unit lower (m×k), U upper (k×n), k = min(m, n).</summary>
        public static PLU lu(Tensor A, bool pivot = true)
        {
            if (!pivot) throw new ArgumentException("linalg.lu: LU without pivoting is not implemented on the CPU");
            Checks.IsMatrix(A, "linalg.lu");
            Checks.FloatingOrComplex(A, "linalg.lu", allowLowPrecision: false);
            var (lu, pivots, _) = Factor(A);
            int m = lu.Rows, n = lu.Cols, k = Math.Min(m, n);
            var P = MatrixBatch.Zeros(lu.BatchShape, m, m);
            var L = MatrixBatch.Zeros(lu.BatchShape, m, k);
            var U = MatrixBatch.Zeros(lu.BatchShape, k, n);
            for (int b = 0; b < lu.Count; b++)
            {
                var f = lu[b];
                var perm = Enumerable.Range(0, m).ToArray();
                for (int i = 0; i < k; i++) { int q = pivots[b][i] - 1; (perm[i], perm[q]) = (perm[q], perm[i]); }
                // Row i of P·L·U is row perm[i] of A... so P has a one at (perm[i], i).
                for (int i = 0; i < m; i++) P[b][perm[i] * m + i] = 1;
                for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) L[b][i * k + j] = i == j ? 1 : i > j ? f[i * n + j] : 0;
                for (int i = 0; i < k; i++) for (int j = i; j < n; j++) U[b][i * n + j] = f[i * n + j];
            }
            var p = P.ToTensor(A);
            var l = L.ToTensor(A);
            var u = U.ToTensor(A);
            // L and U are outputs 1 and 2 of the node; its formula reads them as saved extras.
            if (D.LinalgLu.NodeFor(p, [A], extras: [l, u]) is { } node) { l.WithGrad(node, 1); u.WithGrad(node, 2); }
            return new PLU(p, l, u);
        }
    }
}
