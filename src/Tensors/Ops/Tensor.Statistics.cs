using System.Globalization;
using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// quantile/nanquantile, nansum/nanmean, count_nonzero, aminmax, histc, bincount, cov/corrcoef, renorm. Composite ops
// are written as ATen writes them (aten/src/ATen/native/Sorting.cpp quantile_impl, ReduceOps.cpp, Correlation.cpp),
// so their values, gradients and grad_fn names are the ones PyTorch's composites give.
public sealed partial class Tensor
{
    private static readonly string[] QuantileModes = ["linear", "lower", "higher", "midpoint", "nearest"];

    /// <summary>The q-th quantiles along <paramref name="dim"/> (all elements when null), as torch.quantile.</summary>
    public Tensor quantile(Tensor q, int? dim = null, bool keepdim = false, string interpolation = "linear") =>
        Quantile(q, dim, keepdim, interpolation, ignoreNan: false);

    public Tensor quantile(double q, int? dim = null, bool keepdim = false, string interpolation = "linear") =>
        Quantile(ScalarQ(q, "quantile"), dim, keepdim, interpolation, ignoreNan: false);

    /// <summary>quantile that ignores NaN (an all-NaN row gives NaN), as torch.nanquantile.</summary>
    public Tensor nanquantile(Tensor q, int? dim = null, bool keepdim = false, string interpolation = "linear") =>
        Quantile(q, dim, keepdim, interpolation, ignoreNan: true);

    public Tensor nanquantile(double q, int? dim = null, bool keepdim = false, string interpolation = "linear") =>
        Quantile(ScalarQ(q, "nanquantile"), dim, keepdim, interpolation, ignoreNan: true);

    private Tensor ScalarQ(double q, string op)
    {
        if (!(q >= 0 && q <= 1)) throw new InvalidOperationException($"{op}() q must be in the range [0, 1] but got {q.ToString(CultureInfo.InvariantCulture)}");
        return torch.full([], q, dtype, device);
    }

    private Tensor Quantile(Tensor q, int? dim, bool keepdim, string interpolation, bool ignoreNan)
    {
        string op = ignoreNan ? "nanquantile" : "quantile";
        // quantile_checks, in ATen's order.
        if (numel() == 0) throw new InvalidOperationException($"{op}() input tensor must be non-empty");
        if (q.dim() > 1) throw new InvalidOperationException($"{op}() q must be a scalar or 1D tensor");
        if (dtype != DType.Float32 && dtype != DType.Float64) throw new InvalidOperationException($"{op}() input tensor must be either float or double dtype");
        if (q.dtype != dtype) throw new InvalidOperationException($"{op}() q tensor must be same dtype as the input tensor");
        if (q.device != device) throw new InvalidOperationException($"{op}() q tensor must be on the same device as the input tensor");
        int mode = Array.IndexOf(QuantileModes, interpolation);
        if (mode < 0) throw new InvalidOperationException($"{op}() interpolation must be one of linear, lower, higher, midpoint or nearest. Got {interpolation}");
        using (new NoGradScope())
            if (!q.ge(0).logical_and(q.le(1)).all().item<bool>()) throw new InvalidOperationException($"{op}() q values must be in the range [0, 1]");

        // quantile_output_shape: q's size first, then the reduced shape.
        var outShape = new List<long>();
        int? wrapped = dim is { } dd ? Shapes.WrapDim(dd, _shape.Length) : null;
        if (wrapped is { } w0 && _shape.Length > 0)
        {
            outShape.AddRange(_shape);
            if (keepdim) outShape[w0] = 1; else outShape.RemoveAt(w0);
        }
        else if (keepdim) for (int i = 0; i < _shape.Length; i++) outShape.Add(1);
        outShape.Insert(0, q.numel());

        Tensor sorted = wrapped is null ? flatten().sort().values
            : wrapped == _shape.Length - 1 ? sort().values
            : unsqueeze(-1).transpose(wrapped.Value, -1).sort().values;
        var inShape = new long[outShape.Count];
        for (int i = 1; i < outShape.Count; i++) inShape[i - 1] = outShape[i];
        inShape[^1] = sorted._shape[^1];
        sorted = sorted.view(inShape);

        Tensor ranks, qd = q.detach();
        using (new NoGradScope())
        {
            if (ignoreNan)
            {
                ranks = qd * (sorted.isnan().logical_not().sum([-1L], keepdim: true) - 1);
                ranks = ranks.masked_fill(ranks.lt(0), 0);
            }
            else
            {
                long last = sorted._shape[^1] - 1;
                var scaled = qd * last;
                var anyNan = sorted.isnan().any(-1, keepdim: true);
                var shape = Shapes.Broadcast(scaled._shape, anyNan._shape);
                ranks = scaled.expand(shape).masked_fill(anyNan.expand(shape), last);
            }
            ranks = mode switch { 1 => ranks.floor(), 2 => ranks.ceil(), 4 => ranks.round(), _ => ranks };
        }
        var below = ranks.to(DType.Int64);
        var values = sorted.gather(-1, below);
        if (mode is 0 or 3)
        {
            Tensor weights, above;
            using (new NoGradScope())
            {
                weights = mode == 3 ? torch.full_like(ranks, 0.5) : ranks - below;
                above = ranks.ceil().to(DType.Int64);
            }
            values = values.lerp(sorted.gather(-1, above), weights);
        }
        return q.dim() == 0 ? values.squeeze(-1) : values.unsqueeze(0).transpose(0, -1).squeeze(-1);
    }

