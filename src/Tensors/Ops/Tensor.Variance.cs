using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// var, std, var_mean, std_mean: ATen's std_var_out / std_var_mean_out (aten/src/ATen/native/ReduceOps.cpp).
public sealed partial class Tensor
{
    /// <summary>Variance with Bessel's correction by default (<paramref name="correction"/> = 1), as torch.var.</summary>
    public Tensor var(long[]? dim = null, double correction = 1, bool keepdim = false) => VarStd(dim, correction, keepdim, std: false);

    public Tensor var(int dim, bool unbiased = true, bool keepdim = false) => var([dim], unbiased ? 1 : 0, keepdim);
    public Tensor var(bool unbiased) => var(null, unbiased ? 1 : 0);

    public Tensor std(long[]? dim = null, double correction = 1, bool keepdim = false) => VarStd(dim, correction, keepdim, std: true);

    public Tensor std(int dim, bool unbiased = true, bool keepdim = false) => std([dim], unbiased ? 1 : 0, keepdim);
    public Tensor std(bool unbiased) => std(null, unbiased ? 1 : 0);

    /// <summary>(variance, mean) from one pass, as torch.var_mean.</summary>
    public (Tensor, Tensor) var_mean(long[]? dim = null, double correction = 1, bool keepdim = false) => VarStdMean(dim, correction, keepdim, std: false);

    public (Tensor, Tensor) var_mean(int dim, bool unbiased = true, bool keepdim = false) => var_mean([dim], unbiased ? 1 : 0, keepdim);
    public (Tensor, Tensor) var_mean(bool unbiased) => var_mean(null, unbiased ? 1 : 0);

    /// <summary>(standard deviation, mean) from one pass, as torch.std_mean.</summary>
    public (Tensor, Tensor) std_mean(long[]? dim = null, double correction = 1, bool keepdim = false) => VarStdMean(dim, correction, keepdim, std: true);

    public (Tensor, Tensor) std_mean(int dim, bool unbiased = true, bool keepdim = false) => std_mean([dim], unbiased ? 1 : 0, keepdim);
    public (Tensor, Tensor) std_mean(bool unbiased) => std_mean(null, unbiased ? 1 : 0);

    private Tensor VarStd(long[]? dim, double correction, bool keepdim, bool std)
    {
        var (v, _) = VarianceRaw(dim, correction, keepdim, std, withMean: false);
        return (std ? D.Std : D.Var).Record(v, this, scalar: correction, ints: dim, keepdim: keepdim);
    }

    private (Tensor, Tensor) VarStdMean(long[]? dim, double correction, bool keepdim, bool std)
    {
        var (v, m) = VarianceRaw(dim, correction, keepdim, std, withMean: true);
        if ((std ? D.StdMean : D.VarMean).NodeFor(v, [this], scalar: correction, ints: dim, keepdim: keepdim) is { } node)
        {
            v.WithGrad(node, 0);
            m!.WithGrad(node, 1);
        }
        return (v, m!);
    }

