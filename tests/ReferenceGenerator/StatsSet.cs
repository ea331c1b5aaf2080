using TorchSharp;
using static TorchSharp.torch;

namespace Notebooks.ReferenceGenerator;

/// <summary>
/// libtorch's answers for sorting/selection, statistics, cumulative ops and shape helpers (issue 21, part B): each
/// case names the op and keeps its inputs and outputs (values row-major, with shape and dtype; NaN and ±inf as the
/// strings "nan", "inf", "-inf"), and for differentiable ops the gradient of sum(output · w) with
/// w = 1 + 0.25·arange(numel).reshape(output shape), so a test recomputes everything from the file alone.
/// </summary>
public class StatsSet : IReferenceSet
{
    public string Name => "stats";

    public string About => "tests/ReferenceGenerator/StatsSet.cs: sorting, statistics, cumulative and shape ops on fixed float64/float32/int64 inputs, computed by libtorch through TorchSharp";

    private readonly List<Dictionary<string, object>> _cases = [];

    private static object Num(double v) => double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v;

    private static Dictionary<string, object> Json(Tensor t)
    {
        var c = t.detach().cpu().contiguous();
        object data = c.dtype switch
        {
            ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte => c.to(ScalarType.Int64).data<long>().ToArray(),
            ScalarType.Bool => c.data<bool>().ToArray(),
            _ => c.to(ScalarType.Float64).data<double>().ToArray().Select(Num).ToArray(),
        };
        return new() { ["shape"] = c.shape, ["dtype"] = c.dtype.ToString(), ["data"] = data };
    }

    private void Case(string name, Tensor[] inputs, Func<Tensor[], Tensor[]> op, bool grad = false)
    {
        // A binding TorchSharp lacks or gets wrong is left out of the file (and said on stderr), not guessed.
        try { AddCase(name, inputs, op, grad); }
        catch (Exception e) { Console.Error.WriteLine($"stats: case {name} left out: {e.Message.Split('\n')[0]}"); }
    }

    private void AddCase(string name, Tensor[] inputs, Func<Tensor[], Tensor[]> op, bool grad)
    {
        var outs = op(inputs);
        var c = new Dictionary<string, object>
        {
            ["name"] = name,
            ["inputs"] = inputs.Select(Json).ToArray(),
            ["outputs"] = outs.Select(Json).ToArray(),
        };
        if (grad)
        {
            var x = inputs[0].detach().requires_grad_(true);
            var y = op([x, .. inputs.Skip(1)])[0];
            var w = (arange(y.numel(), ScalarType.Float64) * 0.25 + 1).reshape(y.shape).to(y.dtype);
            (y * w).sum().backward();
            c["grad"] = Json(x.grad!);
        }
        _cases.Add(c);
    }

    private static Tensor F64(double[] v, params long[] shape) => tensor(v, ScalarType.Float64).reshape(shape);

    public object Build()
    {
        var a = F64([3, 1, 2, 1, 5, 2, 0.5, 3, -1, 2, 2, 4], 3, 4);
        var nan = F64([2, double.NaN, 1, 3, -1, 4, double.NaN, 0, 1, 1, 7, double.NaN], 3, 4);
        manual_seed(7);
        var r = randn(4, 5, 6, ScalarType.Float64);
        var rf = randn(6, 7);
        var ints = tensor(new long[] { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8 }).reshape(3, 4);

