using ILGPU;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// The element-wise, reduction and scan kernels: one thread per output element, strided operands addressed through
/// <see cref="Strd.At"/>. Type arguments pick the storage type and its conversions; op codes pick the function.
/// </summary>
internal static class Kernels
{
    public static void Copy<TS, ES, TD, ED>(Index1D i, ArrayView<TS> src, ArrayView<TD> dst, Dims d, Strd ss, Strd ds)
        where TS : unmanaged where ES : struct, IElem<TS> where TD : unmanaged where ED : struct, IElem<TD>
    {
        var v = src[ss.At(i, d)];
        dst[ds.At(i, d)] = default(ES).IsFloat ? default(ED).FromD(default(ES).ToD(v)) : default(ED).FromL(default(ES).ToL(v));
    }

    /// <summary>Same-dtype copy by element size: no conversion at all.</summary>
    public static void Move<T>(Index1D i, ArrayView<T> src, ArrayView<T> dst, Dims d, Strd ss, Strd ds) where T : unmanaged =>
        dst[ds.At(i, d)] = src[ss.At(i, d)];

    public static void Fill<T>(Index1D i, ArrayView<T> dst, Dims d, Strd ds, T value) where T : unmanaged =>
        dst[ds.At(i, d)] = value;

    public static void UnaryF<T, E>(Index1D i, ArrayView<T> src, ArrayView<T> dst, Dims d, Strd ss, Strd ds, int op)
        where T : unmanaged where E : struct, IElem<T> =>
        dst[ds.At(i, d)] = default(E).FromF(DeviceMath.UnaryF(op, default(E).ToF(src[ss.At(i, d)])));

    public static void UnaryD(Index1D i, ArrayView<double> src, ArrayView<double> dst, Dims d, Strd ss, Strd ds, int op) =>
        dst[ds.At(i, d)] = DeviceMath.UnaryD(op, src[ss.At(i, d)]);

    public static void UnaryL<T, E>(Index1D i, ArrayView<T> src, ArrayView<T> dst, Dims d, Strd ss, Strd ds, int op)
        where T : unmanaged where E : struct, IElem<T> =>
        dst[ds.At(i, d)] = default(E).FromL(DeviceMath.UnaryL(op, default(E).ToL(src[ss.At(i, d)])));

