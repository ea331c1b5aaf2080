using L = Notebooks.Tensors.torch.linalg;

namespace Notebooks.Tensors.Tests.LinearAlgebra;

/// <summary>
/// PyTorch's documented examples (docs/source of torch.linalg.norm, matrix_norm, vector_norm, matrix_rank, multi_dot,
/// torch.cdist, addr, tensordot), error wording (aten/src/ATen/native/LinearAlgebraUtils.h's checks and
/// BatchLinearAlgebra.cpp's _linalg_check_errors), grad_fn names, named-tuple reprs and conventions (ascending
/// eigenvalues, descending singular values, orthonormal factors).
/// </summary>
public class LinalgBehaviourTests
{
    private static string R(Tensor t) => t.ToString();

    [Test]
    public void Norm_examples_from_the_documentation()
    {
        var a = torch.arange(9, dtype: torch.float32) - 4;
        var b = a.reshape(3, 3);
        Assert.That(R(L.norm(a)), Is.EqualTo("tensor(7.7460)"));
        Assert.That(R(L.norm(b)), Is.EqualTo("tensor(7.7460)"));
        Assert.That(R(L.norm(b, "fro")), Is.EqualTo("tensor(7.7460)"));
        Assert.That(R(L.norm(a, double.PositiveInfinity)), Is.EqualTo("tensor(4.)"));
        Assert.That(R(L.norm(b, double.PositiveInfinity)), Is.EqualTo("tensor(9.)"));
        Assert.That(R(L.norm(a, double.NegativeInfinity)), Is.EqualTo("tensor(0.)"));
        Assert.That(R(L.norm(b, double.NegativeInfinity)), Is.EqualTo("tensor(2.)"));
        Assert.That(R(L.norm(a, 1)), Is.EqualTo("tensor(20.)"));
        Assert.That(R(L.norm(b, 1)), Is.EqualTo("tensor(7.)"));
        Assert.That(R(L.norm(a, -1)), Is.EqualTo("tensor(0.)"));
        Assert.That(R(L.norm(b, -1)), Is.EqualTo("tensor(6.)"));
        Assert.That(R(L.norm(a, 2)), Is.EqualTo("tensor(7.7460)"));
        Assert.That(R(L.norm(b, 2)), Is.EqualTo("tensor(7.3485)"));
        Assert.That(R(L.norm(a, -2)), Is.EqualTo("tensor(0.)"));
        Assert.That(L.norm(b.to(torch.float64), -2).item<double>(), Is.LessThan(1e-14));   // docs: 1.8570e-16, rounding
        Assert.That(R(L.norm(a, 3)), Is.EqualTo("tensor(5.8480)"));
        Assert.That(R(L.norm(a, -3)), Is.EqualTo("tensor(0.)"));
        var c = torch.tensor(new float[] { 1, 2, 3, -1, 1, 4 }).reshape(2, 3);
        Assert.That(R(L.norm(c, dim: [0])), Is.EqualTo("tensor([1.4142, 2.2361, 5.0000])"));
        Assert.That(R(L.norm(c, dim: [1])), Is.EqualTo("tensor([3.7417, 4.2426])"));
        Assert.That(R(L.norm(c, ord: 1, dim: [1])), Is.EqualTo("tensor([6., 6.])"));
        var m = torch.arange(8, dtype: torch.float32).reshape(2, 2, 2);
        Assert.That(R(L.norm(m, dim: [1, 2])), Is.EqualTo("tensor([ 3.7417, 11.2250])"));
        Assert.That(R(L.vector_norm(a, 3.5)), Is.EqualTo("tensor(5.4345)"));
        Assert.That(R(L.vector_norm(b, 3.5)), Is.EqualTo("tensor(5.4345)"));
        var A = torch.arange(9, dtype: torch.float32).reshape(3, 3);
        Assert.That(R(L.matrix_norm(A)), Is.EqualTo("tensor(14.2829)"));
        Assert.That(R(L.matrix_norm(A, -1)), Is.EqualTo("tensor(9.)"));
        var B = A.expand(2, -1, -1);
        Assert.That(R(L.matrix_norm(B)), Is.EqualTo("tensor([14.2829, 14.2829])"));
        Assert.That(R(L.matrix_norm(B, dim: [0, 2])), Is.EqualTo("tensor([ 3.1623, 10.0000, 17.2627])"));
    }

