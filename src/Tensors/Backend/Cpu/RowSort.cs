namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// The per-row argsort behind sort, argsort, topk, kthvalue, median, mode, unique and searchsorted: rows of keys laid
/// out contiguously in host memory, each sorted to its permutation in place of a fresh index array per row. The order
/// is total and stable (ties keep their input order, in both directions), and NaN is the largest value, as ATen's
/// CPU sort orders it (aten/src/ATen/native/cpu/SortingKernel.cpp: KeyValueCompAsc/Desc put NaN last ascending and
/// first descending). Floating keys come as double (every float dtype converts exactly), integer and bool keys as long.
/// Rows run in parallel when there are many; each row sorts a span of the one index array, so nothing is allocated
/// per row or per element. Keys of at most 32 bits (float32, float16, bfloat16, integers up to int32, bool) take the
/// fast path: each becomes an order-preserving uint32 packed above its position into one ulong, so a row is a plain
/// primitive sort (ties fall to position order), and a top-k keeps a k-element heap instead of sorting the row.
/// </summary>
internal static class RowSort
{
    /// <summary>For each of the <c>keys.Length / rowLength</c> rows, the positions 0..rowLength-1 in sorted order.</summary>
    public static long[] Argsort(double[] keys, long rowLength, bool descending) =>
        descending ? Run<double, DescendingNanFirst>(keys, rowLength) : Run<double, AscendingNanLast>(keys, rowLength);

    public static long[] Argsort(long[] keys, long rowLength, bool descending) =>
        descending ? Run<long, DescendingLong>(keys, rowLength) : Run<long, AscendingLong>(keys, rowLength);

    /// <summary>Order-preserving uint32 keys of floats: NaN (any sign) largest, -0.0 equal to 0.0; inverted when descending.</summary>
    public static uint[] OrderKeys(float[] values, bool descending)
    {
        var keys = new uint[values.Length];
        for (long i = 0; i < values.LongLength; i++)
        {
            float f = values[i];
            uint bits = float.IsNaN(f) ? 0x7FC00000u : f == 0 ? 0u : BitConverter.SingleToUInt32Bits(f);
            uint k = (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
            keys[i] = descending ? ~k : k;
        }
        return keys;
    }

    /// <summary>Order-preserving uint32 keys of int32 values (inverted when descending).</summary>
    public static uint[] OrderKeys(int[] values, bool descending)
    {
        var keys = new uint[values.Length];
        for (long i = 0; i < values.LongLength; i++)
        {
            uint k = (uint)values[i] ^ 0x80000000u;
            keys[i] = descending ? ~k : k;
        }
        return keys;
    }

    /// <summary>
    /// For each row of <paramref name="keys"/> (from <see cref="OrderKeys(float[], bool)"/>), the positions of its first
    /// <paramref name="take"/> elements in key order, ties in position order (rows × take positions).
    /// </summary>
    public static long[] ArgsortPacked(uint[] keys, long rowLength, long take)
    {
        long rows = rowLength == 0 ? 0 : keys.LongLength / rowLength;
        var result = new long[rows * take];
        if (take == 0) return result;
        bool heap = take * 8 < rowLength;
        long width = heap ? take : rowLength;
        var all = new ulong[rows * width];
        void SortRow(long r)
        {
            long start = r * rowLength;
            var packed = all.AsSpan((int)(r * width), (int)width);
            if (heap)
            {
                // The take smallest packed keys in a max-heap: one comparison per element once it is full.
                int count = 0;
                for (long i = 0; i < rowLength; i++)
                {
                    ulong x = (ulong)keys[start + i] << 32 | (uint)i;
                    if (count < take) { packed[count] = x; SiftUp(packed, count++); }
                    else if (x < packed[0]) { packed[0] = x; SiftDown(packed, count); }
                }
            }
            else for (int i = 0; i < packed.Length; i++) packed[i] = (ulong)keys[start + i] << 32 | (uint)i;
            packed.Sort();
            for (int i = 0; i < (int)take; i++) result[r * take + i] = (long)(packed[i] & 0xFFFFFFFFu);
        }
        if (rows > 1 && keys.LongLength >= 1 << 15) WorkerTeam.ForRanges(rows, (int)Math.Min(rows, 4 * WorkerTeam.Threads), (r0, r1) => { for (long r = r0; r < r1; r++) SortRow(r); });
        else for (long r = 0; r < rows; r++) SortRow(r);
        return result;
    }

    private static void SiftUp(Span<ulong> h, int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (h[parent] >= h[i]) return;
            (h[parent], h[i]) = (h[i], h[parent]);
            i = parent;
        }
    }

    private static void SiftDown(Span<ulong> h, int count)
    {
        int i = 0;
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, largest = i;
            if (l < count && h[l] > h[largest]) largest = l;
            if (r < count && h[r] > h[largest]) largest = r;
            if (largest == i) return;
            (h[largest], h[i]) = (h[i], h[largest]);
            i = largest;
        }
    }

    /// <summary>Ascending order of doubles with NaN after everything (NaNs equal among themselves).</summary>
    public static int CompareNanLast(double x, double y)
    {
        if (x < y) return -1;
        if (x > y) return 1;
        bool xn = double.IsNaN(x), yn = double.IsNaN(y);
        return xn == yn ? 0 : xn ? 1 : -1;
    }

    private interface IKeyOrder<T> { static abstract int Compare(T x, T y); }

    private struct AscendingNanLast : IKeyOrder<double> { public static int Compare(double x, double y) => CompareNanLast(x, y); }
    private struct DescendingNanFirst : IKeyOrder<double> { public static int Compare(double x, double y) => CompareNanLast(y, x); }
    private struct AscendingLong : IKeyOrder<long> { public static int Compare(long x, long y) => x.CompareTo(y); }
    private struct DescendingLong : IKeyOrder<long> { public static int Compare(long x, long y) => y.CompareTo(x); }

    /// <summary>Compares two positions of one row by key, then by position (which makes the unstable sort stable).</summary>
    private readonly struct ByKey<T, TOrder>(T[] keys, long rowStart) : IComparer<long> where TOrder : IKeyOrder<T>
    {
        public int Compare(long a, long b)
        {
            int c = TOrder.Compare(keys[rowStart + a], keys[rowStart + b]);
            return c != 0 ? c : a.CompareTo(b);
        }
    }

    private static long[] Run<T, TOrder>(T[] keys, long rowLength) where TOrder : IKeyOrder<T>
    {
        var idx = new long[keys.LongLength];
        if (rowLength == 0) return idx;
        long rows = keys.LongLength / rowLength;
        void SortRow(long r)
        {
            long start = r * rowLength;
            var span = idx.AsSpan((int)start, (int)rowLength);
            for (int i = 0; i < span.Length; i++) span[i] = i;
            span.Sort(new ByKey<T, TOrder>(keys, start));
        }
        if (rows > 1 && keys.LongLength >= 1 << 15) WorkerTeam.ForRanges(rows, (int)Math.Min(rows, 4 * WorkerTeam.Threads), (r0, r1) => { for (long r = r0; r < r1; r++) SortRow(r); });
        else for (long r = 0; r < rows; r++) SortRow(r);
        return idx;
    }
}
