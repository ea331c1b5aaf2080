using Notebooks.Tensors.Autograd;
using L = Notebooks.Tensors.torch.linalg;

namespace Notebooks.Tensors.Tests.LinearAlgebra;

/// <summary>
/// DerivativeTableTests' rule for the linear-algebra rows: every node recorded by the ops and by their backward formulas
/// under create_graph is a row of the derivative table (or AccumulateGrad), so the formulas' own ops are table ops too.
/// </summary>
public class LinalgGraphTests
{
    [Test]
    public void Double_backward_graphs_use_only_declared_rows()
    {
        var rows = Derivative.All.Select(d => d.Name).ToHashSet();
        var g = new Generator().manual_seed(4);
        var a = (torch.randn([3, 3], dtype: torch.float64, generator: g) + torch.eye(3, dtype: torch.float64) * 3).requires_grad_();
        var b = torch.randn([3, 2], dtype: torch.float64, generator: g).requires_grad_();
        Func<Tensor>[] ops =
        [
            () => L.inv(a), () => L.det(a), () => L.slogdet(a).logabsdet, () => L.solve(a, b), () => L.solve_triangular(a, b, upper: false),
            () => L.cholesky(a.matmul(a.mT)), () => L.qr(a).Q + L.qr(a).R, () => L.eigh(a + a.mT).eigenvalues, () => L.svdvals(a),
            () => L.pinv(b), () => L.lstsq(a, b).solution, () => L.vector_norm(a, 3), () => L.matrix_norm(a, 2), () => L.cross(a, a),
            () => torch.addmm(b, a, b, beta: 0.5, alpha: 2), () => torch.einsum("ij,jk->ik", a, b), () => L.lu(a).U,
        ];
        var unknown = new SortedSet<string>();
        foreach (var op in ops)
        {
            var y = op();
            var grads = torch.autograd.grad([(y * y).sum()], [a, b], create_graph: true, allow_unused: true);
            foreach (var t in grads.Append(y))
                if (t is not null)
                    foreach (var n in Tests.Autograd.DerivativeTableTests.Graph(t))
                        if (n is not AccumulateGrad && !rows.Contains(n.name())) unknown.Add(n.name());
        }
        Assert.That(unknown, Is.Empty);
    }
}
