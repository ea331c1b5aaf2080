using L = Notebooks.Tensors.torch.linalg;

namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for torch.linalg's factorisations, with FunctionsManual.cpp's formulas (real case) written
// with differentiable ops, so create_graph gives second derivatives: linalg_det_backward, slogdet_backward, the inverse's
// −A⁻ᴴ·g·A⁻ᴴ, linalg_solve_backward, linalg_solve_triangular_backward, cholesky_backward, linalg_qr_backward,
// linalg_lu_backward (square), linalg_eig_backward (hermitian), svd_backward, pinv_backward, linalg_lstsq_backward and
// norm_backward. Outputs other than output 0 (R, V, S, Vh, L, U) are saved as extras.
internal static partial class Derivatives
{
    public static readonly Derivative
        LinalgInvEx = new("LinalgInvExBackward0",
            (Saves.Result, static c => { var iH = c.result.mH; return -iH.matmul(c.grad.matmul(iH)); })),
        LinalgDet = new("LinalgDetBackward0", (Saves.Self | Saves.Result, static c => DetBackward(c.grad, c.self, c.result))),
        LinalgSlogdet = Derivative.MultiOutput("LinalgSlogdetBackward0", 2, (Saves.Self, static c => SlogdetBackward(c))),
        LinalgSolveEx = Derivative.AllInputs("LinalgSolveExBackward0", Saves.Self | Saves.Result, static c => SolveBackward(c)),
        LinalgSolveTriangular = Derivative.AllInputs("LinalgSolveTriangularBackward0", Saves.Self | Saves.Result, static c => SolveTriangularBackward(c)),
        LinalgCholeskyEx = new("LinalgCholeskyExBackward0", (Saves.Result, static c => CholeskyBackward(c.grad, c.result, c.ints[0] != 0))),
        LinalgQr = Derivative.MultiOutput("LinalgQrBackward0", 2, (Saves.Result | Saves.Extra0, static c => QrBackward(c))),
        LinalgLu = Derivative.MultiOutput("LinalgLuBackward0", 3, (Saves.Result | Saves.Extra0 | Saves.Extra1, static c => LuBackward(c))),
        LinalgEigh = Derivative.MultiOutput("LinalgEighBackward0", 2, (Saves.Result | Saves.Extra0, static c => EighBackward(c))),
        LinalgSvd = Derivative.MultiOutput("LinalgSvdBackward0", 3, (Saves.Result | Saves.Extra0 | Saves.Extra1, static c => SvdBackward(c))),
        LinalgPinv = new("LinalgPinvBackward0", (Saves.Self | Saves.Result, static c => PinvBackward(c.grad, c.result, c.self))),
        LinalgLstsq = Derivative.AllInputs("LinalgLstsqBackward0", Saves.Self | Saves.Other, static c => LstsqBackward(c)),
        LinalgVectorNorm = new("LinalgVectorNormBackward0", (Saves.Self | Saves.Result, static c => NormBackward(c)));

    private static Tensor Eye(Tensor like, long n) => torch.eye(n, dtype: like.dtype, device: like.device);

    /// <summary>A diagonal matrix (batched) from the last dim of <paramref name="d"/>, differentiably.</summary>
    internal static Tensor DiagEmbed(Tensor d) => d.unsqueeze(-1) * Eye(d, d._shape[^1]);

    /// <summary>A square matrix (batched) with its diagonal replaced by ones.</summary>
    private static Tensor OnesOnDiagonal(Tensor e)
    {
        var eye = Eye(e, e._shape[^1]).to(torch.@bool);
        return torch.where(eye, torch.ones([], dtype: e.dtype, device: e.device), e);
    }

