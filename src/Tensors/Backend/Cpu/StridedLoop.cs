using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>Up to <see cref="StridedLoop.MaxOperands"/> stride arrays held inline, so gathering them costs no allocation.</summary>
[InlineArray(StridedLoop.MaxOperands)]
internal struct StrideArrays
{
    private long[] _first;
}

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
        int threads = Environment.ProcessorCount;
        if (n < MinElements || threads < 2) return false;
        // Chunks are whole multiples of 64 elements so vector bodies stay aligned to each other.
        int chunks = (int)Math.Min(threads, n / (MinElements / 2));
        if (chunks < 2) return false;
        var k = kernel;
        int nops = off.Length;
        long o0 = off[0], o1 = nops > 1 ? off[1] : 0, o2 = nops > 2 ? off[2] : 0, o3 = nops > 3 ? off[3] : 0;
        long s0 = st[0], s1 = nops > 1 ? st[1] : 0, s2 = nops > 2 ? st[2] : 0, s3 = nops > 3 ? st[3] : 0;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            long from = n * c / chunks & ~63L, to = c == chunks - 1 ? n : n * (c + 1) / chunks & ~63L;
            Span<long> o = [o0 + from * s0, o1 + from * s1, o2 + from * s2, o3 + from * s3];
            Span<long> s = [s0, s1, s2, s3];
            var kc = k;
            kc.Run(o[..nops], s[..nops], to - from);
        });
        return true;
    }
}
