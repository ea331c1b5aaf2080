using TorchSharp;
using T = TorchSharp.torch.Tensor;
using static TorchSharp.torch;

namespace Notebooks.ReferenceGenerator;

/// <summary>
/// torch.linalg and the products around it, for tests/Tensors.Tests/LinearAlgebra/LinalgReferenceTests.cs: each case
/// stores its inputs, a list of outputs (sign-invariant ones where a decomposition fixes no sign: singular values and
/// U·diag(w)·Vh, eigenvalues and V·diag(w)·Vᵀ) and the gradient of Σₖ sum(outputₖ · Wₖ) with respect to every input,
/// Wₖ[i] = sin(i + 1 + k) over the flattened output. Inputs are seeded normals (torch.manual_seed(case index)),
/// batched, ill-conditioned (Hilbert) and rank-deficient (products of thin factors) matrices.
/// </summary>
public sealed class LinalgSet : IReferenceSet
{
    public string Name => "linalg";

    public string About =>
        "Produced by tests/ReferenceGenerator (LinalgSet.cs): libtorch 2.10 CPU (LAPACK) through TorchSharp 0.107. " +
        "Each case: inputs, outputs and grads as {dtype, shape, values} (values flattened row-major, float64 JSON numbers; " +
        "float32 values converted exactly). grads[i] is d/d inputs[i] of sum_k sum(outputs[k] * W_k), W_k[j] = sin(j + 1 + k).";

    private static object Json(T t)
    {
        var d = t.detach().to(ScalarType.Float64).contiguous();
        return new Dictionary<string, object>
        {
            ["dtype"] = t.dtype == ScalarType.Float32 ? "float32" : t.dtype == ScalarType.Int64 ? "int64" : t.dtype == ScalarType.Int32 ? "int32" : "float64",
            ["shape"] = t.shape,
            ["values"] = d.data<double>().ToArray(),
        };
    }

    private static T Weights(T like, int k) =>
        (arange(like.numel(), dtype: ScalarType.Float64) + 1 + k).sin().reshape(like.shape).to(like.dtype);

    private static T Hilbert(int n)
    {
        var i = arange(n, dtype: ScalarType.Float64);
        return 1.0 / (i.unsqueeze(1) + i.unsqueeze(0) + 1);
    }

    private readonly List<object> _cases = [];
    private int _seed;

    private void Case(string name, Func<T[], T[]> f, params T[] inputs)
    {
        var leaves = inputs.Select(x => x.detach().clone().requires_grad_(x.is_floating_point())).ToArray();
        var outs = f(leaves);
        var diff = outs.Where(o => o.requires_grad).ToArray();
        T[] grads = [];
        var wanted = leaves.Where(l => l.requires_grad).ToArray();
        if (diff.Length > 0)
        {
            T total = zeros(1, dtype: ScalarType.Float64);
            for (int k = 0; k < outs.Length; k++)
                if (outs[k].requires_grad) total = total + (outs[k] * Weights(outs[k], k)).sum().to(ScalarType.Float64);
            grads = torch.autograd.grad([total], wanted, allow_unused: true).ToArray();
        }
        _cases.Add(new Dictionary<string, object>
        {
            ["name"] = name,
            ["inputs"] = leaves.Select(Json).ToArray(),
            ["outputs"] = outs.Select(Json).ToArray(),
            ["grads"] = grads.Select(g => g is null ? null! : Json(g)).ToArray(),
        });
    }

    private T Randn(params long[] shape)
    {
        manual_seed(_seed++);
        return randn(shape, dtype: ScalarType.Float64);
    }

    private T Rank(int m, int n, int r) => Randn(m, r).matmul(Randn(r, n));

    public object Build()
    {
        var I3 = eye(3, dtype: ScalarType.Float64);
        var w4 = arange(1, 5, dtype: ScalarType.Float64);
        var w3 = arange(1, 4, dtype: ScalarType.Float64);

