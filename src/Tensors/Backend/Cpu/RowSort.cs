namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// The per-row argsort behind sort, argsort, topk, kthvalue, median, mode, unique and searchsorted: rows of keys laid
/// out contiguously in host memory, each sorted to its permutation in place of a fresh index array per row. The order
/// is total and stable (ties keep their input order, in both directions), and NaN is the largest value, as ATen's
/// CPU sort orders it (aten/src/ATen/native/cpu/SortingKernel.cpp: KeyValueCompAsc/Desc put NaN last ascending and
/// first descending). Floating keys come as double (every float dtype converts exactly), integer and bool keys as long.
/// Rows run in parallel when there are many; each row sorts a span of the one index array, so nothing is allocated
/// per row or per element.
/// </summary>
internal static class RowSort
{
    /// <summary>For each of the <c>keys.Length / rowLength</c> rows, the positions 0..rowLength-1 in sorted order.</summary>
    public static long[] Argsort(double[] keys, long rowLength, bool descending) =>
        descending ? Run<double, DescendingNanFirst>(keys, rowLength) : Run<double, AscendingNanLast>(keys, rowLength);

    public static long[] Argsort(long[] keys, long rowLength, bool descending) =>
        descending ? Run<long, DescendingLong>(keys, rowLength) : Run<long, AscendingLong>(keys, rowLength);

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
        if (rows > 1 && keys.LongLength >= 1 << 15) Parallel.For(0L, rows, SortRow);
        else for (long r = 0; r < rows; r++) SortRow(r);
        return idx;
    }
}
