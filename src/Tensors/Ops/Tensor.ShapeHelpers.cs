using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// repeat_interleave, tile, kron, diag_embed, tensor_split, take_along_dim, rot90, combinations: each written as ATen
// composes it (aten/src/ATen/native/Repeat.cpp, TensorShape.cpp, LinearAlgebra.cpp's KronImpl, TensorAdvancedIndexing.cpp,
// Itertools.cpp) from differentiable ops, so values, gradients and devices follow from theirs; rot90 records its row.
public sealed partial class Tensor
{
    /// <summary>Each element repeated <paramref name="repeats"/> times along <paramref name="dim"/> (flattened when null), as torch.repeat_interleave.</summary>
    public Tensor repeat_interleave(long repeats, int? dim = null, long? output_size = null)
    {
        var input = dim is null ? flatten() : this;
        int d = Shapes.WrapDim(dim ?? 0, _shape.Length);
        if (repeats < 0) throw new InvalidOperationException("Repeats must be non-negative");
        input = input.unsqueeze(d + 1);
        var expand = (long[])input._shape.Clone();
        expand[d + 1] = repeats;
        if (output_size is { } os && os != repeats * expand[d])
            throw new InvalidOperationException($"repeat_interleave: Invalid output_size, expected {repeats * expand[d]} but got {os}");
        return input.expand(expand).contiguous().flatten(d, d + 1);
    }

    /// <summary>Element i repeated repeats[i] times along <paramref name="dim"/> (flattened when null): an index_select of repeat_interleave(repeats).</summary>
    public Tensor repeat_interleave(Tensor repeats, int? dim = null, long? output_size = null)
    {
        var input = dim is null ? flatten() : this;
        int d = dim is null ? 0 : Shapes.WrapDim(dim.Value, _shape.Length);
        var r = repeats;
        if (repeats.dim() == 0 || repeats.dim() == 1 && repeats._shape[0] == 1) r = repeats.reshape(1).expand(input._shape[d]);
        else if (repeats.dim() == 1)
        {
            if (repeats._shape[0] != input._shape[d])
                throw new InvalidOperationException($"repeats must have the same size as input along dim, but got repeats.size(0) = {repeats._shape[0]} and input.size({d}) = {input._shape[d]}");
        }
        else throw new InvalidOperationException("repeats must be 0-dim or 1-dim tensor");
        return input.index_select(d, torch.repeat_interleave(r, output_size));
    }

    /// <summary>torch.tile: repeat with <paramref name="dims"/> padded by leading ones to this tensor's rank (numpy.tile).</summary>
    public Tensor tile(params long[] dims)
    {
        int diff = _shape.Length - dims.Length;
        return diff > 0 ? repeat([.. Enumerable.Repeat(1L, diff), .. dims]) : repeat(dims);
    }

    /// <summary>The Kronecker product (KronImpl: interleaved views multiplied by broadcasting, then folded).</summary>
    public Tensor kron(Tensor other)
    {
        int maxdim = Math.Max(dim(), other.dim());
        int padSelf = maxdim - dim(), padOther = maxdim - other.dim();
        var a = new long[2 * maxdim]; var b = new long[2 * maxdim]; var result = new long[maxdim];
        for (int i = 0; i < maxdim; i++)
        {
            a[2 * i] = i >= padSelf ? _shape[i - padSelf] : 1; a[2 * i + 1] = 1;
            b[2 * i] = 1; b[2 * i + 1] = i >= padOther ? other._shape[i - padOther] : 1;
            result[i] = a[2 * i] * b[2 * i + 1];
        }
        return reshape(a).mul(other.reshape(b)).reshape(result);
    }

    /// <summary>
    /// Tensors whose last dim fills the diagonal (at <paramref name="offset"/>) of the planes (<paramref name="dim1"/>,
    /// <paramref name="dim2"/>) of a new, larger zero tensor, as torch.diag_embed.
    /// </summary>
    public Tensor diag_embed(long offset = 0, int dim1 = -2, int dim2 = -1)
    {
        int rank = _shape.Length + 1;
        int d1 = Shapes.WrapDim(dim1, rank), d2 = Shapes.WrapDim(dim2, rank);
        if (d1 == d2) throw new InvalidOperationException($"diagonal dimensions cannot be identical {dim1}, {dim2}");
        long n = (_shape.Length == 0 ? 1 : _shape[^1]) + Math.Abs(offset);
        var shape = new long[rank];
        for (int i = 0, k = 0; i < rank; i++) shape[i] = i == d1 || i == d2 ? n : _shape[k++];
        var zeros = torch.zeros(shape, dtype, device);
        return zeros.diagonal_scatter(_shape.Length == 0 ? reshape(1) : this, offset, d1, d2);
    }

    /// <summary>Splits into <paramref name="sections"/> parts as equal as possible (the first ones one longer), as torch.tensor_split.</summary>
    public Tensor[] tensor_split(long sections, int dim = 0)
    {
        if (_shape.Length == 0) throw new InvalidOperationException($"tensor_split expected at least a 1-dimensional tensor, but got a tensor with {_shape.Length} dims");
        if (sections <= 0) throw new InvalidOperationException($"number of sections must be larger than 0, got {sections}");
        int d = Shapes.WrapDim(dim, _shape.Length);
        long size = _shape[d], min = size / sections, extra = size % sections, start = 0;
        var parts = new Tensor[sections];
        for (long i = 0; i < sections; i++)
        {
            long len = i < extra ? min + 1 : min;
            parts[i] = slice(d, start, start + len);
            start += len;
        }
        return parts;
    }

