using System.Numerics;
using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// im2col and col2im for one contiguous image (C planes of H × W), the CPU kernels under the convolution: a column
/// row (c, i, j) holds tap (i, j) of channel c at every window position (oh, ow). Rows are written run by run (a
/// unit-stride window row is one block copy, padding is zeros), so a convolution needs no 6-d strided copy.
/// </summary>
internal static unsafe class Im2Col<T> where T : unmanaged, INumber<T>
{
    /// <summary>Rows [r0, r1) of the (C·KH·KW) × (OH·OW) columns of <paramref name="img"/>, row r at cols + (r - r0)·OH·OW.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unfold(T* img, in Window2d g, long r0, long r1, T* cols)
    {
        long L = g.OH * g.OW, plane = g.H * g.W, taps = g.KH * g.KW;
        for (long r = r0; r < r1; r++)
        {
            long c = r / taps, i = r % taps / g.KW, j = r % g.KW;
            T* src = img + c * plane, dst = cols + (r - r0) * L;
            long off = j * g.DW - g.PadL;
            var (lo, hi) = Columns(g, off);
            for (long oh = 0; oh < g.OH; oh++, dst += g.OW)
            {
                long ih = oh * g.SH - g.PadT + i * g.DH;
                if (ih < 0 || ih >= g.H) { Zero(dst, g.OW); continue; }
                T* row = src + ih * g.W + off;
                for (long k = 0; k < lo; k++) dst[k] = T.Zero;
                if (g.SW == 1) Copy(dst + lo, row + lo, (int)(hi - lo));
                else for (long ow = lo; ow < hi; ow++) dst[ow] = row[ow * g.SW];
                for (long k = hi; k < g.OW; k++) dst[k] = T.Zero;
            }
        }
    }

    /// <summary>
    /// Rows [r0, r1) of the columns laid out transposed, one row per window position (im2row): element (r, p) at
    /// rows + p·stride + (r - r0). A product that reads this as its row-major left operand (or as a right operand
    /// with unit column stride) needs no gather when the GEMM packs it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UnfoldRows(T* img, in Window2d g, long r0, long r1, T* rows, long stride)
    {
        long plane = g.H * g.W, taps = g.KH * g.KW;
        long c0 = r0 / taps, i0 = r0 % taps / g.KW, j0 = r0 % g.KW;
        T* dst = rows;
        // Position by position, so each row is written contiguously: a window row's taps are a run of the image
        // row (contiguous when DW = 1), copied without bounds checks when the window lies inside the image.
        for (long oh = 0; oh < g.OH; oh++)
            for (long ow = 0; ow < g.OW; ow++, dst += stride)
            {
                long ih0 = oh * g.SH - g.PadT, iw0 = ow * g.SW - g.PadL;
                bool inside = iw0 >= 0 && iw0 + (g.KW - 1) * g.DW < g.W;
                T* d = dst;
                long c = c0, i = i0, j = j0;
                for (long r = r0; r < r1;)
                {
                    long run = Math.Min(g.KW - j, r1 - r);
                    long ih = ih0 + i * g.DH;
                    if (ih < 0 || ih >= g.H)
                        for (long k = 0; k < run; k++) d[k] = T.Zero;
                    else
                    {
                        T* src = img + c * plane + ih * g.W + iw0 + j * g.DW;
                        if (inside && g.DW == 1) for (long k = 0; k < run; k++) d[k] = src[k];
                        else
                            for (long k = 0; k < run; k++)
                            {
                                long iw = iw0 + (j + k) * g.DW;
                                d[k] = iw >= 0 && iw < g.W ? src[k * g.DW] : T.Zero;
                            }
                    }
                    d += run; r += run; j = 0;
                    if (++i == g.KH) { i = 0; c++; }
                }
            }
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold"/> over whole channels: adds every column value onto <paramref name="img"/>
    /// (zeroed by the caller) at the position it was read from. Taps go last to first, so each image element receives
    /// its windows in the order SlidingWindow.Col2Im's tap-by-tap adds give it (the same sums, the same bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FoldAdd(T* cols, in Window2d g, long channels, T* img)
    {
        long L = g.OH * g.OW, plane = g.H * g.W;
        for (long c = 0; c < channels; c++)
            for (long i = g.KH - 1; i >= 0; i--)
                for (long j = g.KW - 1; j >= 0; j--)
                {
                    T* src = cols + ((c * g.KH + i) * g.KW + j) * L, dst = img + c * plane;
                    long off = j * g.DW - g.PadL;
                    var (lo, hi) = Columns(g, off);
                    if (hi <= lo) continue;
                    for (long oh = 0; oh < g.OH; oh++, src += g.OW)
                    {
                        long ih = oh * g.SH - g.PadT + i * g.DH;
                        if (ih < 0 || ih >= g.H) continue;
                        T* row = dst + ih * g.W + off;
                        if (g.SW == 1) AddTo(row + lo, src + lo, (int)(hi - lo));
                        else for (long ow = lo; ow < hi; ow++) row[ow * g.SW] += src[ow];
                    }
                }
    }

    /// <summary>The window positions [lo, hi) whose column ow·SW + off lies inside the image.</summary>
    private static (long lo, long hi) Columns(in Window2d g, long off)
    {
        long lo = off >= 0 ? 0 : (-off + g.SW - 1) / g.SW;
        long hi = g.W - off <= 0 ? 0 : (g.W - off + g.SW - 1) / g.SW;
        lo = Math.Min(lo, g.OW); hi = Math.Clamp(hi, lo, g.OW);
        return (lo, hi);
    }

    private static void Zero(T* dst, long n) => new Span<T>(dst, (int)n).Clear();

    /// <summary>
    /// dst[k] = src[k] for a window row's run (a few to a few dozen elements: Span.CopyTo's call and size dispatch
    /// cost more than the copy at these lengths).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(T* dst, T* src, int n)
    {
        int k = 0, v = Vector<T>.Count;
        for (; k + v <= n; k += v) Unsafe.WriteUnaligned(dst + k, Unsafe.ReadUnaligned<Vector<T>>(src + k));
        for (; k < n; k++) dst[k] = src[k];
    }

    /// <summary>dst[k] += src[k], one rounding each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(T* dst, T* src, int n)
    {
        int k = 0, v = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
            for (; k + v <= n; k += v)
                (Unsafe.ReadUnaligned<Vector<T>>(dst + k) + Unsafe.ReadUnaligned<Vector<T>>(src + k)).StoreUnsafe(ref dst[k]);
        for (; k < n; k++) dst[k] += src[k];
    }
}
