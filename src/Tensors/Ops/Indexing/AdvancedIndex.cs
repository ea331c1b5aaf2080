using Notebooks.Tensors.Backend;
namespace Notebooks.Tensors;

/// <summary>
/// NumPy/PyTorch advanced indexing resolved against one tensor shape: bool masks expanded to positions, index
/// tensors checked and broadcast together, and the result's layout (PyTorch's rule: adjacent indexed dims keep
/// their place, separated ones move to the front). Gives the storage offset of every result element in any
/// tensor of the indexed shape.
/// </summary>
internal sealed class AdvancedIndex
{
    public readonly long[] SrcShape;
    /// <summary>Per source dim: the int64 position tensor (masks expanded), or null where not indexed.</summary>
    public readonly Tensor?[] Normalized;
    public readonly long[] ResultShape;
    private readonly int[] _dims;
    /// <summary>Per index tensor, its wrapped positions broadcast to the index shape (host indices only; null for device ones).</summary>
    private readonly long[]?[] _pos;
    private readonly long[] _bshape;
    private readonly bool _adjacent;

    public AdvancedIndex(long[] srcShape, IReadOnlyList<Tensor?> indices)
    {
        SrcShape = srcShape;
        var expanded = Expand(srcShape, indices);
        if (expanded.Count > srcShape.Length)
            throw new IndexOutOfRangeException($"too many indices for tensor of dimension {srcShape.Length} (got {expanded.Count})");
        Normalized = new Tensor?[srcShape.Length];
        var dims = new List<int>();
        for (int d = 0; d < expanded.Count; d++)
            if (expanded[d] is { } t) { Normalized[d] = t; dims.Add(d); }
        _dims = dims.ToArray();

        _bshape = [];
        try
        {
            foreach (var d in _dims) _bshape = Shapes.Broadcast(_bshape, Normalized[d]!._shape);
        }
        catch (ArgumentException)
        {
            var shapes = string.Join(", ", _dims.Select(d => Shapes.Format(Normalized[d]!._shape)));
            throw new IndexOutOfRangeException($"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}");
        }

        _pos = new long[]?[_dims.Length];
        for (int k = 0; k < _dims.Length; k++)
        {
            var t = Normalized[_dims[k]]!;
            long n = srcShape[_dims[k]];
            // PyTorch's index kernel numbers the dim among the indexed dims only.
            if (t.is_cuda)
            {
                // Device positions stay on the device: checked there, wrapped by the offset kernel.
                if (IndexBounds.FirstOutOfRange(t, -n, n) is { } bad)
                    throw new IndexOutOfRangeException($"index {bad} is out of bounds for dimension {k} with size {n}");
                continue;
            }
            var vals = t.ExpandRaw(_bshape).ToArray<long>();
            for (long i = 0; i < vals.LongLength; i++)
            {
                var v = vals[i];
                if (v < -n || v >= n) throw new IndexOutOfRangeException($"index {v} is out of bounds for dimension {k} with size {n}");
                if (v < 0) vals[i] = v + n;
            }
            _pos[k] = vals;
        }

        _adjacent = _dims.Length == 0 || _dims[^1] - _dims[0] == _dims.Length - 1;
        var result = new List<long>();
        if (_adjacent)
        {
            int first = _dims.Length == 0 ? srcShape.Length : _dims[0];
            for (int d = 0; d < first; d++) result.Add(srcShape[d]);
            result.AddRange(_bshape);
            for (int d = _dims.Length == 0 ? srcShape.Length : _dims[^1] + 1; d < srcShape.Length; d++) result.Add(srcShape[d]);
        }
        else
        {
            result.AddRange(_bshape);
            for (int d = 0; d < srcShape.Length; d++) if (Normalized[d] is null) result.Add(srcShape[d]);
        }
        ResultShape = result.ToArray();
    }

    public bool IsEmpty => _dims.Length == 0;

    /// <summary>Masks become their nonzero positions (one int64 vector per mask dim); integer indices become int64.</summary>
    private static List<Tensor?> Expand(long[] srcShape, IReadOnlyList<Tensor?> indices)
    {
        var r = new List<Tensor?>();
        foreach (var ix in indices)
        {
            if (ix is null) { r.Add(null); continue; }
            var dt = ix.dtype;
            if (dt.IsBool || dt == DType.UInt8)
            {
                int at = r.Count;
                for (int j = 0; j < ix._shape.Length; j++)
                {
                    int srcIdx = at + j;
                    if (srcIdx >= srcShape.Length)
                        throw new IndexOutOfRangeException($"too many indices for tensor of dimension {srcShape.Length} (got {at + ix._shape.Length})");
                    if (ix._shape[j] != srcShape[srcIdx])
                        throw new IndexOutOfRangeException(
                            $"The shape of the mask {Shapes.Format(ix._shape)} at index {j} does not match the shape of the indexed tensor {Shapes.Format(srcShape)} at index {srcIdx}");
                }
                foreach (var col in ix.nonzero(as_tuple: true)) r.Add(col);
            }
            else if (dt == DType.Int64 || dt == DType.Int32)
                // An owned int64 copy: a later write to the caller's index must not change what backward uses.
                r.Add(dt == DType.Int64 ? ix.CloneDetached() : ix.CastRaw(DType.Int64));
            else
                throw new IndexOutOfRangeException("tensors used as indices must be long, int, byte or bool tensors");
        }
        return r;
    }

