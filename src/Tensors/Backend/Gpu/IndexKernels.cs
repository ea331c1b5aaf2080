using ILGPU;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>Where an element move reads and writes: offset lists (int64 on the device) or row-major from a base.</summary>
internal struct MoveParams
{
    public int UseSrcOffsets, UseDstOffsets;
    public long SrcBase, DstBase;
}

/// <summary>
/// The device side of indexing: storage offsets computed by kernels (strided views, positions along one dim,
/// advanced-index positions), element moves by those offsets (plain, or accumulated with atomics so duplicate
/// positions sum), and nonzero's count/scan/write passes. Indices reaching these kernels are already bounds-checked.
/// </summary>
internal static class IndexKernels
{
    public static void StridedOffsets(Index1D i, ArrayView<long> outp, Dims d, Strd s) => outp[i] = s.At(i, d);

    /// <summary>outp[i] = offset in t of element i of index's shape, with dim d's position taken from index.</summary>
    public static void AlongDim(Index1D i, ArrayView<long> outp, ArrayView<long> index, Dims d, Strd ts, Strd xs, long stride) =>
        outp[i] = ts.At(i, d) + index[xs.At(i, d)] * stride;

    /// <summary>
    /// Advanced indexing: result element i = (b, j, a) over [before dims, broadcast index shape (nb), after dims];
    /// its offset is before(b) + after(a) + Σₖ pos[k][j]·strideₖ, negatives wrapped by sizeₖ. kSizes/kStrides hold,
    /// per index tensor k, the indexed dim's size and stride (Rank = number of index tensors).
    /// </summary>
    public static void Advanced(Index1D i, ArrayView<long> outp, ArrayView<long> pos, Dims kSizes, Strd kStrides,
        Dims before, Strd sBefore, Dims after, Strd sAfter, long nb)
    {
        long nA = 1;
        for (int k = 0; k < after.Rank; k++) nA *= after.Get(k);
        long a = i % nA, rest = i / nA;
        long j = rest % nb, b = rest / nb;
        long off = sBefore.At(b, before) + sAfter.At(a, after);
        for (int k = 0; k < kSizes.Rank; k++)
        {
            long v = pos[k * nb + j];
            if (v < 0) v += kSizes.Get(k);
            off += v * kStrides.Get(k);
        }
        outp[i] = off;
    }

    public static void Move<T>(Index1D i, ArrayView<T> src, ArrayView<T> dst, ArrayView<long> so, ArrayView<long> dof, MoveParams p)
        where T : unmanaged =>
        dst[p.UseDstOffsets != 0 ? dof[i] : p.DstBase + i] = src[p.UseSrcOffsets != 0 ? so[i] : p.SrcBase + i];

    public static void AddF32(Index1D i, ArrayView<float> src, ArrayView<float> dst, ArrayView<long> so, ArrayView<long> dof, MoveParams p) =>
        Atomic.Add(ref dst[p.UseDstOffsets != 0 ? dof[i] : p.DstBase + i], src[p.UseSrcOffsets != 0 ? so[i] : p.SrcBase + i]);

    public static void AddF64(Index1D i, ArrayView<double> src, ArrayView<double> dst, ArrayView<long> so, ArrayView<long> dof, MoveParams p) =>
        Atomic.Add(ref dst[p.UseDstOffsets != 0 ? dof[i] : p.DstBase + i], src[p.UseSrcOffsets != 0 ? so[i] : p.SrcBase + i]);

    public static void AddI32(Index1D i, ArrayView<int> src, ArrayView<int> dst, ArrayView<long> so, ArrayView<long> dof, MoveParams p) =>
        Atomic.Add(ref dst[p.UseDstOffsets != 0 ? dof[i] : p.DstBase + i], src[p.UseSrcOffsets != 0 ? so[i] : p.SrcBase + i]);

    public static void AddI64(Index1D i, ArrayView<long> src, ArrayView<long> dst, ArrayView<long> so, ArrayView<long> dof, MoveParams p) =>
        Atomic.Add(ref dst[p.UseDstOffsets != 0 ? dof[i] : p.DstBase + i], src[p.UseSrcOffsets != 0 ? so[i] : p.SrcBase + i]);