        // ---- sorting and selection ----
        Case("sort_dim1", [a], t => { var (v, i) = sort(t[0], 1); return [v, i]; }, grad: true);
        Case("sort_dim0_desc", [a], t => { var (v, i) = sort(t[0], 0, descending: true); return [v, i]; }, grad: true);
        Case("sort_stable_desc", [a], t => { var (v, i) = sort(t[0], 1, descending: true, stable: true); return [v, i]; });
        Case("sort_nan", [nan], t => { var (v, i) = sort(t[0], 1, stable: true); return [v, i]; });
        Case("sort_nan_desc", [nan], t => { var (v, i) = sort(t[0], 1, descending: true, stable: true); return [v, i]; });
        Case("sort_f32_dim0", [rf], t => { var (v, i) = sort(t[0], 0); return [v, i]; });
        Case("argsort_r", [r], t => [argsort(t[0], 1)]);
        Case("msort", [a], t => [msort(t[0])]);
        Case("topk3", [r], t => { var (v, i) = t[0].topk(3, 2); return [v, i]; }, grad: true);
        Case("topk2_smallest_dim0", [r], t => { var (v, i) = t[0].topk(2, 0, largest: false); return [v, i]; }, grad: true);
        Case("kthvalue2", [r], t => { var (v, i) = t[0].kthvalue(2, 1); return [v, i]; }, grad: true);
        Case("kthvalue_keepdim", [r], t => { var (v, i) = t[0].kthvalue(4, 2, keepdim: true); return [v, i]; });
        Case("median_all", [r], t => [t[0].median()], grad: true);
        // TorchSharp 0.107 has no median(dim)/nanmedian(dim): the tests derive those from sort's reference instead.
        Case("nanmedian_all", [nan], t => [t[0].nanmedian()]);
        Case("mode_ints", [ints], t => { var (v, i) = t[0].mode(1); return [v, i]; });
        Case("mode_a_dim0", [a], t => { var (v, i) = t[0].mode(0); return [v, i]; });

        // ---- statistics and reductions ----
        var q = tensor(new double[] { 0, 0.1, 0.25, 0.5, 0.9, 1 }, ScalarType.Float64);
        // TorchSharp 0.107's quantile takes no interpolation (linear only): the other four are tested from their formulas.
        Case("quantile_linear", [r, q], t => [quantile(t[0], t[1], 1, false)], grad: true);
        Case("nanquantile_linear", [nan, q], t => [nanquantile(t[0], t[1], 1, false)]);
        Case("quantile_all_scalar", [r], t => [quantile(t[0], 0.3)], grad: true);
        Case("nansum", [nan], t => [nansum(t[0])], grad: true);
        // nanmean is left out: TorchSharp 0.107 passes libtorch an uninitialised dtype (nansum / count is tested instead).
        Case("count_nonzero", [a.lt(2).to(ScalarType.Float64) * a], t => [count_nonzero(t[0], [0])]);
        Case("aminmax_dim", [r], t => { var (mn, mx) = aminmax(t[0], 2); return [mn, mx]; });
        Case("histc", [r], t => [histc(t[0], 7, -2, 2)]);
        Case("bincount", [tensor(new long[] { 1, 3, 3, 0, 7, 1 })], t => [bincount(t[0])]);
        Case("bincount_weights", [tensor(new long[] { 1, 3, 3, 0, 7, 1 }), F64([0.5, 1, 2, 3, 4, 5], 6)], t => [bincount(t[0], t[1], 10)]);
        Case("cov", [r[0]], t => [cov(t[0])], grad: true);
        Case("cov_weights", [r[1], tensor(new long[] { 1, 2, 1, 3, 1, 1 }), F64([0.5, 1, 1, 2, 0.25, 1], 6)], t => [cov(t[0], 0, t[1], t[2])], grad: true);
        Case("corrcoef", [r[2]], t => [corrcoef(t[0])], grad: true);
        Case("renorm", [r[0]], t => [t[0].renorm(2f, 0, 1.5f)], grad: true);
        Case("logsumexp", [r], t => [logsumexp(t[0], 1)], grad: true);

        // ---- cumulative ----
        Case("cummax", [a], t => { var (v, i) = cummax(t[0], 1); return [v, i]; }, grad: true);
        Case("cummin_dim0", [a], t => { var (v, i) = cummin(t[0], 0); return [v, i]; }, grad: true);
        Case("cummax_nan", [nan], t => { var (v, i) = cummax(t[0], 1); return [v, i]; });
        Case("logcumsumexp", [r], t => [logcumsumexp(t[0], 2)], grad: true);
        // TorchSharp refuses n != 1 (ATen's diff with n = 2 is diff applied twice).
        Case("diff_twice", [r], t => [diff(diff(t[0], 1, 1), 1, 1)], grad: true);
        Case("diff_prepend_append", [a, F64([9, 8, 7], 3, 1), F64([1, 2, 3, 4, 5, 6], 3, 2)], t => [diff(t[0], 1, -1, t[1], t[2])], grad: true);
        var z = F64([2, 0, 3, 4, 0, 0, 1, 5, 2, -1, 0.5, 3], 3, 4);
        Case("cumprod_zeros", [z], t => [cumprod(t[0], 1)], grad: true);

