namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// The body of an element-wise loop: handles <paramref name="n"/> elements of the innermost dimension, starting at
/// per-operand element offsets and stepping by per-operand strides (0 for a broadcast operand).
/// </summary>
internal interface IInnerLoop
{
    void Run(ReadOnlySpan<long> offsets, ReadOnlySpan<long> strides, long n);
}

/// <summary>
/// Drives an <see cref="IInnerLoop"/> over N-d strided operands that share one shape. Dims of size 1 are dropped
/// and adjacent dims that are contiguous in every operand are merged, so the common contiguous case is a single
/// call over all elements and the kernel can take its vectorised path.
/// </summary>
internal static class StridedLoop
{
    public const int MaxOperands = 4;

    public static void Run<K>(ReadOnlySpan<long> shape, ReadOnlySpan<long[]> strides, ReadOnlySpan<long> offsets, ref K kernel)
        where K : struct, IInnerLoop
    {
        int nops = strides.Length;
        int nd = shape.Length;
        foreach (var d in shape) if (d == 0) return;

        // Coalesce into local arrays (innermost last).
        Span<long> dims = stackalloc long[Math.Max(nd, 1)];
        Span<long> st = stackalloc long[Math.Max(nd, 1) * nops];
        int m = 0;
        for (int i = 0; i < nd; i++)
        {
            if (shape[i] == 1) continue;
            if (m > 0)
            {
                bool merge = true;
                for (int o = 0; o < nops; o++)
                    if (st[(m - 1) * nops + o] != strides[o][i] * shape[i]) { merge = false; break; }
                if (merge)
                {
                    dims[m - 1] *= shape[i];
                    for (int o = 0; o < nops; o++) st[(m - 1) * nops + o] = strides[o][i];
                    continue;
                }
            }
            dims[m] = shape[i];
            for (int o = 0; o < nops; o++) st[m * nops + o] = strides[o][i];
            m++;
        }

        Span<long> off = stackalloc long[nops];
        offsets.CopyTo(off);
        if (m == 0)
        {
            Span<long> zero = stackalloc long[nops];
            kernel.Run(off, zero, 1);
            return;
        }

        var innerStrides = st.Slice((m - 1) * nops, nops);
        long inner = dims[m - 1];
        if (m == 1) { kernel.Run(off, innerStrides, inner); return; }

        // Odometer over the outer dims.
        Span<long> counter = stackalloc long[m - 1];
        counter.Clear();
        while (true)
        {
            kernel.Run(off, innerStrides, inner);
            int d = m - 2;
            for (; d >= 0; d--)
            {
                counter[d]++;
                for (int o = 0; o < nops; o++) off[o] += st[d * nops + o];
                if (counter[d] < dims[d]) break;
                for (int o = 0; o < nops; o++) off[o] -= st[d * nops + o] * dims[d];
                counter[d] = 0;
            }
            if (d < 0) return;
        }
    }
}
