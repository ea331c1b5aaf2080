using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// torch.xxx forms of the shape helpers (Ops/Tensor.ShapeHelpers.cs) and the creation helpers that only exist at
// torch level: repeat_interleave(repeats), block_diag, tril/triu_indices, vander, cartesian_prod.
public static partial class torch
{
    public static Tensor repeat_interleave(Tensor input, long repeats, int? dim = null, long? output_size = null) => input.repeat_interleave(repeats, dim, output_size);
    public static Tensor repeat_interleave(Tensor input, Tensor repeats, int? dim = null, long? output_size = null) => input.repeat_interleave(repeats, dim, output_size);

    /// <summary>
    /// torch.repeat_interleave(repeats): 0..n-1 with i repeated repeats[i] times (Repeat.cpp's repeat_interleave_cpu),
    /// the index the tensor form selects with.
    /// </summary>
    public static Tensor repeat_interleave(Tensor repeats, long? output_size = null)
    {
        if (repeats.dim() != 1) throw new InvalidOperationException("repeat_interleave only accept 1D vector as repeat");
        if (repeats.dtype != DType.Int64 && repeats.dtype != DType.Int32) throw new InvalidOperationException("repeats has to be Long or Int tensor");
        var counts = repeats.ToArray<long>();
        long total = 0;
        foreach (var c in counts)
        {
            if (c < 0) throw new InvalidOperationException("repeats can not be negative");
            total += c;
        }
        if (output_size is { } os && os != total) throw new InvalidOperationException("allocated size does not match required size");
        var r = new long[total];
        for (long i = 0, at = 0; i < counts.Length; i++) for (long k = 0; k < counts[i]; k++) r[at++] = i;
        return tensor(r, dtype: repeats.dtype).to(repeats.device);
    }

    public static Tensor tile(Tensor input, params long[] dims) => input.tile(dims);
    public static Tensor kron(Tensor input, Tensor other) => input.kron(other);
    public static Tensor diag_embed(Tensor input, long offset = 0, int dim1 = -2, int dim2 = -1) => input.diag_embed(offset, dim1, dim2);
    public static Tensor[] tensor_split(Tensor input, long sections, int dim = 0) => input.tensor_split(sections, dim);
    public static Tensor[] tensor_split(Tensor input, long[] indices, int dim = 0) => input.tensor_split(indices, dim);
    public static Tensor[] tensor_split(Tensor input, Tensor tensor_indices_or_sections, int dim = 0) => input.tensor_split(tensor_indices_or_sections, dim);
    public static Tensor take_along_dim(Tensor input, Tensor indices, int? dim = null) => input.take_along_dim(indices, dim);
    public static Tensor rot90(Tensor input, long k = 1, long[]? dims = null) => input.rot90(k, dims);
    public static Tensor fliplr(Tensor input) => input.fliplr();
    public static Tensor flipud(Tensor input) => input.flipud();
    public static Tensor combinations(Tensor input, long r = 2, bool with_replacement = false) => input.combinations(r, with_replacement);

    /// <summary>A block-diagonal matrix of the (at most 2-d) inputs, in their promoted dtype, as torch.block_diag.</summary>
    public static Tensor block_diag(params Tensor[] tensors)
    {
        if (tensors.Length == 0) return empty([1, 0]);
        var dt = Promotion.ResultType(tensors);
        var device = tensors[0].device;
        var blocks = new Tensor[tensors.Length];
        long cols = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            var t = tensors[i];
            if (t.dim() > 2) throw new InvalidOperationException($"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has {t.dim()} dimensions");
            if (t.device != device)
                throw new InvalidOperationException($"torch.block_diag: input tensors must all be on the same device. Input 0 is on device {device} and input {i} is on device {t.device}");
            blocks[i] = (t.dim() == 0 ? t.reshape(1, 1) : t.dim() == 1 ? t.reshape(1, -1) : t).to(dt);
            cols += blocks[i].shape[1];
        }
        var rows = new List<Tensor>();
        long before = 0;
        foreach (var b in blocks)
        {
            long r = b.shape[0], c = b.shape[1];
            rows.Add(cat([zeros([r, before], dt, device), b, zeros([r, cols - before - c], dt, device)], 1));
            before += c;
        }
        return cat([.. rows], 0);
    }

    /// <summary>The 2×N (row, col) positions of the lower triangle (col - row ≤ offset), row by row, as torch.tril_indices.</summary>
    public static Tensor tril_indices(long row, long col, long offset = 0, DType? dtype = null, Device? device = null) =>
        TriangleIndices(row, col, offset, lower: true, dtype, device);

    /// <summary>The 2×N (row, col) positions of the upper triangle (col - row ≥ offset), row by row, as torch.triu_indices.</summary>
    public static Tensor triu_indices(long row, long col, long offset = 0, DType? dtype = null, Device? device = null) =>
        TriangleIndices(row, col, offset, lower: false, dtype, device);

    private static Tensor TriangleIndices(long row, long col, long offset, bool lower, DType? dtype, Device? device)
    {
        // check_args in TensorFactories.h (its messages have no space before the number).
        if (row < 0) throw new InvalidOperationException($"row must be non-negative, got{row}");
        if (col < 0) throw new InvalidOperationException($"col must be non-negative, got{col}");
        var rs = new List<long>(); var cs = new List<long>();
        for (long i = 0; i < row; i++)
            for (long j = 0; j < col; j++)
                if (lower ? j - i <= offset : j - i >= offset) { rs.Add(i); cs.Add(j); }
        var r = tensor(new[] { rs.ToArray(), cs.ToArray() }).reshape(2, rs.Count);
        return r.to(device ?? Device.CPU, dtype ?? DType.Int64);
    }

    /// <summary>
    /// The Vandermonde matrix of a 1-d tensor: columns x^(N-1) … x^0 (x^0 … x^(N-1) when increasing), in x's dtype promoted
    /// with int64 (ATen builds it with cumprod, which promotes integers to long).
    /// </summary>
    public static Tensor vander(Tensor x, long? N = null, bool increasing = false)
    {
        if (x.dim() != 1) throw new InvalidOperationException("x must be a one-dimensional tensor.");
        long n = x.shape[0];
        if (N is { } given) { if (given < 0) throw new InvalidOperationException("N must be non-negative."); n = given; }
        var dt = Promotion.Promote(x.dtype, DType.Int64);
        Tensor result;
        if (n == 0) result = empty([x.shape[0], 0], dt, x.device);
        else
        {
            var ones = torch.ones([x.shape[0], 1], dt, x.device);
            result = n == 1 ? ones : cat([ones, x.to(dt).unsqueeze(1).expand(x.shape[0], n - 1).cumprod(1)], 1);
        }
        return increasing ? result : result.flip(1L);
    }

    /// <summary>The Cartesian product of 1-d tensors, one row per combination (meshgrid "ij", flattened, stacked), as torch.cartesian_prod.</summary>
    public static Tensor cartesian_prod(params Tensor[] tensors)
    {
        foreach (var t in tensors)
            if (t.dim() != 1) throw new InvalidOperationException($"Expect a 1D vector, but got shape {Shapes.Format(t.shape)}");
        if (tensors.Length == 1) return tensors[0];
        var grids = meshgrid(tensors, "ij");
        return stack(Array.ConvertAll(grids, g => g.flatten()), 1);
    }
}
