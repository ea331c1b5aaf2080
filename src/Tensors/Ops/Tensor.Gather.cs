using Notebooks.Tensors.Backend;
using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

// gather / scatter / scatter_add / index_select: positions along one dim given by an index tensor. Element moves
// go through IndexMoves in the tensor's own dtype (on the device for CUDA tensors); the checks and their wording are PyTorch's
// (aten/src/ATen/native/ScatterGatherChecks.h, TensorAdvancedIndexing.cpp).
public sealed partial class Tensor
{
    /// <summary>out[i][j] = self[index[i][j]][j] (for dim 0), as torch.gather.</summary>
    public Tensor gather(int dim, Tensor index, bool sparse_grad = false)
    {
        _ = sparse_grad;
        CheckArgumentDevice(this, index, "index", "gather");
        var self = AtLeast1D();
        int d = Shapes.WrapDim(dim, self._shape.Length);
        if (index.dtype != DType.Int64) throw new ArgumentException("gather(): Expected dtype int64 for index");
        var ix = index.AtLeast1D();
        if (ix._shape.Length != self._shape.Length)
            throw new ArgumentException("Index tensor must have the same number of dimensions as input tensor");
        for (int k = 0; k < ix._shape.Length; k++)
            if (k != d && ix._shape[k] > self._shape[k])
                throw new ArgumentException(
                    $"Size does not match at dimension {k} expected index {Shapes.Format(index._shape)} to be smaller than self {Shapes.Format(_shape)} apart from dimension {d}");
        var offs = AlongDimOffsets(self, ix, d);
        var r = Empty(index._shape, dtype, device);
        IndexMoves.Move(this, offs, r, null, false, r.numel());
        return GradMode.ShouldRecord(this) ? D.Gather.Record(r, this, scalar: d, state: index.CloneDetached()) : r;
    }

    /// <summary>A copy of self with self[index[i][j]][j] = src[i][j] (dim 0), as torch.scatter.</summary>
    public Tensor scatter(int dim, Tensor index, Tensor src) => Scatter("scatter", "scatter_src", dim, index, src, null, add: false);
    public Tensor scatter(int dim, Tensor index, Scalar value) => Scatter("scatter", "scatter_value", dim, index, null, value, add: false);
    /// <summary>A copy of self with self[index[i][j]][j] += src[i][j] (dim 0), as torch.scatter_add.</summary>
    public Tensor scatter_add(int dim, Tensor index, Tensor src) => Scatter("scatter_add", "scatter_add", dim, index, src, null, add: true);

    // The in-place forms check devices first, under their own wrapper names, then run the functional op.
    public Tensor scatter_(int dim, Tensor index, Tensor src)
    {
        CheckScatterDevices(index, src, "scatter__src");
        return InPlace(s => CheckedIndexWrite(s.scatter(dim, index, src), index, src), src, checkCast: false, elementwiseOverlap: false);
    }

    public Tensor scatter_(int dim, Tensor index, Scalar value)
    {
        CheckScatterDevices(index, null, "scatter__value");
        return InPlace(s => CheckedIndexWrite(s.scatter(dim, index, value), index, null), checkCast: false, elementwiseOverlap: false);
    }

    public Tensor scatter_add_(int dim, Tensor index, Tensor src)
    {
        CheckScatterDevices(index, src, "scatter_add_");
        return InPlace(s => CheckedIndexWrite(s.scatter_add(dim, index, src), index, src), src, checkCast: false, elementwiseOverlap: false);
    }

    private void CheckScatterDevices(Tensor index, Tensor? src, string method)
    {
        CheckArgumentDevice(this, index, "index", method);
        if (src is not null) CheckArgumentDevice(this, src, "src", method);
    }