        Case("inv batched", x => [linalg.inv(x[0])], Randn(2, 3, 3) + I3 * 3);
        Case("inv hilbert5", x => [linalg.inv(x[0])], Hilbert(5));
        Case("det batched", x => [linalg.det(x[0])], Randn(3, 4, 4));
        Case("det rank3of4", x => [linalg.det(x[0])], Rank(4, 4, 3));
        Case("slogdet batched", x => { var (s, l) = linalg.slogdet(x[0]); return [s, l]; }, Randn(3, 4, 4));
        Case("solve batched broadcast", x => [linalg.solve(x[0], x[1])], Randn(2, 3, 3) + I3 * 3, Randn(3, 2));
        Case("solve vector", x => [linalg.solve(x[0], x[1])], Randn(3, 3) + I3 * 3, Randn(3));
        Case("cholesky batched", x => [linalg.cholesky(x[0].matmul(x[0].mT) + eye(4, dtype: ScalarType.Float64))], Randn(2, 4, 4));
        Case("qr reduced tall", x => { var (q, r) = linalg.qr(x[0]); return [q, r]; }, Randn(5, 3));
        Case("qr reduced wide", x => { var (q, r) = linalg.qr(x[0]); return [q, r]; }, Randn(3, 5));
        Case("qr complete batched", x => { var (q, r) = linalg.qr(x[0], linalg.QRMode.Complete); return [q, r]; }, Randn(2, 4, 4));
        Case("eigh batched", x =>
        {
            var (l, v) = linalg.eigh(x[0] + x[0].mT);
            return [l, (v * w4).matmul(v.mT)];
        }, Randn(2, 4, 4));
        Case("eigvalsh upper", x => [linalg.eigvalsh(x[0], 'U')], Randn(4, 4));
        Case("svd tall batched", x =>
        {
            var (u, s, vh) = linalg.svd(x[0], fullMatrices: false);
            return [s, (u * w3).matmul(vh)];
        }, Randn(2, 5, 3));
        Case("svd wide", x =>
        {
            var (u, s, vh) = linalg.svd(x[0], fullMatrices: false);
            return [s, (u * w3).matmul(vh)];
        }, Randn(3, 5));
        // Only the two non-zero singular values: a zero one's gradient depends on which null-space basis LAPACK picked.
        Case("svdvals rank2", x => [linalg.svdvals(x[0]).narrow(-1, 0, 2)], Rank(4, 5, 2));
        Case("svdvals hilbert6", x => [linalg.svdvals(x[0])], Hilbert(6));
        Case("pinv tall", x => [linalg.pinv(x[0])], Randn(5, 3));
        Case("pinv rank2", x => [linalg.pinv(x[0])], Rank(4, 4, 2));
        Case("pinv hermitian", x => [linalg.pinv(x[0] + x[0].mT, hermitian: true)], Randn(3, 3));
        Case("lstsq tall", x => [linalg.lstsq(x[0], x[1]).Solution], Randn(6, 3), Randn(6, 2));
        Case("lstsq gelsy rank2", x =>
        {
            var r = linalg.lstsq(x[0], x[1]);
            return [r.Solution, r.Rank];
        }, Rank(5, 4, 2), Randn(5, 2));
        Case("matrix_rank", x => [linalg.matrix_rank(x[0]), linalg.matrix_rank(x[0] + x[0].mT, hermitian: true)], Rank(5, 5, 3));
        foreach (var ord in new[] { 2.0, 1, 3, 0.5, double.PositiveInfinity, double.NegativeInfinity })
        {
            Case($"vector_norm {ord}", x => [linalg.vector_norm(x[0], ord)], Randn(3, 4));
            Case($"vector_norm {ord} dim1 keepdim", x => [linalg.vector_norm(x[0], ord, [1], keepdim: true)], Randn(3, 4));
        }
        foreach (var ord in new[] { 1.0, -1, 2, -2, double.PositiveInfinity, double.NegativeInfinity })
            Case($"matrix_norm {ord}", x => [linalg.matrix_norm(x[0], ord)], Randn(2, 3, 4));
        Case("matrix_norm fro", x => [linalg.matrix_norm(x[0], "fro")], Randn(2, 3, 4));
        Case("matrix_norm nuc", x => [linalg.matrix_norm(x[0], "nuc")], Randn(2, 3, 4));
        Case("matrix_power 3 and -2", x => [x[0].matrix_power(3), x[0].matrix_power(-2)], Randn(3, 3) + I3 * 2);
        Case("cross", x => [linalg.cross(x[0], x[1])], Randn(4, 3), Randn(4, 3));
        Case("multi_dot", x => [linalg.multi_dot([x[0], x[1], x[2]])], Randn(4), Randn(4, 6), Randn(6, 2));
        Case("einsum bij,bjk->bik", x => [einsum("bij,bjk->bik", x[0], x[1])], Randn(2, 3, 4), Randn(2, 4, 5));
        Case("einsum ii->i and ij->", x => [einsum("ii->i", x[0]), einsum("ij->", x[0])], Randn(3, 3));
        Case("tensordot", x => [tensordot(x[0], x[1], new long[] { 1, 2 }, new long[] { 0, 1 })], Randn(3, 4, 5), Randn(4, 5, 2));
        Case("cdist p2 and p1", x => [cdist(x[0], x[1]), cdist(x[0], x[1], 1)], Randn(2, 4, 3), Randn(2, 5, 3));
        Case("addmm beta alpha", x => [addmm(x[0], x[1], x[2], 0.5f, 2f)], Randn(3, 2), Randn(3, 4), Randn(4, 2));
        // float32: LAPACK in single precision.
        Case("float32 inv det svdvals eigvalsh", x => [linalg.inv(x[0]), linalg.det(x[0]), linalg.svdvals(x[0]), linalg.eigvalsh(x[0] + x[0].mT)],
            (Randn(2, 4, 4) + eye(4, dtype: ScalarType.Float64) * 2).to(ScalarType.Float32));
        return _cases;
    }
}
