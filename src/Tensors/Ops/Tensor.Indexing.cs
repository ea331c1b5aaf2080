using Notebooks.Tensors.Autograd;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// x[...] get and set, as Python's Tensor.__getitem__/__setitem__ (torch/csrc/autograd/python_variable_indexing.cpp):
// integers, slices, None and Ellipsis make views; index tensors and bool masks ("advanced" indexing) make copies
// through index, and assignment writes through copy_ (basic) or index_put_ (advanced).
public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch indexing: <c>x[1]</c>, <c>x[1..3, ^1]</c>, <c>x[.., 1]</c>, <c>x[TensorIndex.Slice(0, null, 2)]</c>,
    /// <c>x[torch.newaxis]</c>, <c>x[TensorIndex.Ellipsis, 0]</c>, <c>x[x &lt; 0]</c>, <c>x[idx]</c>.
    /// Assigning writes into this tensor: <c>x[mask] = 0</c>, <c>z[i] = s</c>.
    /// </summary>
    public Tensor this[params TensorIndex[] indices]
    {
        get => GetItem(indices);
        set => SetItem(indices, value);
    }

    // A C# number where a Tensor is expected becomes a wrapped number: a 0-dim tensor that promotes like a Python
    // scalar. This is what lets `x[mask] = 0` compile (an indexer's setter takes the getter's type). The Scalar
    // conversion makes Scalar the better overload target, so `t + 1` still picks the (Tensor, Scalar) overloads.
    public static implicit operator Tensor(double value) => Wrap(value);
    public static implicit operator Tensor(float value) => Wrap(value);
    public static implicit operator Tensor(long value) => Wrap(value);
    public static implicit operator Tensor(int value) => Wrap(value);
    public static implicit operator Tensor(bool value) => Wrap(value);
    public static implicit operator Tensor(Scalar value) => Wrap(value);

    private const string ZeroDimIndexMessage =
        "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number";

    private Tensor GetItem(TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Length == 1 && indices[0].kind == TensorIndex.Kind.Integer && _shape.Length == 0)
            throw new IndexOutOfRangeException(ZeroDimIndexMessage);
        var sliced = ApplySlicing(indices, out var advanced);
        if (advanced is null)
            // x[...] and friends still return a new tensor object (PyTorch's at::alias).
            return ReferenceEquals(sliced, this) ? Alias() : sliced;
        return sliced.IndexAdvanced(advanced);
    }

    private void SetItem(TensorIndex[] indices, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(value);
        // Python converts a number to the destination's dtype before anything else (valueToTensor).
        if (value._isWrappedNumber) value = value.CastRaw(dtype);
        if (indices.Length == 1 && indices[0].kind == TensorIndex.Kind.Integer && _shape.Length == 0)
            throw new IndexOutOfRangeException(ZeroDimIndexMessage);
        var sliced = ApplySlicing(indices, out var advanced);
        var stripped = StripLeadingOnes(value);
        if (advanced is null)
        {
            sliced.copy_(stripped);
            return;
        }
        sliced.index_put_(advanced.ToArray(), stripped);
    }

    /// <summary>PyTorch's slicePrefix1sSize: a value of shape [1, 1, 3] assigns like one of shape [3].</summary>
    private static Tensor StripLeadingOnes(Tensor v)
    {
        int lead = 0;
        while (lead < v._shape.Length && v._shape[lead] == 1) lead++;
        return lead == 0 ? v : v.view(v._shape[lead..]);
    }

    private Tensor Alias()
    {
        var v = MakeView(_shape, _strides, _offset, static t => t.Alias());
        return D.Alias.Record(v, this);
    }

    /// <summary>
    /// Applies the basic entries (views) left to right and collects the tensor entries, each at the dim of the
    /// result it indexes (null elsewhere). <paramref name="advanced"/> is null when there are none.
    /// </summary>
    private Tensor ApplySlicing(TensorIndex[] indices, out List<Tensor?>? advanced)
    {
        int specified = 0, ellipses = 0;
        foreach (var ix in indices)
        {
            if (ix.kind == TensorIndex.Kind.Ellipsis) ellipses++;
            else if (ix.kind == TensorIndex.Kind.Tensor) specified += IsMask(ix.Tensor!) ? ix.Tensor!._shape.Length : 1;
            else if (ix.IsSpecified) specified++;
        }
        if (ellipses > 1) throw new IndexOutOfRangeException("an index can only have a single ellipsis ('...')");
        if (specified > _shape.Length)
            throw new IndexOutOfRangeException($"too many indices for tensor of dimension {_shape.Length}");

        // A lone slice is never short-circuited (Python passes disable_slice_optimization for it).
        bool sliceShortcut = indices.Length > 1;
        var tensors = new SortedDictionary<int, Tensor>();
        Tensor r = this;
        int dim = 0, realDim = 0;
        foreach (var ix in indices)
        {
            switch (ix.kind)
            {
                case TensorIndex.Kind.Integer:
                    r = SelectChecked(r, dim, ix.Resolve(r._shape[dim]), ix.FromEnd && ix.Value == 0 ? r._shape[dim] : ix.Written, realDim);
                    realDim++;
                    break;
                case TensorIndex.Kind.Slice:
                {
                    // Python's PySlice_Unpack refuses a zero step before torch sees it; torch refuses negative ones.
                    if (ix.Step == 0) throw new ArgumentException("slice step cannot be zero");
                    if (ix.Step < 0) throw new ArgumentException("step must be greater than zero");
                    long n = r._shape[dim];
                    var (s, e) = ix.ResolveSlice(n);
                    // Python skips the slice op for an explicit 0:len:1 (not for an open end).
                    bool whole = sliceShortcut && ix.Step == 1 && !ix.StartFromEnd && (ix.Start ?? 0) == 0 && ix.Stop == n && !ix.StopFromEnd;
                    if (!whole) r = r.slice(dim, s, e, ix.Step);
                    dim++; realDim++;
                    break;
                }
                case TensorIndex.Kind.None:
                    r = r.unsqueeze(dim);
                    dim++;
                    break;
                case TensorIndex.Kind.Ellipsis:
                    dim += _shape.Length - specified;
                    realDim += _shape.Length - specified;
                    break;
                case TensorIndex.Kind.Tensor:
                {
                    var t = ix.Tensor!;
                    if (t._shape.Length == 0 && t.dtype.IsIntegral && t.dtype != DType.UInt8)
                    {
                        // A 0-dim integer tensor indexes like an integer (a view).
                        var v = t.item<long>();
                        r = SelectChecked(r, dim, v < 0 ? v + r._shape[dim] : v, v, realDim);
                        realDim++;
                        break;
                    }
                    if (t._shape.Length == 0 && IsMask(t))
                    {
                        // x[True] adds a dim of size 1 and keeps it; x[False] adds one of size 0.
                        r = r.unsqueeze(dim);
                        tensors[dim] = t.item<bool>() ? torch.zeros(new long[] { 1 }, dtype: DType.Int64) : torch.zeros(new long[] { 0 }, dtype: DType.Int64);
                        dim++;
                        break;
                    }
                    tensors[dim] = t;
                    int span = IsMask(t) ? t._shape.Length : 1;
                    dim += span; realDim += span;
                    break;
                }
            }
        }
        if (tensors.Count == 0) { advanced = null; return r; }

        // One entry per indexed dim of r; a mask stands for as many dims as it has.
        advanced = [];
        for (int d = 0; d < r._shape.Length;)
        {
            if (tensors.TryGetValue(d, out var t)) { advanced.Add(t); d += IsMask(t) ? Math.Max(t._shape.Length, 1) : 1; }
            else { advanced.Add(null); d++; }
        }
        return r;
    }

    private static bool IsMask(Tensor t) => t.dtype.IsBool || t.dtype == DType.UInt8;

    private static Tensor SelectChecked(Tensor r, int dim, long resolved, long written, int realDim)
    {
        long n = r._shape[dim];
        if (resolved < 0 || resolved >= n)
            throw new IndexOutOfRangeException($"index {written} is out of bounds for dimension {realDim} with size {n}");
        return r.select(dim, resolved);
    }

    // ---------------- advanced indexing: index / index_put ----------------

    /// <summary>PyTorch's <c>index</c> op: one entry per leading dim (null = not indexed); bool masks allowed.</summary>
    internal Tensor IndexAdvanced(IReadOnlyList<Tensor?> indices)
    {
        // index's meta function: after the too-many-indices check (left to AdvancedIndex), only cpu[cpu] and
        // dev[cpu or dev] (check_indices_on_cpu_or_selfdevice, pytorch/pytorch#69607).
        if (indices.Count <= _shape.Length)
            foreach (var ix in indices)
                if (ix is not null && !ix.is_cpu && ix.device != device)
                    throw new InvalidOperationException(
                        $"indices should be either on cpu or on the same device as the indexed tensor ({device})");
        var plan = new AdvancedIndex(_shape, indices);
        var r = Empty(plan.ResultShape, dtype, device);
        IndexMoves.Move(this, plan.Offsets(this), r, null, false, r.numel());
        return GradMode.ShouldRecord(this) ? D.Index.Record(r, this, state: plan.Normalized) : r;
    }

    /// <summary>
    /// A copy with <c>self[indices] = values</c> (or <c>+=</c> when <paramref name="accumulate"/>); indices are one
    /// tensor (int64/int32 positions or a bool mask) or null per leading dim, as torch.index_put.
    /// </summary>
    public Tensor index_put(Tensor?[] indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(indices);
        // _index_put_impl_: a 0-dim value on another device is moved to self's; any other must be there already —
        // checked by the sort-based CUDA kernel that accumulation uses, else by the TensorIterator of the put.
        bool valuesElsewhere = values.device != device && values._shape.Length != 0;
        if (valuesElsewhere && accumulate && is_cuda)
            throw new InvalidOperationException($"expected device {device} but got device {values.device} for value tensor");
        var plan = new AdvancedIndex(_shape, indices);
        if (values.dtype != dtype)
            throw new InvalidOperationException(
                $"Index put requires the source and destination dtypes match, got {DTypeTitle(dtype)} for the destination and {DTypeTitle(values.dtype)} for the source.");
        Tensor expanded;
        try { expanded = values.ExpandRaw(plan.ResultShape); }
        catch (ArgumentException)
        {
            throw new InvalidOperationException(
                $"shape mismatch: value tensor of shape {Shapes.Format(values._shape)} cannot be broadcast to indexing result of shape {Shapes.Format(plan.ResultShape)}");
        }
        if (valuesElsewhere) throw new InvalidOperationException(MixedDevicesMessage(device, values.device));
        var r = CloneDetached();
        var vals = expanded.ContiguousRaw();
        IndexMoves.Move(vals, null, r, plan.Offsets(r), accumulate, vals.numel());
        return GradMode.ShouldRecord(this, values) ? D.IndexPut.Record(r, this, values, scalar: accumulate, state: plan.Normalized) : r;
    }

    /// <summary>In-place <see cref="index_put"/>: <c>x[mask] = v</c> is this (grad_fn IndexPutBackward0).</summary>
    public Tensor index_put_(Tensor?[] indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(indices);
        // Autograd's leaf/inference rules come before the kernel's checks, as VariableType runs first.
        CheckInPlaceAllowed();
        CheckIndexPutOverlap(indices, values, accumulate);
        return InPlace(s => s.index_put(indices, values, accumulate), values, checkCast: false, elementwiseOverlap: false);
    }

    /// <summary>
    /// _index_put_impl_: an expanded self only warns there (deprecated). A non-accumulating put of one value through a
    /// single bool mask is dispatched to masked_fill_ (canDispatchToMaskedFill), which checks only the mask; every
    /// other put refuses any overlap (full included) of self with the values or an index.
    /// </summary>
    private void CheckIndexPutOverlap(Tensor?[] indices, Tensor values, bool accumulate)
    {
        MemoryOverlap.WarnIfExpanded(this, "index_put_", "tensor[indices] = tensor");
        if (!accumulate && values.numel() == 1 && values.is_cpu)
        {
            Tensor? mask = null; bool maskOnly = true;
            foreach (var ix in indices)
            {
                if (ix is null) continue;
                if (!(ix.dtype.IsBool || ix.dtype.Kind == ScalarType.UInt8) || ix.device != device || mask is not null) { maskOnly = false; break; }
                mask = ix;
            }
            if (maskOnly && mask is not null)
            {
                // What masked_fill_ itself checks (and warns) once the put is dispatched to it.
                MemoryOverlap.WarnIfExpanded(this, "masked_fill_", "tensor[mask] = scalar");
                MemoryOverlap.AssertNoPartialOverlap(this, mask);
                return;
            }
        }
        MemoryOverlap.AssertNoOverlap(this, values);
        foreach (var ix in indices)
            if (ix is not null) MemoryOverlap.AssertNoOverlap(this, ix);
    }

    // ---------------- nonzero / masked ops / take ----------------

    /// <summary>The positions of non-zero elements, int64 of shape [n, ndim], in row-major order.</summary>
    public Tensor nonzero()
    {
        // On a device: a count pass, a scan, one download of the total, then the coordinates written in place.
        if (Kernels.Nonzero(Buffer) is { } onDevice) return Of(onDevice);
        var (cols, n) = NonzeroColumns();
        int nd = _shape.Length;
        var data = new long[n * nd];
        for (int k = 0; k < nd; k++)
            for (long i = 0; i < n; i++) data[i * nd + k] = cols[k][i];
        var r = Empty([n, nd], DType.Int64, device);
        torch.UploadConverted(r, data);
        return r;
    }

    /// <summary>
    /// <c>nonzero(as_tuple=True)</c>: one int64 vector of positions per dim (a 0-dim tensor counts as 1-d).
    /// With <c>as_tuple: false</c> the single [n, ndim] tensor is returned as the array's only element.
    /// </summary>
    public Tensor[] nonzero(bool as_tuple)
    {
        if (!as_tuple) return [nonzero()];
        if (is_cuda && _shape.Length > 0)
        {
            var nz = nonzero();
            return [.. Enumerable.Range(0, _shape.Length).Select(k => new Tensor(nz._storage, [nz._shape[0]], [nz._strides[0]], nz._offset + k * nz._strides[1]))];
        }
        var (cols, n) = NonzeroColumns();
        if (cols.Length == 0) cols = [new long[n]];
        var r = new Tensor[cols.Length];
        for (int k = 0; k < cols.Length; k++)
        {
            r[k] = Empty([n], DType.Int64, device);
            torch.UploadConverted(r[k], cols[k]);
        }
        return r;
    }

    public Tensor argwhere() => nonzero();

    private (long[][] cols, long n) NonzeroColumns()
    {
        bool[] flags;
        using (torch.no_grad()) flags = (dtype.IsBool ? this : ne(0)).ToArray<bool>();
        long n = 0;
        foreach (var f in flags) if (f) n++;
        int nd = _shape.Length;
        var cols = new long[nd][];
        for (int k = 0; k < nd; k++) cols[k] = new long[n];
        var idx = new long[nd];
        long at = 0;
        for (long i = 0; i < flags.LongLength; i++)
        {
            if (flags[i]) { for (int k = 0; k < nd; k++) cols[k][at] = idx[k]; at++; }
            for (int d = nd - 1; d >= 0; d--)
            {
                if (++idx[d] < _shape[d]) break;
                idx[d] = 0;
            }
        }
        return (cols, n);
    }

    /// <summary>A 0-dim tensor read as shape [1] over the same memory (masked ops, gather/scatter treat it so); others as they are.</summary>
    private Tensor AtLeast1D() => _shape.Length == 0 ? new Tensor(_storage, [1], [1], _offset, _version) : this;

    /// <summary>The elements where <paramref name="mask"/> (broadcast with self) is true, as a 1-D copy.</summary>
    public Tensor masked_select(Tensor mask)
    {
        if (!mask.dtype.IsBool) throw new ArgumentException("masked_select: expected BoolTensor for mask");
        var shape = Shapes.Broadcast(_shape, mask._shape);
        var x = ExpandRaw(shape).AtLeast1D();
        var m = mask.ExpandRaw(shape).AtLeast1D();
        var plan = new AdvancedIndex(x._shape, [m]);
        var r = Empty(plan.ResultShape, dtype, device);
        IndexMoves.Move(x, plan.Offsets(x), r, null, false, r.numel());
        return GradMode.ShouldRecord(this) ? D.MaskedSelect.Record(r, this, state: (x._shape, plan.Normalized)) : r;
    }

    /// <summary>A copy of self whose elements where <paramref name="mask"/> is true take <paramref name="source"/>'s elements in order.</summary>
    public Tensor masked_scatter(Tensor mask, Tensor source)
    {
        if (!mask.dtype.IsBool) throw new ArgumentException($"masked_scatter_ only supports boolean masks, but got mask with dtype {mask.dtype.Name}");
        if (source.dtype != dtype)
            throw new ArgumentException($"masked_scatter: expected self and source to have same dtypes but got {DTypeTitle(dtype)} and {DTypeTitle(source.dtype)}");
        var shape = Shapes.Broadcast(_shape, mask._shape);
        var r = ExpandRaw(shape).CloneDetached();
        var m = mask.ExpandRaw(shape);
        var plan = new AdvancedIndex(r.AtLeast1D()._shape, [m.AtLeast1D()]);
        long count = Shapes.Numel(plan.ResultShape);
        if (count > source.numel())
            throw new ArgumentException("masked_scatter: expected source to have at least as many elements as ones in mask");
        var src = source.ContiguousRaw();
        IndexMoves.Move(src, null, r, plan.Offsets(r.AtLeast1D()), false, count);
        return D.MaskedScatter.Record(r, this, source, state: m);
    }

    public Tensor masked_scatter_(Tensor mask, Tensor source)
    {
        Shapes.ExpandStrides(mask._shape, mask._strides, _shape);
        // masked_scatter__cpu checks only self's internal overlap (first thing), not the mask or the source.
        CheckInPlaceAllowed();
        MemoryOverlap.AssertNoInternalOverlap(this);
        return InPlace(s => s.masked_scatter(mask, source), source, checkCast: false, elementwiseOverlap: false);
    }

    /// <summary>Elements of the flattened tensor at <paramref name="index"/> (any shape; negatives count from the end).</summary>
    public Tensor take(Tensor index)
    {
        if (index.dtype != DType.Int64)
            throw new ArgumentException($"take(): Expected a long tensor for index, but got {DTypeTitle(index.dtype)}");
        long n = numel();
        if (IndexBounds.FirstOutOfRange(index, -n, n) is { } v)
            throw new IndexOutOfRangeException($"out of range: tried to access index {v} on a tensor of {n} elements.");
        var c = ContiguousRaw();
        var flat = new Tensor(c._storage, [n], [1], c._offset, _version);
        var plan = new AdvancedIndex([n], [index]);
        var r = Empty(plan.ResultShape, dtype, device);
        IndexMoves.Move(flat, plan.Offsets(flat), r, null, false, r.numel());
        return GradMode.ShouldRecord(this) ? D.Take.Record(r, this, state: plan.Normalized) : r;
    }
}
