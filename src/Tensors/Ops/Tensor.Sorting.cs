using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors;

// sort, argsort, msort, topk, kthvalue, median/nanmedian, mode: each is one row sort (RowSort: stable, NaN largest)
// along the dim, then a gather of the values by the sorted positions (IndexMoves: on the tensor's own device). The
// checks and their wording are ATen's (aten/src/ATen/native/Sorting.cpp, SortingUtils.h, ReduceOpsUtils.h).
public sealed partial class Tensor
{
    /// <summary>
    /// The positions (int64, shaped like this tensor) that sort each row along <paramref name="d"/> (wrapped), stably.
    /// The keys are read once to host memory (floats as double, which every float dtype converts to exactly;
    /// integers and bool as long) and the positions go back to this tensor's device.
    /// </summary>
    internal Tensor SortedPositions(int d, bool descending, long take = -1)
    {
        using var _ = new NoGradScope();
        if (_shape.Length == 0) return torch.zeros([], DType.Int64, device);
        var moved = d == _shape.Length - 1 ? this : movedim(d, -1);
        long n = moved._shape[^1];
        long k = take < 0 ? n : take;
        uint[]? keys32 = dtype.Kind switch
        {
            ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 => RowSort.OrderKeys(moved.ToArray<float>(), descending),
            ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.UInt8 or ScalarType.Bool => RowSort.OrderKeys(moved.ToArray<int>(), descending),
            _ => null,
        };
        var outShape = (long[])moved._shape.Clone();
        outShape[^1] = k;
        Tensor host;
        if (keys32 is not null && n <= uint.MaxValue)
            host = new Tensor(HostMemory.Wrap(DType.Int64, RowSort.ArgsortPacked(keys32, n, k)), outShape, Shapes.ContiguousStrides(outShape), 0);
        else
        {
            long[] positions = dtype.is_floating_point
                ? RowSort.Argsort(moved.ToArray<double>(), n, descending)
                : RowSort.Argsort(moved.ToArray<long>(), n, descending);
            host = new Tensor(HostMemory.Wrap(DType.Int64, positions), moved._shape, Shapes.ContiguousStrides(moved._shape), 0);
            if (k < n) host = host.Narrowed(_shape.Length == 0 ? 0 : moved._shape.Length - 1, 0, k, 1).ContiguousRaw();
        }
        var onDevice = host.ToDeviceRaw(device);
        return d == _shape.Length - 1 ? onDevice : onDevice.movedim(-1, d).ContiguousRaw();
    }

    /// <summary>Values at <paramref name="positions"/> along dim d, without a graph (the caller records its own row).</summary>
    private Tensor TakeAlongRaw(int d, Tensor positions)
    {
        using var _ = new NoGradScope();
        return _shape.Length == 0 ? CloneDetached().reshape(positions._shape) : gather(d, positions);
    }

