using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// cummax/cummin, logcumsumexp, diff. The scans run as ATen's CPU kernels do (aten/src/ATen/native/ReduceOps.cpp:
// cummax_cummin_helper, logcumsumexp via cpu_cum_base_kernel): each row along the dim read once to host memory, the
// running value kept in double (ATen's CPU accumulate type for float), the result written back in the tensor's dtype
// on its device. diff is ATen's composite (narrow and sub), so its gradient is the composite's.
public sealed partial class Tensor
{
    /// <summary>Running maximum along <paramref name="dim"/> and where it was attained (the later index on ties; a NaN stays).</summary>
    public ValuesIndices cummax(int dim) => CumMaxMin(dim, max: true);

    /// <summary>Running minimum along <paramref name="dim"/> and where it was attained (the later index on ties; a NaN stays).</summary>
    public ValuesIndices cummin(int dim) => CumMaxMin(dim, max: false);

    private ValuesIndices CumMaxMin(int dim, bool max)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var indices = ScanRows(d, (keys, n, idx) =>
        {
            for (long start = 0; start < keys.LongLength; start += n)
            {
                double best = 0; long at = 0;
                for (long i = 0; i < n; i++)
                {
                    double x = keys[start + i];
                    // cummax_cummin_helper: isnan(x) || (!isnan(out) && x >= out) (<= for cummin).
                    if (i == 0 || double.IsNaN(x) || !double.IsNaN(best) && (max ? x >= best : x <= best)) { best = x; at = i; }
                    idx[start + i] = at;
                }
            }
        });
        Tensor values;
        using (new NoGradScope()) values = _shape.Length == 0 ? CloneDetached() : gather(d, indices);
        if (GradMode.ShouldRecord(this)) (max ? D.Cummax : D.Cummin).Record(values, [this], [indices], ints: [d]);
        return new ValuesIndices(max ? "cummax" : "cummin", values, indices);
    }

    /// <summary>
    /// Positions (int64, shaped like this tensor) computed row by row along <paramref name="d"/> from the row's values
    /// (as double; integer values up to 2^53 exactly, which the running comparisons need).
    /// </summary>
    private Tensor ScanRows(int d, Action<double[], long, long[]> scan)
    {
        using var _ = new NoGradScope();
        if (_shape.Length == 0) return torch.zeros([], DType.Int64, device);
        var moved = d == _shape.Length - 1 ? this : movedim(d, -1);
        long n = moved._shape[^1];
        var keys = moved.ToArray<double>();
        var idx = new long[keys.LongLength];
        if (n > 0) scan(keys, n, idx);
        var host = new Tensor(HostMemory.Wrap(DType.Int64, idx), moved._shape, Shapes.ContiguousStrides(moved._shape), 0).ToDeviceRaw(device);
        return d == _shape.Length - 1 ? host : host.movedim(-1, d).ContiguousRaw();
    }

    /// <summary>log(Σ_{j≤i} exp(x_j)) along <paramref name="dim"/>, as torch.logcumsumexp.</summary>
    public Tensor logcumsumexp(int dim)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        if (!dtype.is_floating_point)
            throw new NotSupportedException($"\"logcumsumexp_out_cpu\" not implemented for '{DTypeTitle(dtype)}'");
        Tensor r;
        using (new NoGradScope())
        {
            var moved = _shape.Length == 0 ? reshape(1) : d == _shape.Length - 1 ? this : movedim(d, -1);
            long n = moved._shape[^1];
            var v = moved.ToArray<double>();
            for (long start = 0; n > 0 && start < v.LongLength; start += n)
            {
                double acc = double.NegativeInfinity;
                for (long i = 0; i < n; i++) v[start + i] = acc = LogAddExp(v[start + i], acc);
            }
            var host = new Tensor(HostMemory.Wrap(DType.Float64, v), moved._shape, Shapes.ContiguousStrides(moved._shape), 0);
            r = host.CastRaw(dtype).ToDeviceRaw(device);
            r = _shape.Length == 0 ? r.reshape([]) : d == _shape.Length - 1 ? r : r.movedim(-1, d).ContiguousRaw();
        }
        return GradMode.ShouldRecord(this) ? D.Logcumsumexp.Record(r, this, ints: [d]) : r;
    }

    /// <summary>ATen's _log_add_exp_helper (aten/src/ATen/native/cpu/LogAddExp.h): NaN propagates, equal infinities stay.</summary>
    private static double LogAddExp(double x, double y)
    {
        double min = double.IsNaN(y) ? y : Math.Min(x, y), max = double.IsNaN(y) ? y : Math.Max(x, y);
        if (double.IsNaN(x) && !double.IsNaN(y)) { min = x; max = x; } // std::min/max return their first argument on NaN
        if (min != max || double.IsFinite(min)) return Log1P.Compute(Math.Exp(min - max)) + max;
        return x;
    }

    /// <summary>
    /// The n-th forward difference along <paramref name="dim"/>, with <paramref name="prepend"/>/<paramref name="append"/>
    /// joined first, as torch.diff (bool tensors differ by logical xor).
    /// </summary>
    public Tensor diff(long n = 1, int dim = -1, Tensor? prepend = null, Tensor? append = null)
    {
        if (_shape.Length < 1) throw new InvalidOperationException("diff expects input to be at least one-dimensional");
        if (n < 0) throw new InvalidOperationException($"order must be non-negative but got {n}");
        int d = Shapes.WrapDim(dim, _shape.Length);
        foreach (var other in new[] { prepend, append })
        {
            if (other is null) continue;
            if (other.dim() != _shape.Length) throw new InvalidOperationException("diff expects prepend or append to be the same dimension as input");
            for (int i = 0; i < _shape.Length; i++)
                if (i != d && other._shape[i] != _shape[i])
                    throw new InvalidOperationException(
                        $"diff expects the shape of tensor to prepend or append to match that of input except along the differencing dimension; input.size({i}) = {_shape[i]}, but got tensor.size({i}) = {other._shape[i]}");
        }
        if (n == 0) return clone();
        var a = prepend is null && append is null ? this
            : torch.cat([.. prepend is null ? Array.Empty<Tensor>() : [prepend], this, .. append is null ? Array.Empty<Tensor>() : [append]], d);
        long outLen = a._shape[d] - 1;
        n = Math.Min(n, a._shape[d]);
        var result = a;
        for (long i = 0; i < n; i++, outLen--)
            result = dtype.IsBool
                ? result.narrow(d, 1, outLen).logical_xor(result.narrow(d, 0, outLen))
                : result.narrow(d, 1, outLen) - result.narrow(d, 0, outLen);
        return result;
    }
}
