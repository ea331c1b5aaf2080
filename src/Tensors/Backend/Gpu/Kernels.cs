using ILGPU;
using Notebooks.Tensors.Backend.Functions;

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

    // Element-wise kernels run the op's shared element function F (Backend/Functions), specialised per op: half
    // types compute in float (PyTorch's opmath), double in double, integers in long (the same bits as wrapping in
    // the type).
    public static void UnaryF<T, E, F>(Index1D i, ArrayView<T> src, ArrayView<T> dst, Dims d, Strd ss, Strd ds)
        where T : unmanaged where E : struct, IElem<T> where F : struct, IUnaryFn<float> =>
        dst[ds.At(i, d)] = default(E).FromF(F.Apply(default(E).ToF(src[ss.At(i, d)])));

    public static void UnaryD<F>(Index1D i, ArrayView<double> src, ArrayView<double> dst, Dims d, Strd ss, Strd ds)
        where F : struct, IUnaryFn<double> =>
        dst[ds.At(i, d)] = F.Apply(src[ss.At(i, d)]);

    public static void UnaryL<T, E, F>(Index1D i, ArrayView<T> src, ArrayView<T> dst, Dims d, Strd ss, Strd ds)
        where T : unmanaged where E : struct, IElem<T> where F : struct, IUnaryFn<long> =>
        dst[ds.At(i, d)] = default(E).FromL(F.Apply(default(E).ToL(src[ss.At(i, d)])));

    // Binary kernels take one operand as a value when it is a CPU scalar (side 1: a, side 2: b, 0: neither), as
    // PyTorch's gpu_kernel_with_scalars does: no device buffer and no host-to-device copy for `x * 2`.
    private static T Left<T>(ArrayView<T> a, Strd sa, Index1D i, Dims d, T scalar, int side) where T : unmanaged =>
        side == 1 ? scalar : a[sa.At(i, d)];

    private static T Right<T>(ArrayView<T> b, Strd sb, Index1D i, Dims d, T scalar, int side) where T : unmanaged =>
        side == 2 ? scalar : b[sb.At(i, d)];

    public static void BinaryF<T, E, F>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<T> dst, Dims d, Strd sa, Strd sb, Strd sd, T scalar, int side)
        where T : unmanaged where E : struct, IElem<T> where F : struct, IBinaryFn<float> =>
        dst[sd.At(i, d)] = default(E).FromF(F.Apply(default(E).ToF(Left(a, sa, i, d, scalar, side)), default(E).ToF(Right(b, sb, i, d, scalar, side))));

    public static void BinaryD<F>(Index1D i, ArrayView<double> a, ArrayView<double> b, ArrayView<double> dst, Dims d, Strd sa, Strd sb, Strd sd, double scalar, int side)
        where F : struct, IBinaryFn<double> =>
        dst[sd.At(i, d)] = F.Apply(Left(a, sa, i, d, scalar, side), Right(b, sb, i, d, scalar, side));

    public static void BinaryL<T, E, F>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<T> dst, Dims d, Strd sa, Strd sb, Strd sd, T scalar, int side)
        where T : unmanaged where E : struct, IElem<T> where F : struct, IBinaryFn<long> =>
        dst[sd.At(i, d)] = default(E).FromL(F.Apply(default(E).ToL(Left(a, sa, i, d, scalar, side)), default(E).ToL(Right(b, sb, i, d, scalar, side))));

    /// <summary>Comparisons of floating types in double (exact for every narrower float).</summary>
    public static void CompareD<T, E, F>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<byte> dst, Dims d, Strd sa, Strd sb, Strd sd, T scalar, int side)
        where T : unmanaged where E : struct, IElem<T> where F : struct, ICompareFn<double> =>
        dst[sd.At(i, d)] = F.Apply(default(E).ToD(Left(a, sa, i, d, scalar, side)), default(E).ToD(Right(b, sb, i, d, scalar, side))) ? (byte)1 : (byte)0;

    public static void CompareL<T, E, F>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<byte> dst, Dims d, Strd sa, Strd sb, Strd sd, T scalar, int side)
        where T : unmanaged where E : struct, IElem<T> where F : struct, ICompareFn<long> =>
        dst[sd.At(i, d)] = F.Apply(default(E).ToL(Left(a, sa, i, d, scalar, side)), default(E).ToL(Right(b, sb, i, d, scalar, side))) ? (byte)1 : (byte)0;

    /// <summary>
    /// dst = a·b + c rounded once (fused) for floating types, as the CPU backend's MulAdd; half types compute in float
    /// and round at the end, as there. Operands flagged in <see cref="MulAddLayout.Scalars"/> are CPU scalars passed
    /// by value (sa, sb, sc).
    /// </summary>
    public static void MulAddF<T, E, F>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, ArrayView<T> dst, Dims d, MulAddLayout l, T sa, T sb, T sc)
        where T : unmanaged where E : struct, IElem<T> where F : struct, IFma
    {
        T x = (l.Scalars & 1) != 0 ? sa : a[l.A.At(i, d)], y = (l.Scalars & 2) != 0 ? sb : b[l.B.At(i, d)], z = (l.Scalars & 4) != 0 ? sc : c[l.C.At(i, d)];
        dst[l.Dst.At(i, d)] = default(E).FromF(default(F).Fma(default(E).ToF(x), default(E).ToF(y), default(E).ToF(z)));
    }

    public static void MulAddD<F>(Index1D i, ArrayView<double> a, ArrayView<double> b, ArrayView<double> c, ArrayView<double> dst, Dims d, MulAddLayout l, double sa, double sb, double sc)
        where F : struct, IFma
    {
        double x = (l.Scalars & 1) != 0 ? sa : a[l.A.At(i, d)], y = (l.Scalars & 2) != 0 ? sb : b[l.B.At(i, d)], z = (l.Scalars & 4) != 0 ? sc : c[l.C.At(i, d)];
        dst[l.Dst.At(i, d)] = default(F).Fma(x, y, z);
    }

    /// <summary>Integers: the product and sum in int64, narrowed at the end (the same bits as wrapping in the type).</summary>
    public static void MulAddL<T, E>(Index1D i, ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, ArrayView<T> dst, Dims d, MulAddLayout l, T sa, T sb, T sc)
        where T : unmanaged where E : struct, IElem<T>
    {
        T x = (l.Scalars & 1) != 0 ? sa : a[l.A.At(i, d)], y = (l.Scalars & 2) != 0 ? sb : b[l.B.At(i, d)], z = (l.Scalars & 4) != 0 ? sc : c[l.C.At(i, d)];
        dst[l.Dst.At(i, d)] = default(E).FromL(default(E).ToL(x) * default(E).ToL(y) + default(E).ToL(z));
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
                    case ReduceOp.Max: if (!double.IsNaN(acc) && (double.IsNaN(x) || x > acc || k == 0)) { acc = x; arg = k; } break;
                    case ReduceOp.Min: if (!double.IsNaN(acc) && (double.IsNaN(x) || x < acc || k == 0)) { acc = x; arg = k; } break;
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

/// <summary>MulAdd's operand strides, and which operands (bits 1 a, 2 b, 4 c) are CPU scalars passed by value.</summary>
internal struct MulAddLayout
{
    public Strd A, B, C, Dst;
    public int Scalars;
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
