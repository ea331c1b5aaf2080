namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// Sorting, statistics, cumulative and shape helpers on CUDA tensors (ILGPU's CPU accelerator): each op gives the same
/// values as on the CPU, its outputs stay on the device, and gradients flow back to a CUDA leaf.
/// </summary>
public class CudaStatisticsTests
{
    private static readonly Device Cuda = torch.device("cuda");

    private static Tensor X()
    {
        var g = new Generator().manual_seed(11);
        var x = torch.randn(new long[] { 4, 6 }, generator: g);
        x[1, 2] = x[1, 4].detach(); // a tie
        return x;
    }

    public static readonly object[] Ops =
    [
        new object[] { "sort", (Func<Tensor, Tensor[]>)(x => { var (v, i) = x.sort(1, descending: true); return [v, i]; }) },
        new object[] { "argsort", (Func<Tensor, Tensor[]>)(x => [x.argsort(0)]) },
        new object[] { "topk", (Func<Tensor, Tensor[]>)(x => { var (v, i) = x.topk(3); return [v, i]; }) },
        new object[] { "kthvalue", (Func<Tensor, Tensor[]>)(x => { var (v, i) = x.kthvalue(2, 0); return [v, i]; }) },
        new object[] { "median", (Func<Tensor, Tensor[]>)(x => { var (v, i) = x.median(1); return [v, i, x.median(), x.nanmedian()]; }) },
        new object[] { "mode", (Func<Tensor, Tensor[]>)(x => { var (v, i) = x.round().mode(1); return [v, i]; }) },
        new object[] { "quantile", (Func<Tensor, Tensor[]>)(x => [x.quantile(torch.tensor(new[] { 0.2f, 0.5f }).to(x.device), 1), x.nanquantile(0.7)]) },
        new object[] { "nan_reductions", (Func<Tensor, Tensor[]>)(x => [x.nansum(1), x.nanmean(0), x.count_nonzero(1)]) },
        new object[] { "aminmax", (Func<Tensor, Tensor[]>)(x => { var (a, b) = x.aminmax(1); return [a, b]; }) },
        new object[] { "histc_bincount", (Func<Tensor, Tensor[]>)(x => [x.histc(5, -1, 1), x.abs().mul(3).to(torch.int64).flatten().bincount()]) },
        new object[] { "cov_corrcoef_renorm", (Func<Tensor, Tensor[]>)(x => [x.cov(), x.corrcoef(), x.renorm(2, 0, 1)]) },
        new object[] { "cumulative", (Func<Tensor, Tensor[]>)(x => { var (v, i) = x.cummax(1); var (w, j) = x.cummin(0); return [v, i, w, j, x.logcumsumexp(1), x.diff(2)]; }) },
        new object[] { "shape_helpers", (Func<Tensor, Tensor[]>)(x => [x.repeat_interleave(2, 1), x.repeat_interleave(torch.tensor(new long[] { 1, 0, 2, 1 }).to(x.device), 0), x.tile(2, 1), x.kron(x[..2, ..2]),
            torch.block_diag(x, x[0]), x.diag_embed(), x.tensor_split(4, 1)[3], x.take_along_dim(x.argsort(1), 1), x.rot90(), x[0].combinations(2), torch.cartesian_prod(x[0], x[1]), torch.vander(x[0], 3)]) },
        new object[] { "unique_search", (Func<Tensor, Tensor[]>)(x =>
        {
            var r = x.round();
            var (u, inv, cnt) = r.unique(return_inverse: true, return_counts: true);
            var seq = x.sort(1).values;
            return [u, inv, cnt, r.unique_consecutive(), torch.searchsorted(seq, x, right: true), x.bucketize(seq[0])];
        }) },
    ];

    [TestCaseSource(nameof(Ops))]
    public void Same_values_as_the_cpu_and_stay_on_the_device(string name, Func<Tensor, Tensor[]> op)
    {
        var x = X();
        var onCpu = op(x);
        var onCuda = op(x.to(Cuda));
        Assert.That(onCuda, Has.Length.EqualTo(onCpu.Length));
        for (int i = 0; i < onCpu.Length; i++)
        {
            Assert.That(onCuda[i].device.type, Is.EqualTo("cuda"), $"{name} output {i}");
            Assert.That(onCuda[i].dtype, Is.EqualTo(onCpu[i].dtype), $"{name} output {i}");
            Assert.That(onCuda[i].cpu().to(torch.float64).ToArray<double>(), Is.EqualTo(onCpu[i].to(torch.float64).ToArray<double>()).Within(1e-5), $"{name} output {i}");
        }
    }

    [Test]
    public void Gradients_reach_a_cuda_leaf()
    {
        var x = X().to(Cuda).requires_grad_();
        var y = x.sort(1).values[.., 0].sum() + x.topk(2).values.sum() + x.median(0).values.sum() + x.cummax(1).values.sum()
            + x.logcumsumexp(0).sum() + x.quantile(0.5, 1).sum() + x.nansum() + x.renorm(2, 0, 1).sum() + x.rot90().sum();
        y.backward();
        Assert.That(x.grad!.device.type, Is.EqualTo("cuda"));
        var xc = X().requires_grad_();
        var yc = xc.sort(1).values[.., 0].sum() + xc.topk(2).values.sum() + xc.median(0).values.sum() + xc.cummax(1).values.sum()
            + xc.logcumsumexp(0).sum() + xc.quantile(0.5, 1).sum() + xc.nansum() + xc.renorm(2, 0, 1).sum() + xc.rot90().sum();
        yc.backward();
        Assert.That(x.grad.cpu().ToArray<float>(), Is.EqualTo(xc.grad!.ToArray<float>()).Within(1e-5));
    }
}