    [Test]
    public void Other_documented_examples()
    {
        var eye = torch.eye(10);
        Assert.That(R(L.matrix_rank(eye)), Is.EqualTo("tensor(10)"));
        eye[0, 0] = torch.tensor(0f);
        Assert.That(R(L.matrix_rank(eye)), Is.EqualTo("tensor(9)"));
        var A = torch.arange(2 * 3).view(2, 3); var B = torch.arange(3 * 2).view(3, 2); var C = torch.arange(2 * 2).view(2, 2);
        Assert.That(R(L.multi_dot(A, B, C)), Is.EqualTo("tensor([[ 26,  49],\n        [ 80, 148]])"));
        Assert.That(R(L.multi_dot(torch.tensor(new long[] { 1, 2 }), torch.tensor(new long[] { 2, 3 }))), Is.EqualTo("tensor(8)"));
        Assert.That(R(L.multi_dot(torch.tensor(new long[] { 1, 2 }).view(1, 2), torch.tensor(new long[] { 2, 3 }))), Is.EqualTo("tensor([8])"));
        var a = torch.tensor(new float[] { 0.9041f, 0.0196f, -0.3108f, -2.4423f, -0.4821f, 1.059f }).reshape(3, 2);
        var b = torch.tensor(new float[] { -2.1763f, -0.4713f, -0.6986f, 1.3702f }).reshape(2, 2);
        Assert.That(R(torch.cdist(a, b, p: 2)), Is.EqualTo("tensor([[3.1193, 2.0959],\n        [2.7138, 3.8322],\n        [2.2830, 0.3791]])"));
        Assert.That(R(torch.addr(torch.zeros(3, 2), torch.arange(1.0, 4.0), torch.arange(1.0, 3.0))),
            Is.EqualTo("tensor([[1., 2.],\n        [2., 4.],\n        [3., 6.]])"));
        var t = torch.tensordot(torch.arange(60.0).reshape(3, 4, 5), torch.arange(24.0).reshape(4, 3, 2), [1, 0], [0, 1]);
        Assert.That(R(t), Is.EqualTo("tensor([[4400., 4730.],\n        [4532., 4874.],\n        [4664., 5018.],\n        [4796., 5162.],\n        [4928., 5306.]])"));
    }

