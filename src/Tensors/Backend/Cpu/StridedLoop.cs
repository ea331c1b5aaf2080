using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>Up to <see cref="StridedLoop.MaxOperands"/> stride arrays held inline, so gathering them costs no allocation.</summary>
[InlineArray(StridedLoop.MaxOperands)]
internal struct StrideArrays
{
    private long[] _first;
}

/// <summary>
/// The body of an element-wise loop: handles <c>n</c> elements of the innermost dimension, starting at
/// per-operand element offsets and stepping by per-operand strides (0 for a broadcast operand).
/// </summary>
internal interface IInnerLoop
{
    void Run(ReadOnlySpan<long> offsets, ReadOnlySpan<long> strides, long n);
}

/// <summary>An inner loop that also takes a block of rows: rows × n elements, row r at the offsets plus r·rowStrides.</summary>
internal interface IRowsLoop : IInnerLoop
{
    void Rows(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n, ReadOnlySpan<long> rowStrides, long rows);
}

/// <summary>
/// Drives an <see cref="IInnerLoop"/> over N-d strided operands that share one shape. Dims of size 1 are dropped
/// and adjacent dims that are contiguous in every operand are merged, so the common contiguous case is a single
/// call over all elements and the kernel can take its vectorised path.
/// </summary>
internal static class StridedLoop
{
    public const int MaxOperands = 4;

    /// <param name="reorder">
    /// Element-wise callers only (each output element depends on its own inputs alone, and no operand partly overlaps
    /// the output): the dims may then be put in the output's memory order, as TensorIterator does, so the innermost
    /// run is the output's unit-stride one and can merge with others. Reductions keep their order.
    /// </param>
    public static void Run<K>(ReadOnlySpan<long> shape, ReadOnlySpan<long[]> strides, ReadOnlySpan<long> offsets, ref K kernel, bool reorder = false)
        where K : struct, IInnerLoop
    {
        int nops = strides.Length;
        int nd = shape.Length;
        foreach (var d in shape) if (d == 0) return;
        Span<long> dims = stackalloc long[Math.Max(nd, 1)];
        Span<long> st = stackalloc long[Math.Max(nd, 1) * nops];
        int m = Coalesce(shape, strides, dims, st, nops);
        if (reorder && m >= 2) m = Reorder(dims, st, m, nops);

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
            if (!Advance(off, counter, dims, st, m - 1, nops)) return;
        }
    }

    /// <summary>
    /// <see cref="Run"/> for kernels that take a block of rows at once (PyTorch's loop2d): the two innermost dims go to
    /// the kernel in one call, so a [300,10] operand costs one call, not 300.
    /// </summary>
    public static void RunRows<K>(ReadOnlySpan<long> shape, ReadOnlySpan<long[]> strides, ReadOnlySpan<long> offsets, ref K kernel, bool reorder)
        where K : struct, IRowsLoop
    {
        int nops = strides.Length;
        int nd = shape.Length;
        if (nd < 2) { Run(shape, strides, offsets, ref kernel, reorder); return; }
        foreach (var d in shape) if (d == 0) return;
        Span<long> dims = stackalloc long[nd];
        Span<long> st = stackalloc long[nd * nops];
        int m = Coalesce(shape, strides, dims, st, nops);
        if (reorder && m >= 2) m = Reorder(dims, st, m, nops);

        Span<long> off = stackalloc long[nops];
        offsets.CopyTo(off);
        if (m < 2)
        {
            Span<long> zero = stackalloc long[nops];
            kernel.Run(off, m == 0 ? zero : st[..nops], m == 0 ? 1 : dims[0]);
            return;
        }

        var innerStrides = st.Slice((m - 1) * nops, nops);
        var rowStrides = st.Slice((m - 2) * nops, nops);
        long inner = dims[m - 1], rows = dims[m - 2];
        if (m == 2) { kernel.Rows(off, innerStrides, inner, rowStrides, rows); return; }

        Span<long> counter = stackalloc long[m - 2];
        counter.Clear();
        while (true)
        {
            kernel.Rows(off, innerStrides, inner, rowStrides, rows);
            if (!Advance(off, counter, dims, st, m - 2, nops)) return;
        }
    }

    /// <summary>Drops size-1 dims and merges dims contiguous in every operand; returns the dim count (innermost last).</summary>
    private static int Coalesce(ReadOnlySpan<long> shape, ReadOnlySpan<long[]> strides, Span<long> dims, Span<long> st, int nops)
    {
        int m = 0;
        for (int i = 0; i < shape.Length; i++)
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
        return m;
    }

    /// <summary>Steps the odometer over the first <paramref name="outer"/> dims; false once it wraps around.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Advance(Span<long> off, Span<long> counter, ReadOnlySpan<long> dims, ReadOnlySpan<long> st, int outer, int nops)
    {
        for (int d = outer - 1; d >= 0; d--)
        {
            counter[d]++;
            for (int o = 0; o < nops; o++) off[o] += st[d * nops + o];
            if (counter[d] < dims[d]) return true;
            for (int o = 0; o < nops; o++) off[o] -= st[d * nops + o] * dims[d];
            counter[d] = 0;
        }
        return false;
    }

    /// <summary>
    /// Sorts the coalesced dims so the output's strides decrease inwards (the last operand is the output; a stable
    /// insertion sort, as dims are few and usually already in order), then merges dims that have become adjacent in
    /// memory for every operand. Returns the new dim count.
    /// </summary>
    private static int Reorder(Span<long> dims, Span<long> st, int m, int nops)
    {
        int o = nops - 1;
        bool sorted = true;
        for (int d = 1; d < m && sorted; d++) sorted = Math.Abs(st[(d - 1) * nops + o]) >= Math.Abs(st[d * nops + o]);
        if (sorted) return m;
        Span<long> tmp = stackalloc long[nops];
        for (int d = 1; d < m; d++)
        {
            for (int e = d; e > 0 && Math.Abs(st[(e - 1) * nops + o]) < Math.Abs(st[e * nops + o]); e--)
            {
                (dims[e - 1], dims[e]) = (dims[e], dims[e - 1]);
                st.Slice((e - 1) * nops, nops).CopyTo(tmp);
                st.Slice(e * nops, nops).CopyTo(st.Slice((e - 1) * nops, nops));
                tmp.CopyTo(st.Slice(e * nops, nops));
            }
        }
        int k = 0;
        for (int d = 0; d < m; d++)
        {
            if (k > 0)
            {
                bool merge = true;
                for (int p = 0; p < nops; p++)
                    if (st[(k - 1) * nops + p] != st[d * nops + p] * dims[d]) { merge = false; break; }
                if (merge)
                {
                    dims[k - 1] *= dims[d];
                    for (int p = 0; p < nops; p++) st[(k - 1) * nops + p] = st[d * nops + p];
                    continue;
                }
            }
            dims[k] = dims[d];
            if (k != d) st.Slice(d * nops, nops).CopyTo(st.Slice(k * nops, nops));
            k++;
        }
        return k;
    }
}