    /// <summary>Splits before each of <paramref name="indices"/> (as Python slices: clamped, possibly empty), as torch.tensor_split.</summary>
    public Tensor[] tensor_split(long[] indices, int dim = 0)
    {
        if (_shape.Length == 0) throw new InvalidOperationException($"tensor_split expected at least a 1-dimensional tensor, but got a tensor with {_shape.Length} dims");
        int d = Shapes.WrapDim(dim, _shape.Length);
        var parts = new Tensor[indices.Length + 1];
        long start = 0;
        for (int i = 0; i < indices.Length; i++) { parts[i] = slice(d, start, indices[i]); start = indices[i]; }
        parts[^1] = slice(d, start, _shape[d]);
        return parts;
    }

    /// <summary>tensor_split by a tensor: a 0-dim one is a number of sections, a 1-d one the split indices.</summary>
    public Tensor[] tensor_split(Tensor tensor_indices_or_sections, int dim = 0)
    {
        var t = tensor_indices_or_sections;
        if (!t.is_cpu) throw new InvalidOperationException($"tensor_split expected tensor_indices_or_sections to be on cpu, but it's on {t.device}");
        if (t.dtype != DType.Int64) throw new InvalidOperationException($"tensor_split expected tensor_indices_or_sections to have dtype of long, but got {DTypeTitle(t.dtype)}");
        if (t.dim() > 1) throw new InvalidOperationException($"tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with {t.dim()} dims");
        return t.dim() == 0 ? tensor_split(t.item<long>(), dim) : tensor_split(t.ToArray<long>(), dim);
    }

    /// <summary>Values at <paramref name="indices"/> along <paramref name="dim"/> with both broadcast (flattened when null), as torch.take_along_dim.</summary>
    public Tensor take_along_dim(Tensor indices, int? dim = null)
    {
        if (dim is null) return view(-1).gather(0, indices.view(-1));
        if (_shape.Length != indices.dim())
            throw new InvalidOperationException($"torch.take_along_dim(): input and indices should have the same number of dimensions, but got {_shape.Length} dimensions for input, and {indices.dim()} dimensions for indices");
        if (indices.dtype != DType.Int64)
            throw new InvalidOperationException($"torch.take_along_dim(): dtype of indices should be Long but got {DTypeTitle(indices.dtype)}");
        int d = Shapes.WrapDim(dim.Value, _shape.Length);
        var selfSizes = (long[])_shape.Clone(); selfSizes[d] = indices._shape[d];
        var ib = indices.expand(Shapes.Broadcast(selfSizes, indices._shape));
        var indexSizes = (long[])indices._shape.Clone(); indexSizes[d] = _shape[d];
        var sb = expand(Shapes.Broadcast(indexSizes, _shape));
        return sb.gather(d, ib);
    }

    /// <summary>Rotates by 90° k times in the plane (dims[0], dims[1]), from the first towards the second, as torch.rot90.</summary>
    public Tensor rot90(long k = 1, long[]? dims = null)
    {
        dims ??= [0, 1];
        int total = _shape.Length;
        if (dims.Length != 2) throw new InvalidOperationException($"expected total rotation dims == 2, but got dims = {dims.Length}");
        if (total < 2) throw new InvalidOperationException($"expected total dims >= 2, but got total dims = {total}");
        if (dims[0] == dims[1] || Math.Abs(dims[0] - dims[1]) == total)
            throw new InvalidOperationException($"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}");
        if (dims[0] >= total || dims[0] < -total) throw new InvalidOperationException($"Rotation dim0 out of range, dim0 = {dims[0]}");
        if (dims[1] >= total || dims[1] < -total) throw new InvalidOperationException($"Rotation dim1 out of range, dim1 = {dims[1]}");
        int d0 = Shapes.WrapDim(dims[0], total), d1 = Shapes.WrapDim(dims[1], total);
        long turns = (4 + k % 4) % 4;
        Tensor r;
        using (new NoGradScope())
            r = turns switch
            {
                1 => flip((long)d1).transpose(d0, d1).contiguous(),
                2 => flip((long)d0, d1),
                3 => flip((long)d0).transpose(d0, d1).contiguous(),
                _ => contiguous().CloneDetached(),
            };
        return D.Rot90.Record(r, this, ints: [turns, d0, d1]);
    }

    /// <summary>
    /// The r-length combinations of a 1-d tensor's elements in lexicographic order of positions (with repeats when
    /// <paramref name="with_replacement"/>), as torch.combinations (Itertools.cpp: meshgrid masked to i1 &lt; i2 &lt; …).
    /// </summary>
    public Tensor combinations(long r = 2, bool with_replacement = false)
    {
        if (_shape.Length != 1) throw new InvalidOperationException($"Expect a 1D vector, but got shape {Shapes.Format(_shape)}");
        if (r < 0) throw new InvalidOperationException($"Expect a non-negative number, but got {r}");
        if (r == 0) return torch.empty([0], dtype, device);
        long n = _shape[0];
        var columns = new List<long>[r];
        for (int j = 0; j < r; j++) columns[j] = [];
        var pos = new long[r];
        void Walk(int j, long from)
        {
            if (j == r) { for (int c = 0; c < r; c++) columns[c].Add(pos[c]); return; }
            for (long i = from; i < n; i++) { pos[j] = i; Walk(j + 1, with_replacement ? i : i + 1); }
        }
        Walk(0, 0);
        var picked = new Tensor[r];
        for (int j = 0; j < r; j++) picked[j] = index_select(0, torch.tensor(columns[j].ToArray()).to(device));
        return torch.stack(picked, 1);
    }
}