    // linalg_det_backward: g·det·A⁻ᴴ through a solve where the matrix is safely invertible; where |det| < eps·‖A‖_F
    // (PyTorch's singular_det_cutoff) through the SVD, det = det(U)·det(Vh)·∏σ, whose gradient
    // U·diag(∏_{j≠i}σⱼ·g·det(U)det(Vh))·Vh needs no inverse.
    private static Tensor DetBackward(Tensor g, Tensor A, Tensor det)
    {
        Tensor isSingular;
        double eps = A.dtype == torch.float64 ? 2.220446049250313e-16 : 1.1920928955078125e-07;
        using (new NoGradScope()) isSingular = det.abs().lt(L.matrix_norm(A) * eps);
        bool any, all;
        using (new NoGradScope()) { any = isSingular.any().item<bool>(); all = isSingular.all().item<bool>(); }
        var gd = (g * det).unsqueeze(-1).unsqueeze(-1);
        Tensor Nonsingular() => L.solve_ex(A.mH, gd * Eye(A, A.shape[^1])).result;
        if (!any) return Nonsingular();
        var (U, S, Vh) = L.svd(A, full_matrices: false);
        var alpha = (L.det(U) * L.det(Vh)).unsqueeze(-1);
        var k = S.shape[^1];
        var others = torch.where(Eye(S, k).to(torch.@bool), torch.ones([], dtype: S.dtype, device: S.device), S.unsqueeze(-2).expand([.. S._shape[..^1], k, k])).prod(-1);
        var Dg = others * (g.unsqueeze(-1) * alpha);
        var singular = (U * Dg.unsqueeze(-2)).matmul(Vh);
        return all ? singular : torch.where(isSingular.unsqueeze(-1).unsqueeze(-1), singular, Nonsingular());
    }

    // slogdet_backward (real): only logabsdet has a gradient, g·A⁻ᴴ.
    private static Tensor? SlogdetBackward(BackwardContext c)
    {
        if (c.grads[1] is not { } g) return null;
        var A = c.self;
        return L.solve(A.mH, g.unsqueeze(-1).unsqueeze(-1) * Eye(A, A._shape[^1]));
    }

    // linalg_solve_backward: gB = A⁻ᴴ·gX, gA = −gB·Xᴴ (vectors as one-column matrices).
    private static Tensor?[] SolveBackward(BackwardContext c)
    {
        bool vector = c.ints[0] != 0;
        var A = c.self; var X = c.result; var gX = c.grad;
        if (vector) { X = X.unsqueeze(-1); gX = gX.unsqueeze(-1); }
        var gB = L.solve(A.mH, gX);
        var gA = c.needs(0) ? -gB.matmul(X.mH) : null;
        return [gA, c.needs(1) ? (vector ? gB.squeeze(-1) : gB) : null];
    }

    // linalg_solve_triangular_backward
    private static Tensor?[] SolveTriangularBackward(BackwardContext c)
    {
        bool upper = c.ints[0] != 0, left = c.ints[1] != 0, unit = c.ints[2] != 0;
        var A = c.self; var X = c.result;
        var gB = L.solve_triangular(A.mH, c.grad, upper: !upper, left: left, unitriangular: unit);
        Tensor? gA = null;
        if (c.needs(0))
        {
            var g = left ? -gB.matmul(X.mH) : -X.mH.matmul(gB);
            gA = upper ? g.triu(unit ? 1 : 0) : g.tril(unit ? -1 : 0);
        }
        return [gA, c.needs(1) ? gB : null];
    }

    // cholesky_backward: gA = L⁻ᴴ·Φ(Lᴴ·gL)·L⁻¹ with Φ taking the lower triangle and halving the diagonal, symmetrised.
    private static Tensor CholeskyBackward(Tensor gL, Tensor Lr, bool upper)
    {
        var L_ = upper ? Lr.mH : Lr;
        var gL_ = upper ? gL.mH : gL;
        var gA = L_.mH.matmul(gL_).tril();
        gA = 0.5 * (gA + gA.tril(-1).mH);
        gA = L.solve_triangular(L_.mH, gA, upper: true, left: true);
        return L.solve_triangular(L_, gA, upper: false, left: false);
    }