    public static void BinaryF<T, E>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<T> dst, Dims d, Strd sa, Strd sb, Strd sd, int op)
        where T : unmanaged where E : struct, IElem<T> =>
        dst[sd.At(i, d)] = default(E).FromF(DeviceMath.BinaryF(op, default(E).ToF(a[sa.At(i, d)]), default(E).ToF(b[sb.At(i, d)])));

    public static void BinaryD(Index1D i, ArrayView<double> a, ArrayView<double> b, ArrayView<double> dst, Dims d, Strd sa, Strd sb, Strd sd, int op) =>
        dst[sd.At(i, d)] = DeviceMath.BinaryD(op, a[sa.At(i, d)], b[sb.At(i, d)]);

    public static void BinaryL<T, E>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<T> dst, Dims d, Strd sa, Strd sb, Strd sd, int op)
        where T : unmanaged where E : struct, IElem<T> =>
        dst[sd.At(i, d)] = default(E).FromL(DeviceMath.BinaryL(op, default(E).ToL(a[sa.At(i, d)]), default(E).ToL(b[sb.At(i, d)])));

    public static void Compare<T, E>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<byte> dst, Dims d, Strd sa, Strd sb, Strd sd, int op)
        where T : unmanaged where E : struct, IElem<T>
    {
        T x = a[sa.At(i, d)], y = b[sb.At(i, d)];
        bool r = default(E).IsFloat
            ? DeviceMath.CompareD(op, default(E).ToD(x), default(E).ToD(y))
            : DeviceMath.CompareL(op, default(E).ToL(x), default(E).ToL(y));
        dst[sd.At(i, d)] = r ? (byte)1 : (byte)0;
    }

    public static void Where<T>(Index1D i, ArrayView<byte> c, ArrayView<T> a, ArrayView<T> b, ArrayView<T> dst, Dims d, Strd sc, Strd sa, Strd sb, Strd sd)
        where T : unmanaged =>
        dst[sd.At(i, d)] = c[sc.At(i, d)] != 0 ? a[sa.At(i, d)] : b[sb.At(i, d)];

    /// <summary>
    /// Each thread folds the reduced block of one output element, in row-major order (so an arg index is the count
    /// of elements before the winner along the single reduced dim). Floats accumulate in double, integers in long.
    /// </summary>
    public static void Reduce<TS, ES, TD, ED>(Index1D i, ArrayView<TS> src, ArrayView<TD> dst, ArrayView<long> idx,
        Dims od, Strd os, Strd odst, Strd oidx, Dims rd, Strd rs, RedParams p)
        where TS : unmanaged where ES : struct, IElem<TS> where TD : unmanaged where ED : struct, IElem<TD>
    {
        // With Chunks > 1 each thread folds one slice of an output's block into a contiguous partial (a second launch
        // folds the partials), so a full reduction still uses many threads.
        long outIdx = i / p.Chunks, kStart = i % p.Chunks * p.ChunkLength;
        long kEnd = kStart + p.ChunkLength < p.Count ? kStart + p.ChunkLength : p.Count;
        long dstOff = p.Chunks > 1 ? i : odst.At(outIdx, od);
        long baseOff = os.At(outIdx, od);
        var op = (ReduceOp)p.Op;
        long arg = 0;
        if (default(ES).IsFloat)
        {
            double acc = op == ReduceOp.Sum ? 0.0 : op == ReduceOp.Prod ? 1.0 : op == ReduceOp.Max ? double.NegativeInfinity
                : op == ReduceOp.Min ? double.PositiveInfinity : op == ReduceOp.All ? 1.0 : 0.0;
            for (long k = kStart; k < kEnd; k++)
            {
                double x = default(ES).ToD(src[baseOff + rs.At(k, rd)]);
                switch (op)
                {
                    case ReduceOp.Sum: acc += x; break;
                    case ReduceOp.Prod: acc *= x; break;
                    case ReduceOp.Max: if (!DeviceMath.IsNaN(acc) && (DeviceMath.IsNaN(x) || x > acc || k == 0)) { acc = x; arg = k; } break;
                    case ReduceOp.Min: if (!DeviceMath.IsNaN(acc) && (DeviceMath.IsNaN(x) || x < acc || k == 0)) { acc = x; arg = k; } break;
                    case ReduceOp.All: if (x == 0) acc = 0; break;
                    default: if (x != 0) acc = 1; break;
                }
            }
            dst[dstOff] = default(ED).IsFloat ? default(ED).FromD(acc) : default(ED).FromL((long)acc);
        }
        else
        {
            long acc = op == ReduceOp.Sum ? 0 : op == ReduceOp.Prod ? 1 : op == ReduceOp.Max ? long.MinValue
                : op == ReduceOp.Min ? long.MaxValue : op == ReduceOp.All ? 1 : 0;
            for (long k = kStart; k < kEnd; k++)
            {
                long x = default(ES).ToL(src[baseOff + rs.At(k, rd)]);
                switch (op)
                {
                    case ReduceOp.Sum: acc += x; break;
                    case ReduceOp.Prod: acc *= x; break;
                    case ReduceOp.Max: if (x > acc || k == 0) { acc = x; arg = k; } break;
                    case ReduceOp.Min: if (x < acc || k == 0) { acc = x; arg = k; } break;
                    case ReduceOp.All: if (x == 0) acc = 0; break;
                    default: if (x != 0) acc = 1; break;
                }
            }
            dst[dstOff] = default(ED).FromL(acc);
        }
        if (p.WantIndex != 0) idx[oidx.At(outIdx, od)] = arg;
    }

    /// <summary>Each thread runs one line along the scanned dim.</summary>
    public static void Scan<T, E>(Index1D i, ArrayView<T> src, ArrayView<T> dst, Dims od, Strd os, Strd odst, ScanParams p)
        where T : unmanaged where E : struct, IElem<T>
    {
        long s = os.At(i, od), t = odst.At(i, od);
        if (default(E).IsFloat)
        {
            double acc = p.Prod != 0 ? 1.0 : 0.0;
            for (long k = 0; k < p.Length; k++)
            {
                double x = default(E).ToD(src[s + k * p.SrcStride]);
                acc = p.Prod != 0 ? acc * x : acc + x;
                dst[t + k * p.DstStride] = default(E).FromD(acc);
            }
        }
        else
        {
            long acc = p.Prod != 0 ? 1 : 0;
            for (long k = 0; k < p.Length; k++)
            {
                long x = default(E).ToL(src[s + k * p.SrcStride]);
                acc = p.Prod != 0 ? acc * x : acc + x;
                dst[t + k * p.DstStride] = default(E).FromL(acc);
            }
        }
    }
}

internal struct RedParams
{
    public int Op;
    public int WantIndex;
    public long Count;
    public long Chunks, ChunkLength;
}

internal struct ScanParams
{
    public long Length, SrcStride, DstStride;
    public int Prod;
}
