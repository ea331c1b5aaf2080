using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors;

// sum, mean, prod, max/min, argmax/argmin, amax/amin, std/var, norm, all/any, cumsum/cumprod, logsumexp, softmax.
public sealed partial class Tensor
{
    /// <summary>Wrapped, de-duplicated dims (null or empty → all dims), with PyTorch's duplicate-dim error.</summary>
    private bool[] ReducedMask(long[]? dims)
    {
        var mask = new bool[_shape.Length];
        if (dims is null || dims.Length == 0) { Array.Fill(mask, true); return mask; }
        foreach (var d in dims)
        {
            var w = Shapes.WrapDim(d, _shape.Length);
            if (_shape.Length == 0) continue;
            if (mask[w]) throw new ArgumentException($"dim {w} appears multiple times in the list of dims");
            mask[w] = true;
        }
        return mask;
    }

    private static long[] KeepShape(long[] shape, bool[] mask)
    {
        var r = (long[])shape.Clone();
        for (int i = 0; i < r.Length; i++) if (mask[i]) r[i] = 1;
        return r;
    }

    private static long[] OutShape(long[] shape, bool[] mask, bool keepdim)
    {
        if (keepdim) return KeepShape(shape, mask);
        var r = new List<long>();
        for (int i = 0; i < shape.Length; i++) if (!mask[i]) r.Add(shape[i]);
        return r.ToArray();
    }

    /// <summary>A raw reduction into the keepdim layout, then viewed as the requested output shape.</summary>
    internal Tensor ReduceRaw(ReduceOp op, bool[] mask, bool keepdim, DType computeType, DType outType)
    {
        if (op == ReduceOp.Sum && computeType == outType && TrySumToOne(mask, keepdim, computeType) is { } one) return one;
        var src = CastRaw(computeType);
        var keep = KeepShape(_shape, mask);
        var r = Empty(keep, computeType, device);
        Kernels.Reduce(op, src.Buffer, r.Buffer, null);
        if (outType != computeType) r = r.CastRaw(outType);
        var outShape = OutShape(_shape, mask, keepdim);
        return new Tensor(r._storage, outShape, Shapes.ContiguousStrides(outShape), 0);
    }

    /// <summary>
    /// A float sum to one element (a loss's mean, a bias gradient's sum over the batch) of a contiguous CPU tensor,
    /// written straight into its output: the same span and summation as the general path, none of its shapes.
    /// </summary>
    private Tensor? TrySumToOne(bool[]? mask, bool keepdim, DType dt)
    {
        if (dtype != dt || !Backend.HostMemory.IsHost(Buffer) || dt.Kind is not (ScalarType.Float32 or ScalarType.Float64)) return null;
        int keptDims = 0;
        for (int i = 0; mask is not null && i < mask.Length; i++)
        {
            if (mask[i]) continue;
            if (_shape[i] != 1) return null;
            keptDims++;
        }
        // One element keeps the general path: it adds the element to the identity (0 + -0.0 is +0.0), a span sum may not.
        long n = Shapes.Numel(_shape);
        if (n < 2 || n > int.MaxValue || !is_contiguous()) return null;
        int rank = keepdim ? _shape.Length : keptDims;
        long[] outShape = rank == 0 ? [] : new long[rank];
        outShape.AsSpan().Fill(1);
        var r = EmptyForWrite(outShape, dt, device);
        return Kernels.TrySumContiguousToOne(Buffer, r.Buffer) ? r : null;
    }

    /// <summary>s / n for mean: s is a fresh sum in dt; on the CPU the division is written into it (same kernel, no wrapped number).</summary>
    private static Tensor DivByCountRaw(Tensor s, long n, DType dt)
    {
        if (s.is_cpu && s.dtype == dt && dt.Kind is ScalarType.Float32 or ScalarType.Float64 && s.is_contiguous() &&
            ScratchScalar((double)n, dt, 0) is { } c)
        {
            Backend.Backends.Cpu.Binary(BinaryOp.Div, s.Buffer, c.ExpandRaw(s._shape).Buffer, s.Buffer);
            return s;
        }
        return BinaryRaw(BinaryOp.Div, s, Wrap((double)n), dt);
    }

    private static DType SumType(DType d, DType? requested) =>
        requested ?? (d.IsIntegral || d.IsBool ? DType.Int64 : d);

