using L = Notebooks.Tensors.torch.linalg;

namespace Notebooks.Tensors.Tests.LinearAlgebra;

/// <summary>einsum, tensordot, cdist, the beta/alpha products, cross, multi_dot, matrix_power and vecdot: values against
/// the plain matmul/sum forms they must equal, PyTorch's grad_fn names, and gradcheck (float64, PyTorch's defaults).</summary>
public class LinalgProductsTests
{
    private static Tensor Rand(int seed, params long[] shape) =>
        torch.randn(shape, dtype: torch.float64, generator: new Generator().manual_seed(seed)).requires_grad_();

    private static void Close(Tensor a, Tensor b, double tol = 1e-12) =>
        Assert.That(torch.allclose(a, b, rtol: tol, atol: tol), Is.True, $"{a}\nvs\n{b}");

    [Test]
    public void Einsum_matches_the_products_it_spells()
    {
        var a = Rand(1, 2, 3); var b = Rand(2, 3, 4); var v = Rand(3, 3); var sq = Rand(4, 3, 3); var bt = Rand(5, 5, 2, 3); var bu = Rand(6, 5, 3, 4);
        Close(torch.einsum("ij,jk->ik", a, b), a.matmul(b));
        Close(torch.einsum("ij,jk", a, b), a.matmul(b));                      // implicit output: i, k
        Close(torch.einsum("ij->ji", a), a.t());
        Close(torch.einsum("ii", sq), sq.trace());
        Close(torch.einsum("ii->i", sq), sq.diagonal());
        Close(torch.einsum("i,i->", v, v), v.dot(v));
        Close(torch.einsum("i,j->ij", v, v), v.outer(v));
        Close(torch.einsum("bij,bjk->bik", bt, bu), bt.bmm(bu));
        Close(torch.einsum("...ij,...jk", bt, bu), bt.matmul(bu));
        Close(torch.einsum("ij->", a), a.sum());
        Close(torch.einsum("ij,ij->i", a, a), (a * a).sum(1));
        Close(torch.einsum("ij,jk,kl->il", a, b, Rand(7, 4, 2)), a.matmul(b).matmul(Rand(7, 4, 2)));
        // A bilinear form, three operands with a batch label: out[b, a] = x[b]ᵀ·W[a]·y[b].
        var xb = Rand(8, 2, 5); var W = Rand(9, 3, 5, 4); var yb = Rand(10, 2, 4);
        Close(torch.einsum("bn,anm,bm->ba", xb, W, yb), (xb.unsqueeze(1).unsqueeze(2).matmul(W.unsqueeze(0)).squeeze(2) * yb.unsqueeze(1)).sum(-1));
        Assert.That(torch.einsum("ij,jk->ik", a, b).grad_fn!.name(), Is.EqualTo("ViewBackward0").Or.EqualTo("ReshapeAliasBackward0").Or.EqualTo("UnsafeViewBackward0"));
        Assert.That(torch.autograd.gradcheck(x => torch.einsum("bij,bjk->bik", x[0], x[1]), [bt, bu]), Is.True);
        Assert.That(torch.autograd.gradcheck(x => torch.einsum("ii->i", x[0]), [sq]), Is.True);
    }

    [Test]
    public void Addr_names_the_argument_that_is_not_a_vector()
    {
        // aten/src/ATen/native/LinearAlgebra.cpp, addr_impl_ops: vec1 is checked first, then vec2, each by its name.
        var m = torch.zeros(3, 3);
        Assert.That(() => m.addr(torch.zeros(3, 1), torch.zeros(3)),
            Throws.ArgumentException.With.Message.EqualTo("addr: Expected 1-D argument vec1, but got 2-D"));
        Assert.That(() => m.addr(torch.zeros(3), torch.zeros(3, 1)),
            Throws.ArgumentException.With.Message.EqualTo("addr: Expected 1-D argument vec2, but got 2-D"));
        var v = torch.tensor(new float[] { 1, 2, 3 });
        Assert.That(m.addr(v, v, beta: 0, alpha: 2).ToArray<float>(), Is.EqualTo(torch.outer(v, v).mul(2).ToArray<float>()));
    }

    [Test]
    public void Einsum_errors_use_PyTorchs_wording()
    {
        var a = torch.ones(2, 3);
        Assert.That(() => torch.einsum("ijk", a), Throws.ArgumentException.With.Message.EqualTo(
            "einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0 and no ellipsis was given"));
        Assert.That(() => torch.einsum("ij,jk", a), Throws.ArgumentException.With.Message.EqualTo("einsum(): fewer operands were provided than specified in the equation"));
        Assert.That(() => torch.einsum("ij,jk", a, torch.ones(4, 2)), Throws.ArgumentException.With.Message.EqualTo(
            "einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3"));
    }

    [Test]
    public void Tensordot_and_cdist()
    {
        var a = Rand(1, 3, 4, 5); var b = Rand(2, 4, 5, 2);
        Close(torch.tensordot(a, b), a.reshape(3, 20).mm(b.reshape(20, 2)));
        Close(torch.tensordot(a, b, [1, 2], [0, 1]), torch.einsum("ijk,jkl->il", a, b));
        Close(torch.tensordot(a, b, 0), torch.einsum("ijk,lmn->ijklmn", a, b));
        var x1 = Rand(3, 2, 4, 3); var x2 = Rand(4, 2, 5, 3);
        var d = torch.cdist(x1, x2);
        Close(d[1, 2, 3], (x1[1, 2] - x2[1, 3]).square().sum().sqrt());
        Close(torch.cdist(x1, x2, p: 1)[0, 1, 2], (x1[0, 1] - x2[0, 2]).abs().sum());
        Assert.That(torch.autograd.gradcheck(x => torch.cdist(x[0], x[1]), [x1, x2]), Is.True);
        Assert.That(() => torch.cdist(torch.ones(2, 3), torch.ones(2, 4)), Throws.ArgumentException.With.Message.EqualTo(
            "X1 and X2 must have the same number of columns. X1: 3 X2: 4"));
    }