    // linalg_qr_backward: for m ≥ n, gA = [gQ + Q·copyltu(M)]·R⁻ᴴ with M = R·gRᴴ − gQᴴ·Q; for m < n, A = [X | Y] with
    // X = Q·U square, the square rule on X with gQ + Y·gVᴴ, and Q·gV for Y.
    private static Tensor QrBackward(BackwardContext c)
    {
        long mode = c.ints[0];
        if (mode == 2)
            throw new InvalidOperationException("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
        var Q = c.result; var R = c.extra(0);
        long m = Q._shape[^2], n = R._shape[^1];
        if (mode == 1 && m > n) throw new InvalidOperationException("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
        var gQ = c.grads[0] ?? torch.zeros_like(Q);
        var gR = c.grads[1] ?? torch.zeros_like(R);
        if (m >= n) return QrTall(gQ, gR, Q, R);
        var U = R.narrow(-1, 0, m); var V = R.narrow(-1, m, n - m);
        var gU = gR.narrow(-1, 0, m); var gV = gR.narrow(-1, m, n - m);
        var Y = Q.matmul(V);
        var gX = QrTall(gQ + Y.matmul(gV.mH), gU, Q, U);
        return torch.cat([gX, Q.matmul(gV)], -1);
    }

    private static Tensor QrTall(Tensor gQ, Tensor gR, Tensor Q, Tensor R)
    {
        var M = R.matmul(gR.mH) - gQ.mH.matmul(Q);
        var copyltu = M.tril() + M.tril(-1).mH;
        var b = gQ + Q.matmul(copyltu);
        // b·R⁻ᴴ: X·Rᴴ = b with Rᴴ lower triangular.
        return L.solve_triangular(R.mH, b, upper: false, left: false);
    }

    // linalg_lu_backward, square case: gA = P·L⁻ᴴ·[tril₋₁(Lᴴ·gL) + triu(gU·Uᴴ)]·U⁻ᴴ.
    private static Tensor LuBackward(BackwardContext c)
    {
        var P = c.result; var Lf = c.extra(0); var U = c.extra(1);
        if (Lf._shape[^2] != U._shape[^1])
            throw new NotSupportedException("linalg.lu: the derivative is implemented for square matrices only");
        Tensor? phi = c.grads[1] is { } gL ? Lf.mH.matmul(gL).tril(-1) : null;
        if (c.grads[2] is { } gU) { var t = gU.matmul(U.mH).triu(); phi = phi is null ? t : phi + t; }
        if (phi is null) return torch.zeros_like(P);
        var gA = L.solve_triangular(U.mH, phi, upper: false, left: false);
        gA = L.solve_triangular(Lf.mH, gA, upper: true, left: true, unitriangular: true);
        return P.matmul(gA);
    }

    // linalg_eig_backward, hermitian: gA = V·(diag(gL) + skew(Vᴴ·gV)/E)·Vᴴ, E[i,j] = λⱼ − λᵢ.
    private static Tensor? EighBackward(BackwardContext c)
    {
        var Lv = c.result; var V = c.extra(0);
        var gL = c.grads[0]; var gV = c.grads[1];
        if (gL is null && gV is null) return null;
        Tensor inner;
        if (gV is not null)
        {
            var VhgV = V.mH.matmul(gV);
            VhgV = 0.5 * (VhgV - VhgV.mH);
            var E = OnesOnDiagonal(Lv.unsqueeze(-2) - Lv.unsqueeze(-1));
            inner = VhgV / E;
            if (gL is not null) inner = inner + DiagEmbed(gL);
        }
        else inner = DiagEmbed(gL!);
        return V.matmul(inner.matmul(V.mH));
    }

    // svd_backward (real): gA = U·[(J·S + S·K)/E + diag(gS)]·Vh + (I − UUᴴ)·gU·S⁻¹·Vh + U·S⁻¹·gVᴴ·(I − VVᴴ),
    // J = skew(Uᴴ·gU), K = skew(Vᴴ·gV), E[i,j] = σⱼ² − σᵢ²; full_matrices narrows to the first k vectors first.
    private static Tensor? SvdBackward(BackwardContext c)
    {
        var U = c.result; var S = c.extra(0); var Vh = c.extra(1);
        var gU = c.grads[0]; var gS = c.grads[1]; var gVh = c.grads[2];
        long k = S._shape[^1];
        if (c.ints[0] != 0)
        {
            U = U.narrow(-1, 0, k); Vh = Vh.narrow(-2, 0, k);
            gU = gU?.narrow(-1, 0, k); gVh = gVh?.narrow(-2, 0, k);
        }
        if (gU is null && gVh is null)
            return gS is null ? null : (U * gS.unsqueeze(-2)).matmul(Vh);
        long m = U._shape[^2], n = Vh._shape[^1];
        var V = Vh.mH; var gV = gVh?.mH;
        var S2 = S * S;
        var E = OnesOnDiagonal(S2.unsqueeze(-2) - S2.unsqueeze(-1));
        Tensor? J = null, K = null;
        if (gU is not null) { var t = U.mH.matmul(gU); J = t - t.mH; }
        if (gV is not null) { var t = V.mH.matmul(gV); K = t - t.mH; }
        Tensor inner = J is not null && K is not null ? (J * S.unsqueeze(-2) + S.unsqueeze(-1) * K) / E
            : J is not null ? J * S.unsqueeze(-2) / E : S.unsqueeze(-1) * K! / E;
        if (gS is not null) inner = inner + DiagEmbed(gS);
        var gA = U.matmul(inner);
        if (m > k && gU is not null)
        {
            var gUSinv = gU / S.unsqueeze(-2);
            gA = gA + (gUSinv - U.matmul(U.mH.matmul(gUSinv)));
        }
        gA = gA.matmul(Vh);
        if (n > k && gV is not null)
        {
            var gVSinv = gV / S.unsqueeze(-2);
            gA = gA + U.matmul((gVSinv - V.matmul(V.mH.matmul(gVSinv))).mH);
        }
        return gA;
    }

    // pinv_backward, choosing the product order that keeps matrices smallest.
    private static Tensor PinvBackward(Tensor grad, Tensor pinvA, Tensor A)
    {
        long m = A._shape[^2], n = A._shape[^1];
        var pinvAh = pinvA.mH; var gradh = grad.mH;
        if (m <= n)
        {
            var K = gradh.matmul(pinvA);
            var KpinvAh = K.matmul(pinvAh);
            return -(pinvA.matmul(K)).mH + KpinvAh - A.matmul(pinvA).matmul(KpinvAh) + pinvAh.matmul(pinvA).matmul(gradh - K.matmul(A));
        }
        else
        {
            var K = pinvA.matmul(gradh);
            var pinvAhK = pinvAh.matmul(K);
            return -(K.matmul(pinvA)).mH + (gradh - A.matmul(K)).matmul(pinvA).matmul(pinvAh) + pinvAhK - pinvAhK.matmul(pinvA).matmul(A);
        }
    }

    // linalg_lstsq_backward: through the pseudoinverse, X = A⁺B.
    private static Tensor?[] LstsqBackward(BackwardContext c)
    {
        bool vector = c.ints[0] != 0;
        var A = c.self; var B = c.other; var gX = c.grad;
        if (vector) { B = B.unsqueeze(-1); gX = gX.unsqueeze(-1); }
        var pinvA = L.pinv(A);
        Tensor? gA = c.needs(0) ? PinvBackward(gX.matmul(B.mH), pinvA, A) : null;
        Tensor? gB = null;
        if (c.needs(1)) { gB = pinvA.mH.matmul(gX); if (vector) gB = gB.squeeze(-1); }
        return [gA, gB];
    }

    // norm_backward (FunctionsManual.cpp): by order 0, 1, 2, ±inf (shared evenly between the maxima), other p.
    private static Tensor NormBackward(BackwardContext c)
    {
        var x = c.self; var norm = c.result; var grad = c.grad;
        double p = c.scalar.Double;
        var dims = c.ints;
        if (!c.keepdim && x.dim() > 0)
        {
            var all = dims.Length == 0 ? Enumerable.Range(0, x.dim()).Select(i => (long)i).ToArray() : dims;
            foreach (var d in all.Order()) { grad = grad.unsqueeze((int)d); norm = norm.unsqueeze((int)d); }
        }
        if (p == 0) return torch.zeros_like(x);
        if (p == 1) return x.sign() * grad;
        if (p == 2) return x * (grad / norm).masked_fill(norm.eq(0.0), 0);
        if (double.IsInfinity(p))
        {
            var isMax = (x.abs().eq(norm) | (x.isnan() & norm.isnan())).to(norm.dtype);
            var all = dims.Length == 0 ? Enumerable.Range(0, x.dim()).Select(i => (long)i).ToArray() : dims;
            var count = all.Length == 0 ? isMax : isMax.sum(all, keepdim: true);
            return x.sign() * isMax * (grad / count);
        }
        var selfScaled = (x.sign() * x.abs().pow(p - 1)).masked_fill(x.eq(0.0), 0);
        var scale = (grad / norm.pow(p - 1)).masked_fill(norm.eq(0.0), 0);
        return selfScaled * scale;
    }
}
