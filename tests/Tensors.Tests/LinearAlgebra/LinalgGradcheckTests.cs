using L = Notebooks.Tensors.torch.linalg;

namespace Notebooks.Tensors.Tests.LinearAlgebra;

/// <summary>
/// torch.linalg's derivatives (FunctionsManual.cpp's formulas) against central finite differences with PyTorch's
/// gradcheck defaults (eps 1e-6, atol 1e-5, rtol 1e-3, float64), on batched and single inputs, and second derivatives
/// with gradgradcheck where PyTorch's own OpInfo tests run them. Decompositions whose outputs are defined up to sign
/// (eigh, svd) are checked through sign-invariant functions of them, as PyTorch's tests do.
/// </summary>
public class LinalgGradcheckTests
{
    private static Tensor Rand(params long[] shape)
    {
        var g = new Generator().manual_seed(3);
        return torch.randn(shape, dtype: torch.float64, generator: g).requires_grad_();
    }

    /// <summary>A well-conditioned matrix (A + n·I) as a leaf.</summary>
    private static Tensor WellConditioned(params long[] shape)
    {
        var g = new Generator().manual_seed(5);
        var a = torch.randn(shape, dtype: torch.float64, generator: g) + torch.eye(shape[^1], dtype: torch.float64) * shape[^1];
        return a.detach().requires_grad_();
    }

    /// <summary>A symmetric positive-definite function of a free leaf, so gradcheck may perturb every entry.</summary>
    private static Tensor Spd(Tensor x) => x.matmul(x.mT) + torch.eye(x.shape[^1], dtype: x.dtype) * 0.5;