    [Test]
    public void Add_products_scale_input_and_product_and_name_their_nodes()
    {
        var m = Rand(1, 3, 4); var n = Rand(2, 4, 2); var c = Rand(3, 3, 2); var v = Rand(4, 4); var w = Rand(5, 3);
        var b1 = Rand(6, 5, 3, 4); var b2 = Rand(7, 5, 4, 2);
        Close(torch.addmm(c, m, n, beta: 0.5, alpha: 2), c * 0.5 + m.mm(n) * 2);
        Close(torch.addmv(w, m, v, beta: 2, alpha: -1), w * 2 - m.mv(v));
        Close(torch.addr(c[.., 0].unsqueeze(1), w, w, alpha: 3), c[.., 0].unsqueeze(1) + w.outer(w) * 3);
        Close(torch.baddbmm(c, b1, b2, beta: 0.25), c * 0.25 + b1.bmm(b2));
        Close(torch.addbmm(c, b1, b2, alpha: 0.5), c + b1.bmm(b2).sum(0) * 0.5);
        // beta = 0 ignores the input entirely, NaN included (documented for addmm).
        Close(torch.addmm(torch.full([3, 2], double.NaN, dtype: torch.float64), m, n, beta: 0), m.mm(n));
        Assert.That(torch.addmm(c, m, n).grad_fn!.name(), Is.EqualTo("AddmmBackward0"));
        Assert.That(torch.addmv(w, m, v).grad_fn!.name(), Is.EqualTo("AddmvBackward0"));
        Assert.That(torch.addr(c, w, c[0].detach()).grad_fn!.name(), Is.EqualTo("AddrBackward0"));
        Assert.That(torch.baddbmm(c, b1, b2).grad_fn!.name(), Is.EqualTo("BaddbmmBackward0"));
        Assert.That(torch.addbmm(c, b1, b2).grad_fn!.name(), Is.EqualTo("AddbmmBackward0"));
        Assert.That(torch.autograd.gradcheck(x => torch.addmm(x[0], x[1], x[2], beta: 0.5, alpha: 2), [c, m, n]), Is.True);
        Assert.That(torch.autograd.gradcheck(x => torch.addmv(x[0], x[1], x[2], beta: 2, alpha: -1), [w, m, v]), Is.True);
        Assert.That(torch.autograd.gradcheck(x => torch.addr(x[0], x[1], x[2], beta: 3, alpha: 0.5), [c, w, Rand(8, 2)]), Is.True);
        Assert.That(torch.autograd.gradgradcheck(x => torch.baddbmm(x[0], x[1], x[2], beta: 0.5, alpha: 2), [c, b1, b2]), Is.True);
        Assert.That(torch.autograd.gradcheck(x => torch.addbmm(x[0], x[1], x[2], beta: 0.5, alpha: 2), [c, b1, b2]), Is.True);
    }

    [Test]
    public void Cross_multi_dot_matrix_power_vecdot()
    {
        var a = Rand(1, 4, 3); var b = Rand(2, 4, 3);
        var c = L.cross(a, b);
        Close((c * a).sum(-1), torch.zeros(4, dtype: torch.float64));   // orthogonal to both
        Close(c[0, 2], a[0, 0] * b[0, 1] - a[0, 1] * b[0, 0]);
        Assert.That(c.grad_fn!.name(), Is.EqualTo("LinalgCrossBackward0"));
        Assert.That(torch.autograd.gradgradcheck(x => L.cross(x[0], x[1]), [a, b]), Is.True);
        Assert.That(() => L.cross(torch.ones(2, 4), torch.ones(2, 4)), Throws.ArgumentException.With.Message.EqualTo(
            "linalg.cross: inputs dimension -1 must have length 3. Got 4 and 4"));

        var m1 = Rand(3, 10, 100); var m2 = Rand(4, 100, 5); var m3 = Rand(5, 5, 50); var vec = Rand(6, 10);
        Close(L.multi_dot(m1, m2, m3), m1.mm(m2).mm(m3), 1e-10);
        Close(L.multi_dot(vec, m1, m2), vec.matmul(m1).matmul(m2), 1e-10);
        Close(torch.chain_matmul(m1, m2, m3), m1.mm(m2).mm(m3), 1e-10);
        Assert.That(() => L.multi_dot(m1, m3), Throws.ArgumentException.With.Message.EqualTo(
            "multi_dot(): tensors 0 and 1 with shapes [10, 100] and [5, 50] cannot be multiplied"));

        var s = Rand(7, 2, 3, 3);
        Close(L.matrix_power(s, 5), s.matmul(s).matmul(s).matmul(s).matmul(s), 1e-10);
        Close(L.matrix_power(s, -2), L.inv(s.matmul(s)), 1e-8);
        Close(L.matrix_power(s, 0), torch.eye(3, dtype: torch.float64).expand(2, 3, 3));
        Assert.That(torch.autograd.gradcheck(x => L.matrix_power(x[0], -3), [s]), Is.True);
        Close(L.vecdot(a, b), (a * b).sum(-1));
    }
}