    /// <summary>
    /// The overlap checks of scatter_meta_impl and index_func_meta_impl (index_add_): no internal overlap in self,
    /// no overlap at all (full included) with the index or the source. They run after the op's dtype and shape
    /// checks, as there, but before anything is written into self.
    /// </summary>
    private Tensor CheckedIndexWrite(Tensor result, Tensor index, Tensor? source)
    {
        MemoryOverlap.AssertNoInternalOverlap(this);
        MemoryOverlap.AssertNoOverlap(this, index);
        if (source is not null) MemoryOverlap.AssertNoOverlap(this, source);
        return result;
    }

    private Tensor Scatter(string op, string method, int dim, Tensor index, Tensor? src, Scalar? value, bool add)
    {
        CheckScatterDevices(index, src, method);
        var self = AtLeast1D();
        int d = Shapes.WrapDim(dim, self._shape.Length);
        if (index.dtype != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int64 for index");
        if (src is not null && src.dtype != dtype) throw new ArgumentException($"{op}(): Expected self.dtype to be equal to src.dtype");
        var ix = index.AtLeast1D();
        if (ix._shape.Length != self._shape.Length)
            throw new ArgumentException("Index tensor must have the same number of dimensions as self tensor");
        var s = src?.AtLeast1D();
        if (s is not null && s._shape.Length != self._shape.Length)
            throw new ArgumentException("Index tensor must have the same number of dimensions as src tensor");
        for (int k = 0; k < ix._shape.Length; k++)
        {
            bool selfBad = k != d && ix._shape[k] > self._shape[k];
            bool srcBad = s is not null && ix._shape[k] > s._shape[k];
            if (selfBad || srcBad)
                throw new ArgumentException(s is null
                    ? $"Expected index {Shapes.Format(index._shape)} to be smaller than self {Shapes.Format(_shape)} apart from dimension {d}"
                    : $"Expected index {Shapes.Format(index._shape)} to be smaller than self {Shapes.Format(_shape)} apart from dimension {d} and to be smaller size than src {Shapes.Format(src!._shape)}");
        }

        var r = CloneDetached();
        var dst = r.AtLeast1D();
        var dstOffs = AlongDimOffsets(dst, ix, d);
        Tensor from; IndexOffsets? fromOffs;
        if (s is not null)
        {
            // src is read over the index's extent, in src's own layout.
            from = s;
            fromOffs = IndexMoves.Offsets(new Tensor(s._storage, ix._shape, s._strides, s._offset));
        }
        else
        {
            from = torch.full(ix._shape, value!.Value, dtype: dtype, device: device);
            fromOffs = null;
        }
        IndexMoves.Move(from, fromOffs, dst, dstOffs, add, dstOffs.Count);

        if (!(src is not null ? GradMode.ShouldRecord(this, src) : GradMode.ShouldRecord(this))) return r;
        var idx = index.CloneDetached();
        return src is null
            ? D.ScatterValue.Record(r, this, scalar: d, state: idx)
            : (add ? D.ScatterAdd : D.Scatter).Record(r, this, src, scalar: d, state: idx);
    }

    /// <summary>
    /// Storage offsets in <paramref name="t"/> of t[pos with pos[d] replaced by index[pos]] for every position of
    /// <paramref name="index"/>, with PyTorch's bounds check (no negative wrap for gather/scatter).
    /// </summary>
    private static IndexOffsets AlongDimOffsets(Tensor t, Tensor index, int d)
    {
        var strides = (long[])t._strides.Clone();
        long stride = strides[d]; strides[d] = 0;
        long n = t._shape[d];
        var view = new Tensor(t._storage, index._shape, strides, t._offset);
        return t.Kernels.AlongDimOffsets(view.Buffer, index.Buffer, stride, d, n);
    }

    /// <summary>The slices at <paramref name="index"/> (a vector of int64 or int32 positions) along a dim, as torch.index_select.</summary>
    public Tensor index_select(int dim, Tensor index)
    {
        CheckArgumentDevice(this, index, "index", "_index_select");
        if (index.dtype != DType.Int64 && index.dtype != DType.Int32)
            throw new ArgumentException("index_select(): Expected dtype int32 or int64 for index");
        if (index._shape.Length > 1) throw new ArgumentException("index_select(): Index is supposed to be a vector");
        var self = AtLeast1D();
        int d = Shapes.WrapDim(dim, self._shape.Length);
        long n = self._shape[d];
        var ix = index.AtLeast1D().CastRaw(DType.Int64);
        if (IndexBounds.FirstOutOfRange(ix, 0, n) is not null) throw new IndexOutOfRangeException("index out of range in self");
        var entries = new Tensor?[d + 1];
        entries[d] = ix;
        var plan = new AdvancedIndex(self._shape, entries);
        var r = Empty(plan.ResultShape, dtype, device);
        IndexMoves.Move(self, plan.Offsets(self), r, null, false, r.numel());
        if (_shape.Length == 0) r = new Tensor(r._storage, [], [], 0);
        return GradMode.ShouldRecord(this) ? D.IndexSelect.Record(r, this, scalar: d, state: plan.Normalized) : r;
    }

    /// <summary>
    /// A copy of self with <paramref name="source"/>'s slices (times <paramref name="alpha"/>) added at
    /// <paramref name="index"/> along <paramref name="dim"/>, repeated indices summing, as torch.index_add.
    /// </summary>
    public Tensor index_add(int dim, Tensor index, Tensor source, Scalar? alpha = null)
    {
        CheckIndexAddDevices(index, source, "index_add");
        if (index.dtype != DType.Int64 && index.dtype != DType.Int32)
            throw new ArgumentException("index_add_(): Expected dtype int32/int64 for index");
        if (index._shape.Length > 1) throw new ArgumentException("index_add_(): Index is supposed to be a vector");
        if (source.dtype != dtype)
            throw new ArgumentException($"index_add_(): self ({DTypeTitle(dtype)}) and source ({DTypeTitle(source.dtype)}) must have the same scalar type");
        var self = AtLeast1D();
        int d = Shapes.WrapDim(dim, self._shape.Length);
        var src = source.AtLeast1D();
        long count = index.numel();
        if (count != (source._shape.Length == 0 ? 1 : src._shape[d]))
            throw new ArgumentException($"index_add_(): Number of indices ({count}) should be equal to source.size(dim) ({(source._shape.Length == 0 ? 1 : src._shape[d])})");
        var selfSlice = _shape.Where((_, k) => k != d).ToArray();
        var srcSlice = source._shape.Where((_, k) => k != d).ToArray();
        if (!selfSlice.SequenceEqual(srcSlice))
            throw new ArgumentException($"index_add_(): Source/destination tensor must have same slice shapes. Destination slice shape: {Shapes.Format(selfSlice)} at dimension {d} and source slice shape: {Shapes.Format(srcSlice)} at dimension 0.");
        var ix = index.AtLeast1D().CastRaw(DType.Int64);
        if (IndexBounds.FirstOutOfRange(ix, 0, self._shape[d]) is not null) throw new IndexOutOfRangeException("index out of range in self");

        Tensor vals;
        using (torch.no_grad()) vals = (alpha is { } a ? src.mul(a).CastRaw(dtype) : src).ContiguousRaw();
        var entries = new Tensor?[d + 1];
        entries[d] = ix;
        var plan = new AdvancedIndex(self._shape, entries);
        var r = CloneDetached();
        var rv = r.AtLeast1D();
        IndexMoves.Move(vals, null, rv, plan.Offsets(rv), true, vals.numel());
        return GradMode.ShouldRecord(this, source) ? D.IndexAdd.Record(r, this, source, scalar: d, state: (ix, alpha)) : r;
    }

    public Tensor index_add_(int dim, Tensor index, Tensor source, Scalar? alpha = null)
    {
        CheckIndexAddDevices(index, source, "index_add_");
        return InPlace(s => CheckedIndexWrite(s.index_add(dim, index, source, alpha), index, source), source, checkCast: false, elementwiseOverlap: false);
    }

    private void CheckIndexAddDevices(Tensor index, Tensor source, string method)
    {
        CheckArgumentDevice(this, index, "index", method);
        CheckArgumentDevice(this, source, "source", method);
    }
}
