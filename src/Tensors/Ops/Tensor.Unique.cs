using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors;

// unique, unique_consecutive, searchsorted, bucketize: index computations on host keys (read once), the values
// moved by index_select on the tensor's device. Grouping compares with ==, as ATen's CPU kernels
// (aten/src/ATen/native/Unique.cpp) do, so NaNs are never merged; searching is ATen's cus_lower_bound/cus_upper_bound
// (aten/src/ATen/native/Bucketization.cpp).
public sealed partial class Tensor
{
    /// <summary>The sorted unique elements, a tensor (the other overloads return what was asked for beside it).</summary>
    public Tensor unique() => UniqueImpl(null, consecutive: false, false, false).output;

    /// <summary>The unique elements (sorted; slices along <paramref name="dim"/> when given), with inverse indices and counts on request, as torch.unique.</summary>
    public UniqueResult unique(bool sorted = true, bool return_inverse = false, bool return_counts = false, int? dim = null)
    {
        _ = sorted; // ATen's CPU unique sorts either way (sorted=False leaves the order unspecified).
        return UniqueImpl(dim, consecutive: false, return_inverse, return_counts);
    }

    public Tensor unique_consecutive() => UniqueImpl(null, consecutive: true, false, false).output;

    /// <summary>Collapses runs of equal consecutive elements (slices along <paramref name="dim"/> when given), as torch.unique_consecutive.</summary>
    public UniqueResult unique_consecutive(bool return_inverse = false, bool return_counts = false, int? dim = null) =>
        UniqueImpl(dim, consecutive: true, return_inverse, return_counts);