    /// <summary>Sum treating NaN as zero, as torch.nansum (an integer tensor sums as sum does).</summary>
    public Tensor nansum(long[]? dim = null, bool keepdim = false, DType? dtype = null)
    {
        long[] dims = dim ?? [];
        if (!this.dtype.is_floating_point) return dims.Length == 0 && !keepdim ? sum(dtype) : sum(dims, keepdim, dtype);
        Tensor r;
        using (new NoGradScope())
        {
            var zeroed = torch.where(isnan(), torch.zeros([], this.dtype, device), this);
            r = dims.Length == 0 && !keepdim ? zeroed.sum(dtype) : zeroed.sum(dims, keepdim, dtype);
        }
        return D.Nansum.Record(r, this, ints: dims, keepdim: keepdim);
    }

    public Tensor nansum(int dim, bool keepdim = false, DType? dtype = null) => nansum([dim], keepdim, dtype);

    /// <summary>Mean of the non-NaN elements, as torch.nanmean: nansum / (number of non-NaN elements).</summary>
    public Tensor nanmean(long[]? dim = null, bool keepdim = false, DType? dtype = null)
    {
        if (!this.dtype.is_floating_point)
            throw new InvalidOperationException($"nanmean(): expected input to have floating point or complex dtype but got {DTypeTitle(this.dtype)}");
        long[] dims = dim ?? [];
        Tensor factor;
        using (new NoGradScope())
        {
            var present = isnan().logical_not();
            factor = dims.Length == 0 && !keepdim ? present.sum() : present.sum(dims, keepdim);
        }
        return nansum(dims, keepdim, dtype).div(factor);
    }

    public Tensor nanmean(int dim, bool keepdim = false, DType? dtype = null) => nanmean([dim], keepdim, dtype);

    /// <summary>The number of non-zero elements (over <paramref name="dim"/>, all when null), int64, as torch.count_nonzero.</summary>
    public Tensor count_nonzero(long[]? dim = null)
    {
        using var _ = new NoGradScope();
        var nz = ne(Wrap(0).CastRaw(dtype.IsBool ? DType.Bool : dtype));
        return dim is null || dim.Length == 0 ? nz.sum() : nz.sum(dim);
    }

    public Tensor count_nonzero(int dim) => count_nonzero([dim]);