    [Test]
    public void Errors_use_PyTorchs_wording()
    {
        Assert.That(() => L.inv(torch.ones(2, 3)), Throws.ArgumentException.With.Message.EqualTo(
            "linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices"));
        Assert.That(() => L.inv(torch.ones(3)), Throws.ArgumentException.With.Message.EqualTo(
            "linalg.inv: The input tensor A must have at least 2 dimensions."));
        Assert.That(() => L.inv(torch.ones([2, 2], dtype: torch.int64)), Throws.InvalidOperationException.With.Message.EqualTo(
            "linalg.inv: Expected a floating point or complex tensor as input. Got Long"));
        var singular = torch.tensor(new double[] { 1, 2, 2, 4 }).reshape(2, 2);
        Assert.That(() => L.inv(singular), Throws.TypeOf<L.LinAlgError>().With.Message.EqualTo(
            "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular."));
        Assert.That(() => torch.inverse(torch.stack([torch.eye(2, dtype: torch.float64), singular])), Throws.TypeOf<L.LinAlgError>().With.Message.EqualTo(
            "linalg.inv: (Batch element 1): The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular."));
        var (inv, info) = L.inv_ex(singular);
        Assert.That(info.item<int>(), Is.EqualTo(2));
        Assert.That(() => L.solve(singular, torch.ones(2)), Throws.TypeOf<L.LinAlgError>().With.Message.EqualTo(
            "torch.linalg.solve: The solver failed because the input matrix is singular."));
        Assert.That(() => L.solve(torch.eye(3), torch.ones(2, 2)), Throws.ArgumentException.With.Message.EqualTo(
            "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x2)"));
        Assert.That(() => L.cholesky(torch.tensor(new double[] { 1, 2, 2, 1 }).reshape(2, 2)), Throws.TypeOf<L.LinAlgError>().With.Message.EqualTo(
            "linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite)."));
        Assert.That(L.cholesky_ex(torch.tensor(new double[] { 1, 2, 2, 1 }).reshape(2, 2)).info.item<int>(), Is.EqualTo(2));
        Assert.That(() => L.qr(torch.eye(2), "full"), Throws.ArgumentException.With.Message.EqualTo(
            "qr received unrecognized mode 'full' but expected one of 'reduced' (default), 'r', or 'complete'"));
        Assert.That(() => L.eigh(torch.eye(2), "X"), Throws.ArgumentException.With.Message.EqualTo("Expected UPLO argument to be 'L' or 'U', but got X"));
        Assert.That(() => L.matrix_norm(torch.eye(2), 3), Throws.ArgumentException.With.Message.EqualTo("linalg.matrix_norm: Order 3 not supported."));
        Assert.That(() => L.matrix_norm(torch.eye(2), "abc"), Throws.ArgumentException.With.Message.EqualTo("linalg.matrix_norm: Order abc not supported."));
        Assert.That(() => L.vector_norm(torch.ones([2], dtype: torch.int64)), Throws.InvalidOperationException.With.Message.EqualTo(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"));
        var x = torch.randn(3, 3, dtype: torch.float64).requires_grad_();
        var (q, r) = L.qr(x, "r");
        Assert.That(q.shape, Is.EqualTo(new Size(0)));
        Assert.That(() => r.sum().backward(), Throws.InvalidOperationException.With.Message.EqualTo(
            "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr."));
    }

    [Test]
    public void Grad_fn_names_are_PyTorchs()
    {
        var a = (torch.randn(3, 3, dtype: torch.float64) + torch.eye(3, dtype: torch.float64) * 3).requires_grad_();
        var spd = a.matmul(a.mT);
        (Tensor t, string name)[] cases =
        [
            (L.inv(a), "LinalgInvExBackward0"), (torch.inverse(a), "LinalgInvExBackward0"), (L.det(a), "LinalgDetBackward0"),
            (torch.det(a), "LinalgDetBackward0"), (L.slogdet(a).logabsdet, "LinalgSlogdetBackward0"),
            (L.solve(a, a), "LinalgSolveExBackward0"), (L.cholesky(spd), "LinalgCholeskyExBackward0"), (L.qr(a).R, "LinalgQrBackward0"),
            (L.eigh(spd).eigenvectors, "LinalgEighBackward0"), (L.eigvalsh(spd), "LinalgEighBackward0"), (L.svd(a).S, "LinalgSvdBackward0"),
            (L.svdvals(a), "LinalgSvdBackward0"), (L.pinv(a), "LinalgPinvBackward0"), (L.lstsq(a, a).solution, "LinalgLstsqBackward0"),
            (L.vector_norm(a), "LinalgVectorNormBackward0"), (L.matrix_norm(a), "LinalgVectorNormBackward0"),
            (L.matrix_norm(a, 1), "AmaxBackward0"), (L.solve_triangular(a, a, upper: true), "LinalgSolveTriangularBackward0"),
            (L.lu(a).U, "LinalgLuBackward0"), (L.cross(a, a), "LinalgCrossBackward0"),
        ];
        foreach (var (t, name) in cases) Assert.That(t.grad_fn!.name(), Is.EqualTo(name));
    }

    [Test]
    public void Named_tuples_deconstruct_and_print_as_structseqs()
    {
        var (sign, logabsdet) = L.slogdet(torch.tensor(new float[] { -2, 0, 0, 3 }).reshape(2, 2));
        Assert.That(R(sign), Is.EqualTo("tensor(-1.)"));
        Assert.That(L.slogdet(torch.tensor(new float[] { 2, 0, 0, 3 }).reshape(2, 2)).ToString(),
            Is.EqualTo("torch.return_types.linalg_slogdet(\nsign=tensor(1.),\nlogabsdet=tensor(1.7918))"));
        Assert.That(torch.slogdet(torch.eye(2)).ToString(), Is.EqualTo("torch.return_types.slogdet(\nsign=tensor(1.),\nlogabsdet=tensor(0.))"));
        Assert.That(R(torch.tensor(new float[] { -2, 0, 0, 3 }).reshape(2, 2).logdet()), Is.EqualTo("tensor(nan)"));
        Assert.That(R(torch.logdet(torch.tensor(new float[] { 2, 0, 0, 3 }).reshape(2, 2))), Is.EqualTo("tensor(1.7918)"));
    }

    [Test]
    public void Decompositions_follow_PyTorchs_conventions()
    {
        var g = new Generator().manual_seed(11);
        var x = torch.randn([3, 5, 4], dtype: torch.float64, generator: g);
        var (U, S, Vh) = L.svd(x);
        Assert.That(U.shape, Is.EqualTo(new Size(3, 5, 5)));
        Assert.That(Vh.shape, Is.EqualTo(new Size(3, 4, 4)));
        Assert.That((S[.., ..^1] >= S[.., 1..]).all().item<bool>(), Is.True, "descending");
        Assert.That(torch.allclose(U.mT.matmul(U), torch.eye(5, dtype: torch.float64).expand(3, 5, 5), atol: 1e-12), Is.True);
        Assert.That(torch.allclose((U[.., .., ..4] * S.unsqueeze(-2)).matmul(Vh), x, atol: 1e-12), Is.True);
        var sym = x.mT.matmul(x);
        var (l, v) = L.eigh(sym);
        Assert.That((l[.., ..^1] <= l[.., 1..]).all().item<bool>(), Is.True, "ascending");
        Assert.That(torch.allclose((v * l.unsqueeze(-2)).matmul(v.mT), sym, atol: 1e-12), Is.True);
        var (q, r) = L.qr(x);
        Assert.That(torch.allclose(q.matmul(r), x, atol: 1e-12), Is.True);
        Assert.That(torch.allclose(r, r.triu()), Is.True);
        var (P, Lm, Um) = L.lu(x);
        Assert.That(torch.allclose(P.matmul(Lm).matmul(Um), x, atol: 1e-12), Is.True);
        var (lu, piv) = L.lu_factor(x[0, ..4]);
        Assert.That(piv.dtype, Is.EqualTo(torch.int32));
        Assert.That(torch.allclose(L.pinv(x).matmul(x), torch.eye(4, dtype: torch.float64).expand(3, 4, 4), atol: 1e-12), Is.True);
        var (sol, res, rank, sv) = L.lstsq(x, x[.., .., ..1]);
        Assert.That(res.shape, Is.EqualTo(new Size(0)), "gelsy fills no residuals");
        Assert.That(R(rank), Is.EqualTo("tensor([4, 4, 4])"));
        Assert.That(sv.shape, Is.EqualTo(new Size(0)));
        var gelsd = L.lstsq(x, x[.., .., ..1], driver: "gelsd");
        Assert.That(gelsd.residuals.shape, Is.EqualTo(new Size(3, 1)));
        Assert.That(gelsd.residuals.abs().max().item<double>(), Is.LessThan(1e-20));   // x[..1] is in the range
        Assert.That(torch.allclose(gelsd.singular_values, S), Is.True);
    }

    [Test]
    public void Full_matrices_complete_an_orthonormal_basis_for_tall_and_rank_deficient_inputs()
    {
        var g = new Generator().manual_seed(12);
        // Rank 2 of 5 columns, 300 rows: 298 left singular vectors come from the completion.
        var a = torch.randn([300, 2], dtype: torch.float64, generator: g).matmul(torch.randn([2, 5], dtype: torch.float64, generator: g));
        var (U, S, Vh) = L.svd(a);
        Assert.That(U.shape, Is.EqualTo(new Size(300, 300)));
        Assert.That(torch.allclose(U.mT.matmul(U), torch.eye(300, dtype: torch.float64), atol: 1e-12), Is.True);
        Assert.That(torch.allclose(Vh.matmul(Vh.mT), torch.eye(5, dtype: torch.float64), atol: 1e-12), Is.True);
        Assert.That(torch.allclose((U[.., ..5] * S).matmul(Vh), a, atol: 1e-12), Is.True);
        Assert.That(S[2..].abs().max().item<double>(), Is.LessThan(1e-12));
        Assert.That(L.matrix_rank(a).item<long>(), Is.EqualTo(2));
    }
}