    /// <summary>The sum of all elements, or along dim (kept as size 1 with keepdim).</summary>
    public Tensor sum(DType? dtype = null)
    {
        var dt = SumType(this.dtype, dtype);
        var r = TrySumToOne(null, false, dt) ?? ReduceRaw(ReduceOp.Sum, ReducedMask(null), false, dt, dt);
        return D.Sum.Record(r, this);
    }

    /// <summary>The sum of all elements, or along dim (kept as size 1 with keepdim).</summary>
    public Tensor sum(long[] dim, bool keepdim = false, DType? dtype = null)
    {
        var dt = SumType(this.dtype, dtype);
        var r = ReduceRaw(ReduceOp.Sum, ReducedMask(dim), keepdim, dt, dt);
        return D.SumDims.Record(r, this, ints: dim, keepdim: keepdim);
    }

    /// <summary>The sum of all elements, or along dim (kept as size 1 with keepdim).</summary>
    public Tensor sum(int dim, bool keepdim = false, DType? dtype = null) => sum([(long)dim], keepdim, dtype);

    private void CheckMeanType(DType? dtype, string op)
    {
        var dt = dtype ?? this.dtype;
        // ReduceOps.cpp mean.dim's meta names the dtype it looked at: the optional one when given.
        if (!dt.is_floating_point)
            throw new InvalidOperationException(
                $"{op}(): could not infer output dtype. {(dtype is null ? "Input" : "Optional")} dtype must be either a floating point or complex dtype. Got: {DTypeTitle(dt)}");
    }

    /// <summary>PyTorch's ScalarType names in messages: Float, Double, Long …</summary>
    internal static string DTypeTitle(DType d) => d.Title;

    /// <summary>The mean of all elements, or along dim (kept as size 1 with keepdim); floating dtypes only.</summary>
    public Tensor mean(DType? dtype = null)
    {
        CheckMeanType(dtype, "mean");
        var dt = dtype ?? this.dtype;
        var n = numel();
        var s = TrySumToOne(null, false, dt) ?? ReduceRaw(ReduceOp.Sum, ReducedMask(null), false, dt, dt);
        var r = DivByCountRaw(s, n, dt);
        return D.Mean.Record(r, this, scalar: 1.0 / n);
    }

    /// <summary>The mean of all elements, or along dim (kept as size 1 with keepdim); floating dtypes only.</summary>
    public Tensor mean(long[] dim, bool keepdim = false, DType? dtype = null)
    {
        CheckMeanType(dtype, "mean");
        var dt = dtype ?? this.dtype;
        var mask = ReducedMask(dim);
        long n = 1; for (int i = 0; i < mask.Length; i++) if (mask[i]) n *= _shape[i];
        var s = ReduceRaw(ReduceOp.Sum, mask, keepdim, dt, dt);
        var r = DivByCountRaw(s, n, dt);
        return D.MeanDims.Record(r, this, scalar: 1.0 / n, ints: dim, keepdim: keepdim);
    }

    /// <summary>The mean of all elements, or along dim (kept as size 1 with keepdim); floating dtypes only.</summary>
    public Tensor mean(int dim, bool keepdim = false, DType? dtype = null) => mean([(long)dim], keepdim, dtype);

    public Tensor prod(DType? dtype = null)
    {
        var dt = SumType(this.dtype, dtype);
        var r = ReduceRaw(ReduceOp.Prod, ReducedMask(null), false, dt, dt);
        return D.Prod.Record(r, this);
    }

    public Tensor prod(int dim, bool keepdim = false, DType? dtype = null)
    {
        var dt = SumType(this.dtype, dtype);
        var r = ReduceRaw(ReduceOp.Prod, ReducedMask([dim]), keepdim, dt, dt);
        return GradMode.ShouldRecord(this) ? D.ProdDim.Record(r, this, ints: [dim], keepdim: keepdim) : r;
    }