    private static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) =>
        Assert.That(torch.autograd.gradcheck(f, inputs), Is.True);

    private static void CheckBoth(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        Assert.That(torch.autograd.gradcheck(f, inputs), Is.True);
        Assert.That(torch.autograd.gradgradcheck(f, inputs), Is.True);
    }

    [Test] public void Inv() => CheckBoth(x => L.inv(x[0]), WellConditioned(2, 3, 3));
    [Test] public void Det() => CheckBoth(x => L.det(x[0]), Rand(2, 3, 3));
    [Test] public void Det_of_a_singular_matrix_goes_through_the_svd()
    {
        // Rank 2 of 3: the solve path cannot be used; PyTorch's linalg_det_backward switches to the SVD.
        var a = torch.tensor(new double[] { 1, 2, 3, 2, 4, 6, 1, 0, 1 }).reshape(3, 3).requires_grad_();
        L.det(a).backward();
        // d det / dA = adj(A)ᵀ (cofactor matrix), computed by hand for this A.
        var cof = torch.tensor(new double[] { 4, 4, -4, -2, -2, 2, 0, 0, 0 }).reshape(3, 3);
        Assert.That(torch.allclose(a.grad!, cof, atol: 1e-10), Is.True, a.grad!.ToString());
    }
    [Test] public void Slogdet() => CheckBoth(x => L.slogdet(x[0]).logabsdet, Rand(2, 3, 3));
    [Test] public void Solve_matrix_and_vector_with_broadcast_batches()
    {
        CheckBoth(x => L.solve(x[0], x[1]), WellConditioned(2, 3, 3), Rand(3, 2));
        Check(x => L.solve(x[0], x[1]), WellConditioned(3, 3), Rand(3));
        Check(x => L.solve(x[0], x[1], left: false), WellConditioned(3, 3), Rand(2, 3));
    }
    [Test] public void Solve_triangular()
    {
        Check(x => L.solve_triangular(x[0].triu() + torch.eye(3, dtype: torch.float64) * 3, x[1], upper: true), Rand(3, 3), Rand(3, 2));
        Check(x => L.solve_triangular(x[0].tril() + torch.eye(3, dtype: torch.float64) * 3, x[1], upper: false, left: false), Rand(3, 3), Rand(2, 3));
        Check(x => L.solve_triangular(x[0], x[1], upper: true, unitriangular: true), Rand(3, 3), Rand(3, 2));
    }
    [Test] public void Cholesky()
    {
        CheckBoth(x => L.cholesky(Spd(x[0])), Rand(2, 3, 3));
        Check(x => L.cholesky(Spd(x[0]), upper: true), Rand(3, 3));
    }
    [Test] public void Qr_tall_square_and_wide()
    {
        Check(x => { var (q, r) = L.qr(x[0]); return q.sum(-1) + r.sum(); }, Rand(4, 3));
        Check(x => { var (q, r) = L.qr(x[0]); return torch.cat([q.flatten(), r.flatten()]); }, Rand(2, 3, 3));
        Check(x => { var (q, r) = L.qr(x[0]); return torch.cat([q.flatten(), r.flatten()]); }, Rand(3, 5));
        Check(x => { var (q, r) = L.qr(x[0], mode: "complete"); return torch.cat([q.flatten(), r.flatten()]); }, Rand(3, 5));
    }
    [Test] public void Eigh_through_eigenvalues_and_projectors()
    {
        CheckBoth(x => L.eigvalsh(x[0] + x[0].mT), Rand(2, 4, 4));
        // V·diag(λ)·Vᵀ-like sign-invariant quantity: each eigenvector's outer product (a projector) weighted by index.
        Check(x =>
        {
            var (l, v) = L.eigh(x[0] + x[0].mT);
            var w = torch.arange(1, 5, dtype: torch.float64);
            return (v * w).matmul(v.mT) + l.sum();
        }, Rand(4, 4));
    }
    [Test] public void Svd_through_singular_values_and_sign_invariant_products()
    {
        CheckBoth(x => L.svdvals(x[0]), Rand(2, 4, 3));
        foreach (var shape in new[] { new long[] { 4, 3 }, [3, 5], [3, 3] })
            Check(x =>
            {
                var (u, s, vh) = L.svd(x[0], full_matrices: false);
                // U·diag(w)·Vh with fixed weights w changes sign with neither U nor V alone: sign-invariant.
                var w = torch.arange(1, s.shape[0] + 1, dtype: torch.float64);
                return torch.cat([(u * w).matmul(vh).flatten(), (u * s).matmul(u.mT).flatten()]);
            }, Rand(shape));
        Check(x =>
        {
            var (u, s, vh) = L.svd(x[0], full_matrices: true);
            return (u[.., ..3] * s).matmul(vh[..3]);
        }, Rand(5, 3));
    }
    [Test] public void Pinv_and_lstsq()
    {
        CheckBoth(x => L.pinv(x[0]), Rand(4, 3));
        Check(x => L.pinv(x[0]), Rand(2, 3, 5));
        Check(x => L.pinv(x[0] + x[0].mT, hermitian: true), WellConditioned(3, 3));
        Check(x => L.lstsq(x[0], x[1]).solution, Rand(5, 3), Rand(5, 2));
        Check(x => L.lstsq(x[0], x[1]).solution, Rand(5, 3), Rand(5));
    }
    [Test] public void Lu()
    {
        Check(x => { var (p, l, u) = L.lu(x[0]); return torch.cat([l.flatten(), u.flatten()]); }, Rand(2, 3, 3));
    }
    [Test] public void Vector_and_matrix_norms()
    {
        foreach (var ord in new[] { 2.0, 1, 3, 0.5, double.PositiveInfinity, double.NegativeInfinity, -1.5 })
        {
            CheckBoth(x => L.vector_norm(x[0], ord), Rand(3, 4));
            Check(x => L.vector_norm(x[0], ord, [1], keepdim: true), Rand(3, 4));
        }
        foreach (var ord in new[] { 1.0, -1, 2, -2, double.PositiveInfinity, double.NegativeInfinity })
            Check(x => L.matrix_norm(x[0], ord), Rand(2, 3, 4));
        Check(x => L.matrix_norm(x[0], "nuc"), Rand(3, 4));
        Check(x => L.matrix_norm(x[0]), Rand(3, 4));
    }
}