    /// <summary>Sorted values and their original positions along <paramref name="dim"/>, as torch.sort (always stable here).</summary>
    public ValuesIndices sort(int dim = -1, bool descending = false, bool? stable = null)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var indices = SortedPositions(d, descending);
        var values = TakeAlongRaw(d, indices);
        // sort(self, dim, descending) is SortBackward0; the overload with stable= is sort.stable, SortBackward1.
        var row = stable is null ? D.Sort : D.SortStable;
        if (GradMode.ShouldRecord(this)) row.Record(values, [this], [indices], ints: [d], keepdim: true);
        return new ValuesIndices("sort", values, indices);
    }

    public ValuesIndices sort(bool stable, int dim = -1, bool descending = false) => sort(dim, descending, (bool?)stable);

    public Tensor argsort(int dim = -1, bool descending = false, bool stable = false) =>
        SortedPositions(Shapes.WrapDim(dim, _shape.Length), descending);

    /// <summary>Sorts along the first dim (torch.msort is sort(dim=0).values).</summary>
    public Tensor msort() => sort(0).values;

    /// <summary>The k largest (or smallest) elements along <paramref name="dim"/>, as torch.topk.</summary>
    public ValuesIndices topk(long k, int dim = -1, bool largest = true, bool sorted = true)
    {
        _ = sorted; // Always sorted: PyTorch leaves the order unspecified when sorted=False, so sorted is one valid answer.
        int d = Shapes.WrapDim(dim, _shape.Length);
        long slice = _shape.Length == 0 ? 1 : _shape[d];
        if (k < 0 || k > slice) throw new InvalidOperationException("selected index k out of range");
        var indices = SortedPositions(d, descending: largest, take: _shape.Length == 0 ? -1 : k);
        var values = TakeAlongRaw(d, indices);
        if (GradMode.ShouldRecord(this)) D.Topk.Record(values, [this], [indices], ints: [d], keepdim: true);
        return new ValuesIndices("topk", values, indices);
    }

    /// <summary>The k-th smallest element (k from 1) along <paramref name="dim"/> and its position, as torch.kthvalue.</summary>
    public ValuesIndices kthvalue(long k, int dim = -1, bool keepdim = false)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        CheckReductionDimNonEmpty("kthvalue()", d);
        long slice = _shape.Length == 0 ? 1 : _shape[d];
        if (k < 1 || k > slice) throw new InvalidOperationException($"kthvalue(): selected number k out of range for dimension {d}");
        return SelectRanked("kthvalue", D.Kthvalue, d, keepdim, static (_, _) => 0, k - 1);
    }

    /// <summary>zero_numel_check_dims (ReduceOpsUtils.h): a reduction with indices needs a non-empty dim.</summary>
    private void CheckReductionDimNonEmpty(string fn, int d)
    {
        if (_shape.Length == 0 ? numel() == 0 : _shape[d] == 0)
            throw new IndexOutOfRangeException($"{fn}: Expected reduction dim {d} to have non-zero size.");
    }

    /// <summary>
    /// One element per row picked from the sorted row (rank from <paramref name="rank"/>(row's NaN count, row length), or
    /// <paramref name="fixedRank"/> when given), with its original position; keepdim as reductions do.
    /// </summary>
    private ValuesIndices SelectRanked(string name, Derivative row, int d, bool keepdim, Func<long, long, long> rank, long fixedRank = -1)
    {
        var pos = SortedPositions(d, descending: false);
        Tensor picked;
        if (_shape.Length == 0) picked = pos;
        else if (fixedRank >= 0) picked = pos.Narrowed(d, fixedRank, fixedRank + 1, 1).ContiguousRaw();
        else
        {
            // Per-row ranks (median with NaNs): the rank of each row, computed on the host from the row's NaN count.
            using var _ = new NoGradScope();
            var nans = isnan().sum([d], keepdim: true).ToArray<long>();
            var ranks = new long[nans.Length];
            for (int i = 0; i < ranks.Length; i++) ranks[i] = rank(nans[i], _shape[d]);
            var r = new Tensor(HostMemory.Wrap(DType.Int64, ranks), KeepShape(_shape, ReducedMask([d])), Shapes.ContiguousStrides(KeepShape(_shape, ReducedMask([d]))), 0);
            picked = pos.gather(d, r.ToDeviceRaw(device));
        }
        var values = TakeAlongRaw(d, picked);
        if (!keepdim && _shape.Length > 0)
        {
            var outShape = OutShape(_shape, ReducedMask([d]), false);
            values = values.Reshaped(outShape);
            picked = picked.Reshaped(outShape);
        }
        if (GradMode.ShouldRecord(this)) row.Record(values, [this], [picked], ints: [d], keepdim: keepdim);
        return new ValuesIndices(name, values, picked);
    }

    /// <summary>The lower median of all elements (NaN if any is NaN), as torch.median().</summary>
    public Tensor median() => MedianAll(ignoreNan: false);

    /// <summary>The lower median of the non-NaN elements, as torch.nanmedian().</summary>
    public Tensor nanmedian() => MedianAll(ignoreNan: true);

    /// <summary>Lower median along <paramref name="dim"/> and its position: a row with NaN gives its first NaN (median), or the median of the rest (nanmedian).</summary>
    public ValuesIndices median(int dim, bool keepdim = false) => MedianDim("median", D.MedianDim, dim, keepdim, ignoreNan: false);

    public ValuesIndices nanmedian(int dim, bool keepdim = false) => MedianDim("nanmedian", D.NanmedianDim, dim, keepdim, ignoreNan: true);

    private ValuesIndices MedianDim(string name, Derivative row, int dim, bool keepdim, bool ignoreNan)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        CheckReductionDimNonEmpty($"{name}()", d);
        if (ignoreNan)
            // nanmedian: the ((n - nans) - 1) / 2-th of the sorted row (NaNs sort last); an all-NaN row gives its first NaN.
            return SelectRanked(name, row, d, keepdim, static (nans, n) => nans == n ? 0 : (n - nans - 1) / 2);
        // median: a row with a NaN answers its first NaN (the stable sort puts it first among the NaNs).
        return SelectRanked(name, row, d, keepdim, static (nans, n) => nans > 0 ? n - nans : (n - 1) / 2);
    }

    private Tensor MedianAll(bool ignoreNan)
    {
        Tensor value;
        using (new NoGradScope())
        {
            if (numel() == 0) value = torch.full([], double.NaN, dtype, device);
            else
            {
                var flat = reshape(-1);
                var vi = ignoreNan ? flat.nanmedian(0) : flat.median(0);
                value = vi.values;
            }
        }
        return (ignoreNan ? D.NanmedianAll : D.MedianAll).Record(value, this);
    }

    /// <summary>
    /// The most frequent value of each row along <paramref name="dim"/> (the smallest of equally frequent ones) and
    /// the position of its last occurrence, as ATen's CPU mode kernel (aten/src/ATen/native/cpu/SortingKernel.cpp's
    /// mode: sort the row, count runs, keep the first longest run, report the largest original index of it).
    /// </summary>
    public ValuesIndices mode(int dim = -1, bool keepdim = false)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        CheckReductionDimNonEmpty("mode()", d);
        var (values, idx) = ModeRaw(d, keepdim);
        if (GradMode.ShouldRecord(this)) D.Mode.Record(values, [this], [idx], ints: [d], keepdim: keepdim);
        return new ValuesIndices("mode", values, idx);
    }

    private (Tensor values, Tensor indices) ModeRaw(int d, bool keepdim)
    {
        using var _ = new NoGradScope();
        var pos = SortedPositions(d, descending: false);
        var moved = _shape.Length == 0 ? reshape(1) : movedim(d, -1);
        var posMoved = _shape.Length == 0 ? pos.reshape(1) : pos.movedim(d, -1);
        long n = moved._shape[^1];
        var keys = moved.ToArray<double>();
        var p = posMoved.ToArray<long>();
        var best = new long[keys.LongLength / n];
        for (long r = 0; r < best.LongLength; r++)
        {
            long start = r * n, bestLen = 0, bestIdx = 0;
            for (long i = 0; i < n;)
            {
                long j = i, maxIdx = p[start + i];
                var run = keys[start + p[start + i]];
                while (j + 1 < n && RowSort.CompareNanLast(keys[start + p[start + j + 1]], run) == 0) maxIdx = Math.Max(maxIdx, p[start + ++j]);
                if (j - i + 1 > bestLen) { bestLen = j - i + 1; bestIdx = maxIdx; }
                i = j + 1;
            }
            best[r] = bestIdx;
        }
        long[] keepShape = _shape.Length == 0 ? [] : KeepShape(_shape, ReducedMask([d]));
        var idx = new Tensor(HostMemory.Wrap(DType.Int64, best), keepShape, Shapes.ContiguousStrides(keepShape), 0).ToDeviceRaw(device);
        var values = TakeAlongRaw(d, idx);
        if (keepdim || _shape.Length == 0) return (values, idx);
        var outShape = OutShape(_shape, ReducedMask([d]), false);
        return (values.Reshaped(outShape), idx.Reshaped(outShape));
    }
}