    private void CheckNonEmpty(string op, int? dim = null)
    {
        if (numel() != 0) return;
        throw dim is null
            ? new InvalidOperationException($"{op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
            : new IndexOutOfRangeException($"{op}(): Expected reduction dim {dim} to have non-zero size.");
    }

    /// <summary>The largest element (NaN if any).</summary>
    public Tensor max()
    {
        CheckNonEmpty("max");
        var r = ReduceRaw(ReduceOp.Max, ReducedMask(null), false, dtype, dtype);
        return D.MaxAll.Record(r, this);
    }

    public Tensor min()
    {
        CheckNonEmpty("min");
        var r = ReduceRaw(ReduceOp.Min, ReducedMask(null), false, dtype, dtype);
        return D.MinAll.Record(r, this);
    }

    /// <summary>(values, indices) along a dim, as <c>torch.return_types.max</c>.</summary>
    public ValuesIndices max(int dim, bool keepdim = false) => ArgReduce(ReduceOp.Max, dim, keepdim, "max", D.MaxDim);

    public ValuesIndices min(int dim, bool keepdim = false) => ArgReduce(ReduceOp.Min, dim, keepdim, "min", D.MinDim);

    public Tensor max(Tensor other) => maximum(other);
    public Tensor min(Tensor other) => minimum(other);

    private ValuesIndices ArgReduce(ReduceOp op, int dim, bool keepdim, string name, Derivative? node)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        if (_shape.Length > 0 && _shape[d] == 0)
            throw new IndexOutOfRangeException($"{name}(): Expected reduction dim {d} to have non-zero size.");
        var mask = ReducedMask([d]);
        var keep = KeepShape(_shape, mask);
        var values = Empty(keep, dtype, device);
        var indices = Empty(keep, DType.Int64, device);
        Kernels.Reduce(op, Buffer, values.Buffer, indices.Buffer);
        var outShape = OutShape(_shape, mask, keepdim);
        values = new Tensor(values._storage, outShape, Shapes.ContiguousStrides(outShape), 0);
        indices = new Tensor(indices._storage, outShape, Shapes.ContiguousStrides(outShape), 0);
        if (node is not null && GradMode.ShouldRecord(this)) node.Record(values, [this], [indices], ints: [d], keepdim: keepdim);
        return new ValuesIndices(name, values, indices);
    }

    /// <summary>The index of the largest value, over all elements (flattened) or along dim.</summary>
    public Tensor argmax(int? dim = null, bool keepdim = false)
    {
        if (dim is null) { CheckNonEmpty("argmax"); return reshape(-1).ArgReduce(ReduceOp.Max, 0, false, "argmax", null).indices.WithoutGraph(keepdim ? KeepShape(_shape, ReducedMask(null)) : null); }
        return ArgReduceIndices(ReduceOp.Max, dim.Value, keepdim, "argmax");
    }

    public Tensor argmin(int? dim = null, bool keepdim = false)
    {
        if (dim is null) { CheckNonEmpty("argmin"); return reshape(-1).ArgReduce(ReduceOp.Min, 0, false, "argmin", null).indices.WithoutGraph(keepdim ? KeepShape(_shape, ReducedMask(null)) : null); }
        return ArgReduceIndices(ReduceOp.Min, dim.Value, keepdim, "argmin");
    }

    private Tensor ArgReduceIndices(ReduceOp op, int dim, bool keepdim, string name)
    {
        using var _ = torch.no_grad();
        return ArgReduce(op, dim, keepdim, name, null).indices;
    }

    private Tensor WithoutGraph(long[]? shape) => shape is null ? this : new Tensor(_storage, shape, Shapes.ContiguousStrides(shape), _offset);

    public Tensor amax(long[]? dim = null, bool keepdim = false) => AMinMax(ReduceOp.Max, dim, keepdim, D.Amax);
    public Tensor amin(long[]? dim = null, bool keepdim = false) => AMinMax(ReduceOp.Min, dim, keepdim, D.Amin);
    public Tensor amax(int dim, bool keepdim = false) => amax([dim], keepdim);
    public Tensor amin(int dim, bool keepdim = false) => amin([dim], keepdim);

    private Tensor AMinMax(ReduceOp op, long[]? dim, bool keepdim, Derivative node)
    {
        var r = ReduceRaw(op, ReducedMask(dim), keepdim, dtype, dtype);
        return node.Record(r, this, ints: dim is null || dim.Length == 0 ? [] : dim, keepdim: keepdim);
    }