/// <summary>
/// Splits one long innermost run across cores. Element-wise kernels call it first: above the threshold the run is
/// memory-bound and a second core adds bandwidth; below it the fork/join costs more than it saves.
/// </summary>
internal static class ParallelRun
{
    public const long MinElements = 1L << 18;

    /// <summary>Runs the kernel on chunks in parallel and returns true, or returns false when the run is too short.</summary>
    public static bool TrySplit<K>(ref K kernel, ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n) where K : struct, IInnerLoop
    {
        int threads = WorkerTeam.Threads;
        if (n < MinElements || threads < 2) return false;
        // Chunks are whole multiples of 64 elements so vector bodies stay aligned to each other.
        int chunks = (int)Math.Min(threads, n / (MinElements / 2));
        if (chunks < 2) return false;
        var k = kernel;
        int nops = off.Length;
        long o0 = off[0], o1 = nops > 1 ? off[1] : 0, o2 = nops > 2 ? off[2] : 0, o3 = nops > 3 ? off[3] : 0;
        long s0 = st[0], s1 = nops > 1 ? st[1] : 0, s2 = nops > 2 ? st[2] : 0, s3 = nops > 3 ? st[3] : 0;
        WorkerTeam.For(chunks, c =>
        {
            long from = n * c / chunks & ~63L, to = c == chunks - 1 ? n : n * (c + 1) / chunks & ~63L;
            Span<long> o = [o0 + from * s0, o1 + from * s1, o2 + from * s2, o3 + from * s3];
            Span<long> s = [s0, s1, s2, s3];
            var kc = k;
            kc.Run(o[..nops], s[..nops], to - from);
        }, chunks);
        return true;
    }
}