    /// <summary>
    /// The storage offset, in <paramref name="t"/> (shaped <see cref="SrcShape"/>), of every result element: computed
    /// by a kernel when t is on a device, else on the host.
    /// </summary>
    public IndexOffsets Offsets(Tensor t) => t.Kernels.OffsetsOnDevice ? DeviceOffsets(t) : HostOffsets(t);

    /// <summary>The source dims before and after the indexed block, in result order.</summary>
    private (List<int> before, List<int> after) OuterDims()
    {
        var before = new List<int>(); var after = new List<int>();
        if (_adjacent)
        {
            int first = _dims.Length == 0 ? SrcShape.Length : _dims[0];
            int last = _dims.Length == 0 ? SrcShape.Length - 1 : _dims[^1];
            for (int d = 0; d < first; d++) before.Add(d);
            for (int d = last + 1; d < SrcShape.Length; d++) after.Add(d);
        }
        else
            for (int d = 0; d < SrcShape.Length; d++) if (Normalized[d] is null) after.Add(d);
        return (before, after);
    }

    private IndexOffsets DeviceOffsets(Tensor t)
    {
        var (before, after) = OuterDims();
        long nb = Shapes.Numel(_bshape);
        int k = _dims.Length;
        var backend = t.Kernels;
        // All index tensors broadcast into one [K, nb] block, so the offset kernel takes a single buffer.
        var pos = Tensor.Empty([Math.Max(1, k) * Math.Max(1, nb)], DType.Int64, t.device);
        var rowStrides = Shapes.ContiguousStrides(_bshape);
        for (int j = 0; j < k; j++)
            backend.Copy(Normalized[_dims[j]]!.ExpandRaw(_bshape).Buffer, new StridedBuffer(pos._storage, _bshape, rowStrides, j * nb));
        var offsets = backend.AdvancedOffsets(pos.Buffer,
            _dims.Select(d => SrcShape[d]).ToArray(), _dims.Select(d => t._strides[d]).ToArray(),
            before.Select(d => SrcShape[d]).ToArray(), before.Select(d => t._strides[d]).ToArray(), t._offset,
            after.Select(d => SrcShape[d]).ToArray(), after.Select(d => t._strides[d]).ToArray(), nb);
        return IndexOffsets.OnDevice(offsets);
    }

    private long[] HostOffsets(Tensor t)
    {
        var st = t._strides;
        var (before, after) = OuterDims();
        for (int k = 0; k < _dims.Length; k++)
        {
            if (_pos[k] is not null) continue;
            // A device index used on a host tensor: its positions come down once.
            var n = SrcShape[_dims[k]];
            var vals = Normalized[_dims[k]]!.ExpandRaw(_bshape).ToArray<long>();
            for (long i = 0; i < vals.LongLength; i++) if (vals[i] < 0) vals[i] += n;
            _pos[k] = vals;
        }

        var bo = DimOffsets(before, st); var ao = DimOffsets(after, st);
        long nb = Shapes.Numel(_bshape);
        var io = new long[nb];
        for (int k = 0; k < _dims.Length; k++)
        {
            var p = _pos[k]!; var s = st[_dims[k]];
            for (long i = 0; i < nb; i++) io[i] += p[i] * s;
        }
        var r = new long[bo.LongLength * nb * ao.LongLength];
        long at = 0;
        foreach (var b in bo)
            foreach (var i in io)
                foreach (var a in ao)
                    r[at++] = t._offset + b + i + a;
        return r;
    }

    /// <summary>Row-major offsets over the listed dims (one 0 when there are none).</summary>
    private long[] DimOffsets(List<int> dims, long[] strides)
    {
        var shape = dims.Select(d => SrcShape[d]).ToArray();
        var n = Shapes.Numel(shape);
        var r = new long[n];
        var idx = new long[shape.Length];
        long off = 0;
        for (long i = 0; i < n; i++)
        {
            r[i] = off;
            for (int j = shape.Length - 1; j >= 0; j--)
            {
                off += strides[dims[j]];
                if (++idx[j] < shape[j]) break;
                off -= strides[dims[j]] * shape[j];
                idx[j] = 0;
            }
        }
        return r;
    }
}