    public Tensor all() => ReduceRaw(ReduceOp.All, ReducedMask(null), false, DType.Bool, DType.Bool);
    public Tensor all(int dim, bool keepdim = false) => ReduceRaw(ReduceOp.All, ReducedMask([dim]), keepdim, DType.Bool, DType.Bool);
    public Tensor any() => ReduceRaw(ReduceOp.Any, ReducedMask(null), false, DType.Bool, DType.Bool);
    public Tensor any(int dim, bool keepdim = false) => ReduceRaw(ReduceOp.Any, ReducedMask([dim]), keepdim, DType.Bool, DType.Bool);

    /// <summary>p-norm over all elements or dims (p = 2 by default; also 1, inf, -inf, 0 and any p).</summary>
    public Tensor norm(double p = 2, long[]? dim = null, bool keepdim = false)
    {
        long[] dims = dim ?? [];
        var a = abs();
        Tensor Sum(Tensor t) => dims.Length == 0 ? t.sum() : t.sum(dims, keepdim);
        if (double.IsPositiveInfinity(p)) return dims.Length == 0 ? a.amax() : a.amax(dims, keepdim);
        if (double.IsNegativeInfinity(p)) return dims.Length == 0 ? a.amin() : a.amin(dims, keepdim);
        if (p == 0) return Sum(a.ne(0).to(Promotion.ToFloating(dtype)));
        if (p == 1) return Sum(a);
        if (p == 2) return Sum(a * a).sqrt();
        return Sum(a.pow(p)).pow(1.0 / p);
    }

    public Tensor cumsum(int dim, DType? dtype = null)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var dt = SumType(this.dtype, dtype);
        var src = CastRaw(dt);
        var r = Empty(_shape, dt, device);
        Kernels.Scan(ScanOp.CumSum, src.Buffer, d, r.Buffer);
        return GradMode.ShouldRecord(this) ? D.Cumsum.Record(r, this, ints: [d]) : r;
    }

    public Tensor cumprod(int dim, DType? dtype = null)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var dt = SumType(this.dtype, dtype);
        var src = CastRaw(dt);
        var r = Empty(_shape, dt, device);
        Kernels.Scan(ScanOp.CumProd, src.Buffer, d, r.Buffer);
        return GradMode.ShouldRecord(this) ? D.Cumprod.Record(r, this, ints: [d]) : r;
    }

    public Tensor logsumexp(long[] dim, bool keepdim = false)
    {
        var m = amax(dim, keepdim: true).detach();
        m = torch.where(m.isinf(), torch.zeros_like(m), m);
        var s = (this - m).exp().sum(dim, keepdim: true).log() + m;
        return keepdim ? s : s.squeeze(Array.ConvertAll(dim, d => Shapes.WrapDim(d, _shape.Length)));
    }

    public Tensor logsumexp(int dim, bool keepdim = false) => logsumexp([dim], keepdim);

    /// <summary>exp(x) normalised to sum to 1 along dim.</summary>
    public Tensor softmax(int dim, DType? dtype = null)
    {
        var x = dtype is { } dt ? to(dt) : this;
        if (!x.dtype.is_floating_point) throw new NotSupportedException($"\"softmax_lastdim_kernel_impl\" not implemented for '{DTypeTitle(x.dtype)}'");
        int d = Shapes.WrapDim(dim, _shape.Length);
        Tensor r;
        using (torch.no_grad())
        {
            var m = x.amax([d], keepdim: true);
            var e = (x - m).exp();
            r = e / e.sum([d], keepdim: true);
        }
        return GradMode.ShouldRecord(x) ? D.Softmax.Record(r, x, ints: [d]) : r;
    }

    public Tensor log_softmax(int dim, DType? dtype = null)
    {
        var x = dtype is { } dt ? to(dt) : this;
        if (!x.dtype.is_floating_point) throw new NotSupportedException($"\"log_softmax_lastdim_kernel_impl\" not implemented for '{DTypeTitle(x.dtype)}'");
        int d = Shapes.WrapDim(dim, _shape.Length);
        Tensor r;
        using (torch.no_grad())
        {
            var m = x.amax([d], keepdim: true);
            var sh = x - m;
            r = sh - sh.exp().sum([d], keepdim: true).log();
        }
        return GradMode.ShouldRecord(x) ? D.LogSoftmax.Record(r, x, ints: [d]) : r;
    }
}
