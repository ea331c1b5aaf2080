namespace Notebooks.Tensors;

/// <summary>Shape and stride arithmetic shared by every op (broadcasting, dim wrapping, contiguity).</summary>
internal static class Shapes
{
    public static long Numel(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    /// <summary>
    /// Row-major strides for <paramref name="shape"/>. Stride arrays are never written after a tensor is made, so the
    /// common small cases (any 1-d shape, 2-d shapes up to 64 columns) share one array instead of allocating per result.
    /// </summary>
    public static long[] ContiguousStrides(ReadOnlySpan<long> shape)
    {
        if (shape.Length == 0) return [];
        if (shape.Length == 1) return UnitStride;
        if (shape.Length == 2 && shape[1] <= MaxCachedColumns)
        {
            var c = Math.Max(shape[1], 1);
            return RowStrides[c] ??= [c, 1];
        }
        var strides = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    private static readonly long[] UnitStride = [1];
    private const int MaxCachedColumns = 64;
    private static readonly long[]?[] RowStrides = new long[]?[MaxCachedColumns + 1];

    /// <summary>PyTorch's rule: size-1 dims don't constrain strides, and an empty tensor is contiguous.</summary>
    public static bool IsContiguous(ReadOnlySpan<long> shape, ReadOnlySpan<long> strides)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 0) return true;
            if (shape[i] != 1)
            {
                if (strides[i] != expected) return false;
                expected *= shape[i];
            }
        }
        return true;
    }

    /// <summary>Wraps a possibly negative dim, with PyTorch's IndexError wording.</summary>
    public static int WrapDim(long dim, int ndim, bool scalarAsOne = true)
    {
        var n = ndim == 0 && scalarAsOne ? 1 : ndim;
        if (dim < -n || dim >= n)
            throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})");
        return (int)(dim < 0 ? dim + n : dim);
    }

    /// <summary>
    /// <see cref="Broadcast(ReadOnlySpan{long}, ReadOnlySpan{long})"/> that hands back an operand's own array when the
    /// result equals it (a [300] + [1] result takes the [300]'s): for tensors' shape arrays only, never written after
    /// construction, so sharing one is safe.
    /// </summary>
    public static long[] BroadcastShared(long[] a, long[] b)
    {
        if (a.Length >= b.Length && Fits(b, a)) return a;
        if (b.Length >= a.Length && Fits(a, b)) return b;
        return Broadcast(a, b);

        // Whether `small` broadcasts to `big` unchanged.
        static bool Fits(long[] small, long[] big)
        {
            int lead = big.Length - small.Length;
            for (int i = 0; i < small.Length; i++)
                if (small[i] != 1 && small[i] != big[lead + i]) return false;
            return true;
        }
    }

    public static long[] Broadcast(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        var n = Math.Max(a.Length, b.Length);
        var r = new long[n];
        for (int i = 0; i < n; i++)
        {
            long da = i - (n - a.Length) >= 0 ? a[i - (n - a.Length)] : 1;
            long db = i - (n - b.Length) >= 0 ? b[i - (n - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    public static bool SameShape(ReadOnlySpan<long> a, ReadOnlySpan<long> b) => a.SequenceEqual(b);

    /// <summary>Strides that make a tensor of <paramref name="shape"/>/<paramref name="strides"/> read as <paramref name="target"/> (stride 0 where broadcast).</summary>
    public static long[] ExpandStrides(ReadOnlySpan<long> shape, ReadOnlySpan<long> strides, ReadOnlySpan<long> target)
    {
        Span<long> r = target.Length <= MaxCachedZeroRank ? stackalloc long[target.Length] : new long[target.Length];
        var lead = target.Length - shape.Length;
        if (lead < 0)
            throw new ArgumentException(
                $"expand(torch.FloatTensor{{[{string.Join(", ", shape.ToArray())}]}}, size=[{string.Join(", ", target.ToArray())}]): the number of sizes provided ({target.Length}) must be greater or equal to the number of dimensions in the tensor ({shape.Length})");
        for (int i = 0; i < target.Length; i++)
        {
            if (i < lead) { r[i] = 0; continue; }
            var s = shape[i - lead];
            if (s == target[i]) r[i] = strides[i - lead];
            else if (s == 1) r[i] = 0;
            else
                throw new ArgumentException(
                    $"The expanded size of the tensor ({target[i]}) must match the existing size ({s}) at non-singleton dimension {i}.  Target sizes: [{string.Join(", ", target.ToArray())}].  Tensor sizes: [{string.Join(", ", shape.ToArray())}]");
        }
        // A broadcast scalar or bias (all strides 0) shares one array per rank, as contiguous strides do.
        if (r.Length is > 0 and <= MaxCachedZeroRank && r.IndexOfAnyExcept(0L) < 0)
            return ZeroStrides[r.Length] ??= r.ToArray();
        return r.ToArray();
    }

    private const int MaxCachedZeroRank = 8;
    private static readonly long[]?[] ZeroStrides = new long[]?[MaxCachedZeroRank + 1];

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>Resolves one -1 in a requested shape, with PyTorch's errors.</summary>
    public static long[] InferSize(ReadOnlySpan<long> requested, long numel)
    {
        var r = requested.ToArray();
        int infer = -1; long known = 1;
        for (int i = 0; i < r.Length; i++)
        {
            if (r[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("only one dimension can be inferred");
                infer = i;
            }
            else if (r[i] < 0) throw new ArgumentException($"invalid shape dimension {r[i]}");
            // A product that overflows int64 can match no real element count (and would wrap to a false match).
            else if (Math.BigMul(known, r[i], out known) != 0 || known < 0)
                throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
        }
        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0)
                throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
            r[infer] = numel / known;
        }
        else if (known != numel)
            throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
        return r;
    }
}