    private UniqueResult UniqueImpl(int? dim, bool consecutive, bool returnInverse, bool returnCounts)
    {
        using var _ = new NoGradScope();
        Tensor rows; int d;
        if (dim is null) { rows = reshape(-1, 1); d = -1; }
        else
        {
            if (_shape.Length == 0) throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [-1, 0], but got {dim})");
            d = Shapes.WrapDim(dim.Value, _shape.Length);
            rows = movedim(d, 0).reshape(_shape[d], -1);
        }
        long n = rows._shape[0], width = rows._shape[1];
        var keys = rows.ToArray<double>();
        bool exactAsLong = !dtype.is_floating_point;
        var longKeys = exactAsLong ? rows.ToArray<long>() : null;
        bool Equal(long a, long b)
        {
            for (long k = 0; k < width; k++)
                if (exactAsLong ? longKeys![a * width + k] != longKeys[b * width + k] : keys[a * width + k] != keys[b * width + k]) return false;
            return true;
        }
        int Compare(long a, long b)
        {
            for (long k = 0; k < width; k++)
            {
                int c = exactAsLong ? longKeys![a * width + k].CompareTo(longKeys[b * width + k]) : RowSort.CompareNanLast(keys[a * width + k], keys[b * width + k]);
                if (c != 0) return c;
            }
            return a.CompareTo(b);
        }
        var order = new long[n];
        for (long i = 0; i < n; i++) order[i] = i;
        if (!consecutive)
        {
            if (width == 1) order = exactAsLong ? RowSort.Argsort(longKeys!, n, false) : RowSort.Argsort(keys, n, false);
            else Array.Sort(order, Compare);
        }
        var firsts = new List<long>(); var counts = new List<long>();
        var inverse = new long[n];
        for (long i = 0; i < n; i++)
        {
            if (i == 0 || !Equal(order[i], order[i - 1])) { firsts.Add(order[i]); counts.Add(0); }
            counts[^1]++;
            inverse[order[i]] = firsts.Count - 1;
        }
        var pick = torch.tensor(firsts.ToArray()).to(device);
        Tensor output = dim is null ? reshape(-1).index_select(0, pick) : index_select(d, pick);
        Tensor? inv = null, cnt = null;
        if (returnInverse)
        {
            inv = new Tensor(HostMemory.Wrap(DType.Int64, inverse), [n], [1], 0).ToDeviceRaw(device);
            if (dim is null) inv = inv.reshape(_shape);
        }
        if (returnCounts) cnt = torch.tensor(counts.ToArray()).to(device);
        return new UniqueResult(output, inv, cnt);
    }

    /// <summary>
    /// Where each of <paramref name="values"/> would go in the rows of this sorted tensor to keep them sorted (the
    /// first such place, or the last when <paramref name="right"/> or side "right"), as torch.searchsorted(self, values).
    /// </summary>
    internal Tensor SearchSorted(Tensor values, bool out_int32, bool right, string? side, Tensor? sorter)
    {
        if (side is not null && side != "left" && side != "right")
            throw new InvalidOperationException($"torch.searchsorted(): side can only be 'left' or 'right' but got {side}");
        if (right && side == "left")
            throw new InvalidOperationException("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
        bool upper = right || side == "right";
        if (sorter is not null)
        {
            if (sorter.dtype != DType.Int64) throw new InvalidOperationException($"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype {DTypeTitle(sorter.dtype)}");
            if (!Shapes.SameShape(sorter._shape, _shape))
                throw new InvalidOperationException($"torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor {Shapes.Format(_shape)}and got sorter tensor {Shapes.Format(sorter._shape)}");
        }
        if (values.dim() == 0 && _shape.Length != 1)
            throw new InvalidOperationException($"torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we got boundaries tensor dim({_shape.Length}) and input value's dim({values.dim()}) numel({values.numel()})");
        if (_shape.Length == 0) throw new InvalidOperationException("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
        bool leadingMatch = values.dim() == _shape.Length;
        for (int i = 0; leadingMatch && i < _shape.Length - 1; i++) leadingMatch = values._shape[i] == _shape[i];
        if (_shape.Length != 1 && !leadingMatch)
            throw new InvalidOperationException($"torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor {Shapes.Format(_shape)} and input value tensor {Shapes.Format(values._shape)}");
        CheckSameDevice(this, values);

        using var _ = new NoGradScope();
        bool asLong = !dtype.is_floating_point && !values.dtype.is_floating_point;
        long len = _shape[^1];
        var bd = asLong ? null : ToArray<double>(); var bl = asLong ? ToArray<long>() : null;
        var vd = asLong ? null : values.ToArray<double>(); var vl = asLong ? values.ToArray<long>() : null;
        var order = sorter?.ToArray<long>();
        long count = values.numel(), perRow = values.dim() == 0 ? 1 : values._shape[^1];
        var result = new long[count];
        for (long i = 0; i < count; i++)
        {
            long row = _shape.Length == 1 ? 0 : i / perRow, start = row * len, lo = 0, hi = len;
            while (lo < hi)
            {
                long mid = lo + ((hi - lo) >> 1);
                long at = start + (order is null ? mid : order[start + mid]);
                // cus_lower_bound: !(mid >= val) moves right; cus_upper_bound: !(mid > val).
                bool goRight = asLong
                    ? upper ? !(bl![at] > vl![i]) : !(bl![at] >= vl![i])
                    : upper ? !(bd![at] > vd![i]) : !(bd![at] >= vd![i]);
                if (goRight) lo = mid + 1; else hi = mid;
            }
            result[i] = lo;
        }
        var r = new Tensor(HostMemory.Wrap(DType.Int64, result), values._shape, Shapes.ContiguousStrides(values._shape), 0);
        return (out_int32 ? r.CastRaw(DType.Int32) : r).ToDeviceRaw(values.device);
    }

    /// <summary>The index of the bucket of <paramref name="boundaries"/> (1-d, sorted) each element falls in, as torch.bucketize.</summary>
    public Tensor bucketize(Tensor boundaries, bool out_int32 = false, bool right = false)
    {
        if (boundaries.dim() != 1) throw new InvalidOperationException($"boundaries tensor must be 1 dimension, but got dim({boundaries.dim()})");
        return boundaries.SearchSorted(this, out_int32, right, null, null);
    }
}