    /// <summary>
    /// The forward values, as ATen's CPU kernels compute them for float and double:
    /// <list type="bullet">
    /// <item>var/std with a single output (<c>std_var_all_cpu</c>): the mean as <c>self.mean()</c> computes it, in the
    /// tensor's dtype, then read as a double; the squared deviations summed in double in memory order (one multiply-add
    /// each, contracted as GCC builds libtorch); divided by max(0, N - correction); sqrt in double.</item>
    /// <item>everything else (several outputs, var_mean/std_mean, half types): <c>WelfordOps&lt;scalar_t, double&gt;</c> of
    /// SharedReduceOps.h driven by <c>binary_kernel_reduce</c>, one sequential Welford pass per output in double, divisor
    /// nf - correction when nf &gt; correction, else 0 (so inf or nan, as PyTorch returns rather than raising).</item>
    /// </list>
    /// Results are rounded to the input's dtype once, at the end. Reductions longer than ATen's GRAIN_SIZE (32768) are
    /// split across threads there, combined in a thread-count-dependent order, so only shorter ones are bit-exact.
    /// Other devices compute two-pass in the tensor's dtype.
    /// </summary>
    private (Tensor var, Tensor? mean) VarianceRaw(long[]? dim, double correction, bool keepdim, bool std, bool withMean)
    {
        if (!dtype.is_floating_point)
            throw new InvalidOperationException("std and var only support floating point and complex dtypes");
        long[] dims = dim ?? [];
        var mask = ReducedMask(dims);
        var keep = KeepShape(_shape, mask);
        var outShape = OutShape(_shape, mask, keepdim);
        long outputs = Shapes.Numel(keep);
        if (!is_cpu) return VarianceComposite(dims, mask, correction, keepdim, std, withMean);

        var v = Empty(keep, DType.Float64, Device.CPU);
        var m = withMean ? Empty(keep, DType.Float64, Device.CPU) : null;
        if (numel() == 0)
        {
            v.AsSpan<double>().Fill(double.NaN);
            m?.AsSpan<double>().Fill(double.NaN);
        }
        else if (!withMean && outputs <= 1 && dtype.Kind is ScalarType.Float32 or ScalarType.Float64)
        {
            double mu;
            using (torch.no_grad()) mu = mean().item<double>();
            double ss = 0;
            foreach (var x in MemoryOrder(mask).values)
            {
                double dx = x - mu;
                ss = Math.FusedMultiplyAdd(dx, dx, ss);
            }
            double var = ss / Math.Max(0.0, numel() - correction);
            v.AsSpan<double>()[0] = std ? Math.Sqrt(var) : var;
        }
        else
        {
            var (values, reducedLength, outIndex) = MemoryOrder(mask);
            var vs = v.AsSpan<double>();
            var ms = m is null ? default : m.AsSpan<double>();
            for (long o = 0; o < outputs; o++)
            {
                double mean = 0, m2 = 0;
                long n = 0;
                for (long k = o * reducedLength, end = k + reducedLength; k < end; k++)
                {
                    n++;
                    double x = values[k];
                    double delta = x - mean;
                    mean += delta / n;
                    m2 = Math.FusedMultiplyAdd(delta, x - mean, m2);
                }
                double divisor = n > correction ? n - correction : 0;
                double var = m2 / divisor;
                vs[(int)outIndex[o]] = std ? Math.Sqrt(var) : var;
                if (m is not null) ms[(int)outIndex[o]] = mean;
            }
        }
        var vr = v.CastRaw(dtype);
        var mr = m?.CastRaw(dtype);
        return (new Tensor(vr._storage, outShape, Shapes.ContiguousStrides(outShape), 0),
            mr is null ? null : new Tensor(mr._storage, outShape, Shapes.ContiguousStrides(outShape), 0));
    }

    /// <summary>
    /// The values as doubles in the order TensorIterator visits them for a reduction: dims sorted by stride (smallest
    /// innermost), then the kept dims outside the reduced ones, so each output's elements are one consecutive run.
    /// <c>outIndex[o]</c> is where run o's result goes in the row-major keepdim result.
    /// </summary>
    private (double[] values, long reducedLength, long[] outIndex) MemoryOrder(bool[] mask)
    {
        int nd = _shape.Length;
        var byStride = Enumerable.Range(0, nd).OrderByDescending(d => _strides[d]).ThenBy(d => d).ToArray();
        var order = byStride.Where(d => !mask[d]).Concat(byStride.Where(d => mask[d])).ToArray();
        double[] values;
        using (torch.no_grad()) values = permute(Array.ConvertAll(order, d => (long)d)).CastRaw(DType.Float64).ContiguousRaw().ToArray<double>();
        long reducedLength = 1;
        foreach (var d in order) if (mask[d]) reducedLength *= _shape[d];
        var kept = order.Where(d => !mask[d]).ToArray();
        var keepStrides = Shapes.ContiguousStrides(KeepShape(_shape, mask));
        long outputs = 1;
        foreach (var d in kept) outputs *= _shape[d];
        var outIndex = new long[outputs];
        var idx = new long[kept.Length];
        for (long o = 0; o < outputs; o++)
        {
            long at = 0;
            for (int j = 0; j < kept.Length; j++) at += idx[j] * keepStrides[kept[j]];
            outIndex[o] = at;
            for (int j = kept.Length - 1; j >= 0; j--)
            {
                if (++idx[j] < _shape[kept[j]]) break;
                idx[j] = 0;
            }
        }
        return (values, reducedLength, outIndex);
    }

    /// <summary>Two passes with tensor kernels, for devices without a host-side Welford.</summary>
    private (Tensor, Tensor?) VarianceComposite(long[] dims, bool[] mask, double correction, bool keepdim, bool std, bool withMean)
    {
        using var _ = torch.no_grad();
        long[] all = dims.Length > 0 ? dims : Enumerable.Range(0, _shape.Length).Select(d => (long)d).ToArray();
        long n = 1; for (int i = 0; i < mask.Length; i++) if (mask[i]) n *= _shape[i];
        var mu = mean(all, keepdim: true);
        var dev = this - mu;
        var v = (dev * dev).sum(all, keepdim) / Math.Max(0, n - correction);
        if (std) v = v.sqrt();
        return (v, withMean ? (keepdim ? mu : mean(all, keepdim: false)) : null);
    }
}