    /// <summary>
    /// The minimum and maximum (over <paramref name="dim"/>, or all elements), as torch.aminmax. Not differentiable:
    /// derivatives.yaml has no aminmax entry (use amin/amax for gradients).
    /// </summary>
    public MinMax aminmax(int? dim = null, bool keepdim = false)
    {
        using var _ = new NoGradScope();
        if (dim is { } d)
        {
            int w = Shapes.WrapDim(d, _shape.Length);
            if (_shape.Length > 0 && _shape[w] == 0)
                throw new IndexOutOfRangeException($"aminmax(): Expected reduction dim {w} to have non-zero size.");
            return new MinMax(amin([w], keepdim), amax([w], keepdim));
        }
        if (numel() == 0) throw new InvalidOperationException("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
        var all = ReducedMask(null);
        var mn = ReduceRaw(ReduceOp.Min, all, keepdim, dtype, dtype);
        var mx = ReduceRaw(ReduceOp.Max, all, keepdim, dtype, dtype);
        return new MinMax(mn, mx);
    }

    /// <summary>
    /// A histogram of <paramref name="bins"/> equal bins over [min, max] (the data's range when both are 0), as
    /// torch.histc: values outside are ignored, the last bin includes max. ATen's CPU kernel
    /// (aten/src/ATen/native/cpu/HistogramKernel.cpp) finds a bin as (x - min)·bins / (max - min) in the input's dtype.
    /// </summary>
    public Tensor histc(long bins = 100, double min = 0, double max = 0)
    {
        if (!dtype.is_floating_point) throw new NotSupportedException($"\"histogram_cpu\" not implemented for '{DTypeTitle(dtype)}'");
        if (bins <= 0) throw new InvalidOperationException($"torch.histc(): bins must be > 0, but got {bins} for dimension 0");
        double lo = min, hi = max;
        var values = ToArray<double>();
        if (lo == hi && values.Length > 0) { lo = values.Min(); hi = values.Max(); }
        if (lo > hi) throw new InvalidOperationException("torch.histc(): max must be larger than min");
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
            throw new InvalidOperationException($"torch.histc(): range of [{FormatDouble(lo)}, {FormatDouble(hi)}] is not finite");
        if (lo == hi) { lo -= 1; hi += 1; }
        var counts = new double[bins];
        bool single = dtype != DType.Float64;
        float loF = (float)lo, hiF = (float)hi;
        foreach (var v in values)
        {
            if (!(v >= lo && v <= hi)) continue;
            long pos = single
                ? (long)(((float)v - loF) * bins / (hiF - loF))
                : (long)((v - lo) * bins / (hi - lo));
            if (pos == bins) pos -= 1;
            counts[pos] += 1;
        }
        var host = new Tensor(HostMemory.Wrap(DType.Float64, counts), [bins], [1], 0);
        return host.CastRaw(dtype).ToDeviceRaw(device);
    }

    private static string FormatDouble(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Counts of each value of a 1-d non-negative integer tensor (or the sums of <paramref name="weights"/> at them), as
    /// torch.bincount: int64 without weights; with weights, float32 for float32 weights and float64 otherwise (ATen's
    /// _bincount_cpu), at least <paramref name="minlength"/> long.
    /// </summary>
    public Tensor bincount(Tensor? weights = null, long minlength = 0)
    {
        if (minlength < 0) throw new InvalidOperationException("minlength should be >= 0");
        if (_shape.Length == 1 && numel() == 0)
            return torch.zeros([minlength], weights is null ? DType.Int64 : weights.dtype == DType.Float32 ? DType.Float32 : DType.Float64, device);
        if (_shape.Length != 1 || !dtype.IsIntegral) throw new InvalidOperationException("bincount only supports 1-d non-negative integral inputs.");
        var xs = ToArray<long>();
        if (xs.Min() < 0) throw new InvalidOperationException("bincount only supports 1-d non-negative integral inputs.");
        if (weights is not null && (weights.dim() != 1 || weights.numel() != xs.Length))
            throw new InvalidOperationException("weights should be 1-d and have the same length as input");
        long n = Math.Max(minlength, xs.Max() + 1);
        Tensor host;
        if (weights is null)
        {
            var c = new long[n];
            foreach (var x in xs) c[x]++;
            host = new Tensor(HostMemory.Wrap(DType.Int64, c), [n], [1], 0);
        }
        else if (weights.dtype == DType.Float32)
        {
            var w = weights.ToArray<float>(); var c = new float[n];
            for (int i = 0; i < xs.Length; i++) c[xs[i]] += w[i];
            host = new Tensor(HostMemory.Wrap(DType.Float32, c), [n], [1], 0);
        }
        else
        {
            var w = weights.ToArray<double>(); var c = new double[n];
            for (int i = 0; i < xs.Length; i++) c[xs[i]] += w[i];
            host = new Tensor(HostMemory.Wrap(DType.Float64, c), [n], [1], 0);
        }
        return host.ToDeviceRaw(device);
    }

    /// <summary>
    /// The covariance matrix of the rows (variables) over the columns (observations), as torch.cov, written as ATen's
    /// Correlation.cpp writes it: weighted mean, centred product, divided by (Σw - correction·Σ(w·aw)/Σw).
    /// </summary>
    public Tensor cov(long correction = 1, Tensor? fweights = null, Tensor? aweights = null)
    {
        if (dim() > 2) throw new InvalidOperationException($"cov(): expected input to have two or fewer dimensions but got an input with {dim()} dimensions");
        if (dtype.IsBool) throw new InvalidOperationException("cov(): bool dtype is not supported for input");
        var input = dim() < 2 ? view(1, -1) : this;
        long n = input._shape[1];
        Tensor? w = null;
        using (new NoGradScope())
        {
            if (fweights is not null)
            {
                if (fweights.dim() > 1) throw new InvalidOperationException($"cov(): expected fweights to have one or fewer dimensions but got fweights with {fweights.dim()} dimensions");
                if (!fweights.dtype.IsIntegral) throw new InvalidOperationException($"cov(): expected fweights to have integral dtype but got fweights with {DTypeTitle(fweights.dtype)} dtype");
                if (fweights.numel() != n) throw new InvalidOperationException($"cov(): expected fweights to have the same numel as there are observations in the input but got {fweights.numel()} != {n}");
                if (n > 0 && !fweights.min().ge(0).item<bool>()) throw new InvalidOperationException("cov(): fweights cannot be negative");
                w = fweights;
            }
            if (aweights is not null)
            {
                if (aweights.dim() > 1) throw new InvalidOperationException($"cov(): expected aweights to have one or fewer dimensions but got aweights with {aweights.dim()} dimensions");
                if (!aweights.dtype.is_floating_point) throw new InvalidOperationException($"cov(): expected aweights to have floating point dtype but got aweights with {DTypeTitle(aweights.dtype)} dtype");
                if (aweights.numel() != n) throw new InvalidOperationException($"cov(): expected aweights to have the same numel as there are observations in the input but got {aweights.numel()} != {n}");
                if (n > 0 && !aweights.min().ge(0).item<bool>()) throw new InvalidOperationException("cov(): aweights cannot be negative");
                w = w is null ? aweights : w * aweights;
            }
        }
        var wSum = w is null ? torch.full([], n, DType.Int64, device) : w.sum();
        if (w is not null && !wSum.ne(0).item<bool>()) throw new InvalidOperationException("cov(): weights sum to zero, can't be normalized");
        var avg = (w is null ? input : input * w).sum(1) / wSum;
        Tensor normFactor = w is not null && aweights is not null && correction != 0
            ? wSum - correction * (w * aweights).sum() / wSum
            : wSum - correction;
        if (normFactor.le(0).item<bool>())
        {
            warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of observations.");
            normFactor = torch.zeros_like(normFactor);
        }
        var centred = input - avg.unsqueeze(1);
        var c = centred.mm((w is null ? centred : centred * w).t());
        return c.div(normFactor).squeeze();
    }

    /// <summary>Pearson correlation coefficients of the rows, as torch.corrcoef (cov normalised, clipped to [-1, 1]).</summary>
    public Tensor corrcoef()
    {
        if (dim() > 2) throw new InvalidOperationException($"corrcoef(): expected input to have two or fewer dimensions but got an input with {dim()} dimensions");
        var c = cov();
        if (c.dim() == 0) return c / c;
        var stddev = c.diagonal().sqrt();
        c = c / stddev.view(-1, 1);
        c = c / stddev.view(1, -1);
        return c.clip(-1, 1);
    }

    /// <summary>
    /// Each sub-tensor along <paramref name="dim"/> whose p-norm exceeds <paramref name="maxnorm"/> scaled to norm
    /// maxnorm, as torch.renorm (ATen: factor = maxnorm / (norm + 1e-7) where norm > maxnorm, else 1).
    /// </summary>
    public Tensor renorm(double p, int dim, double maxnorm)
    {
        if (!(p > 0)) throw new InvalidOperationException("renorm: non-positive-norm not supported");
        if (!(maxnorm >= 0)) throw new InvalidOperationException($"renorm: expected maxnorm to be >= 0 but got {FormatDouble(maxnorm)}");
        if (this.dim() <= 1) throw new InvalidOperationException($"renorm: input needs at least 2 dimensions, got {this.dim()} dimensions");
        int d = Shapes.WrapDim(dim, _shape.Length);
        var reduce = Enumerable.Range(0, _shape.Length).Where(i => i != d).Select(i => (long)i).ToArray();
        Tensor r;
        using (new NoGradScope())
        {
            var norm = this.norm(p, reduce, keepdim: true);
            var factor = torch.where(norm.gt(maxnorm), maxnorm / (norm + 1e-7), torch.ones([], dtype, device));
            r = this * factor;
        }
        return D.Renorm.Record(r, this, scalar: p, state: (d, maxnorm));
    }
}