    /// <summary>Kinds of sub-word accumulation: integer add (wrapping, any signedness), bool or, half, bfloat16.</summary>
    public const int AddInt = 0, AddBool = 1, AddHalf = 2, AddBFloat = 3;

    /// <summary>
    /// += for 1- and 2-byte elements, which have no atomic add: a compare-and-swap loop on the aligned 32-bit word
    /// holding the element (storage blocks are whole multiples of 512 bytes, so the word is always in bounds).
    /// </summary>
    public static void AddSmall(Index1D i, ArrayView<int> srcWords, ArrayView<int> dstWords, ArrayView<long> so, ArrayView<long> dof, MoveParams p, int size, int kind)
    {
        long se = p.UseSrcOffsets != 0 ? so[i] : p.SrcBase + i;
        long de = p.UseDstOffsets != 0 ? dof[i] : p.DstBase + i;
        uint mask = size == 1 ? 0xFFu : 0xFFFFu;
        long sb = se * size, db = de * size;
        uint v = ((uint)srcWords[sb >> 2] >> (int)((sb & 3) * 8)) & mask;
        int shift = (int)((db & 3) * 8);
        long w = db >> 2;
        for (; ; )
        {
            int old = dstWords[w];
            uint cur = ((uint)old >> shift) & mask;
            uint sum = kind == AddBool ? ((cur | v) != 0 ? 1u : 0u)
                : kind == AddHalf ? HalfBits.FromFloat(HalfBits.ToFloat((ushort)cur) + HalfBits.ToFloat((ushort)v))
                : kind == AddBFloat ? HalfBits.BFloatFromFloat(Interop.IntAsFloat(cur << 16) + Interop.IntAsFloat(v << 16))
                : cur + v;
            int neu = (int)(((uint)old & ~(mask << shift)) | ((sum & mask) << shift));
            if (Atomic.CompareExchange(ref dstWords[w], old, neu) == old) return;
        }
    }

    // ---- nonzero: per-chunk counts, one-thread exclusive scan of the counts, then each chunk writes its coordinates ----

    public static void NonzeroCount<T, E>(Index1D c, ArrayView<T> src, Dims d, Strd s, ArrayView<long> counts, long n, long chunk)
        where T : unmanaged where E : struct, IElem<T>
    {
        long end = (c + 1) * chunk < n ? (c + 1) * chunk : n, cnt = 0;
        for (long j = c * chunk; j < end; j++) if (IsNonzero<T, E>(src[s.At(j, d)])) cnt++;
        counts[c] = cnt;
    }

    /// <summary>Exclusive scan of counts[0..chunks) in place; the total lands in counts[chunks].</summary>
    public static void ExclusiveScan(Index1D t, ArrayView<long> counts, long chunks)
    {
        long acc = 0;
        for (long c = 0; c < chunks; c++) { long v = counts[c]; counts[c] = acc; acc += v; }
        counts[chunks] = acc;
    }

    /// <summary>Writes the coordinates (over <paramref name="shape"/>, unmerged) of each nonzero element as one row of outp.</summary>
    public static void NonzeroWrite<T, E>(Index1D c, ArrayView<T> src, Dims d, Strd s, ArrayView<long> counts, long n, long chunk, ArrayView<long> outp, Dims shape)
        where T : unmanaged where E : struct, IElem<T>
    {
        long end = (c + 1) * chunk < n ? (c + 1) * chunk : n;
        long row = counts[c];
        int nd = shape.Rank;
        for (long j = c * chunk; j < end; j++)
        {
            if (!IsNonzero<T, E>(src[s.At(j, d)])) continue;
            long rem = j;
            for (int k = nd - 1; k >= 0; k--)
            {
                long size = shape.Get(k);
                outp[row * nd + k] = rem % size;
                rem /= size;
            }
            row++;
        }
    }

    private static bool IsNonzero<T, E>(T v) where T : unmanaged where E : struct, IElem<T> =>
        default(E).IsFloat ? default(E).ToD(v) != 0 : default(E).ToL(v) != 0;
}