        // ---- shape and creation ----
        Case("repeat_interleave_int", [a], t => [t[0].repeat_interleave(2L, 0)], grad: true);
        Case("repeat_interleave_tensor", [a, tensor(new long[] { 1, 0, 3, 2 })], t => [t[0].repeat_interleave(t[1], 1)], grad: true);
        Case("repeat_interleave_flat", [a], t => [t[0].repeat_interleave(3L)]);
        Case("tile", [a], t => [t[0].tile([2, 1, 2])], grad: true);
        Case("kron", [a, F64([1, -1, 2, 0.5], 2, 2)], t => [kron(t[0], t[1])], grad: true);
        Case("block_diag", [a, F64([7, 8], 1, 2)], t => [block_diag(t[0], t[1])], grad: true);
        Case("diag_embed", [a], t => [diag_embed(t[0], 1, 0, 2)], grad: true);
        Case("tril_indices", [], t => [tril_indices(4, 3, 1)]);
        Case("triu_indices", [], t => [triu_indices(3, 5, -1)]);
        // No gradient: libtorch's vander writes cumprod into a slice of its result, and backward then fails its version check.
        Case("vander", [F64([1, 2, 3, 5], 4)], t => [vander(t[0], 3, true)]);
        Case("vander_default", [F64([1, 2, 3, 5], 4)], t => [vander(t[0])]);
        Case("cartesian_prod", [F64([1, 2, 3], 3), F64([4, 5], 2)], t => [cartesian_prod(t[0], t[1])], grad: true);
        Case("combinations", [F64([1, 2, 3, 4], 4)], t => [combinations(t[0], 3)], grad: true);
        Case("combinations_repl", [F64([1, 2, 3], 3)], t => [combinations(t[0], 2, true)], grad: true);
        Case("take_along_dim", [a, argsort(a, 1)], t => [take_along_dim(t[0], t[1], 1)], grad: true);
        Case("rot90", [a], t => [rot90(t[0], 3, (0, 1))], grad: true);

        // ---- unique, searchsorted, bucketize ----
        var u = tensor(new long[] { 3, 1, 2, 3, 1, 7, 2, 2 });
        Case("unique", [u], t => { var (o, inv, cnt) = unique(t[0], true, true, true); return [o, inv!, cnt!]; });
        var u2 = tensor(new long[] { 1, 2, 1, 2, 0, 5, 1, 2 }).reshape(4, 2);
        Case("unique_dim0", [u2], t => { var (o, inv, cnt) = unique(t[0], true, true, true, 0); return [o, inv!, cnt!]; });
        Case("unique_consecutive", [tensor(new long[] { 1, 1, 2, 2, 3, 1, 1, 2 })], t => { var (o, inv, cnt) = unique_consecutive(t[0], true, true); return [o, inv!, cnt!]; });
        var seq = F64([1, 3, 5, 7, 9, 2, 4, 6, 8, 10], 2, 5);
        var vals = F64([3, 6, 9, 1, 10, 0], 2, 3);
        Case("searchsorted", [seq, vals], t => [searchsorted(t[0], t[1])]);
        Case("searchsorted_right", [seq, vals], t => [searchsorted(t[0], t[1], right: true)]);
        Case("bucketize", [vals, F64([1, 3, 5, 7, 9], 5)], t => [bucketize(t[0], t[1])]);
        Case("bucketize_right", [vals, F64([1, 3, 5, 7, 9], 5)], t => [bucketize(t[0], t[1], right: true)]);
        return _cases;
    }
}
