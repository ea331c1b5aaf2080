using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// Max pooling on contiguous float32/float64 (N, C, H, W) tensors, as ATen's cpu_max_pool and
/// cpu_max_pool_backward (aten/src/ATen/native/cpu/MaxPoolKernel.cpp): one pass per plane, planes in parallel.
/// </summary>
internal sealed partial class CpuBackend
{
    public bool MaxPool(StridedBuffer x, in Window2d g, StridedBuffer y, StridedBuffer idx)
    {
        if (!Fits(x) || !Fits(y) || !idx.is_contiguous() || idx.dtype.Kind != ScalarType.Int64) return false;
        if (x.dtype.Kind == ScalarType.Float32) Pool<float>.Max(x, g, y, idx);
        else Pool<double>.Max(x, g, y, idx);
        GC.KeepAlive(x._storage);   // read through raw pointers: the storage outlives them (LargeArrayPool)
        return true;
    }

    public bool MaxPoolBackward(StridedBuffer gy, StridedBuffer idx, StridedBuffer gx)
    {
        if (!Fits(gy) || !Fits(gx) || !idx.is_contiguous() || idx.dtype.Kind != ScalarType.Int64) return false;
        if (gy.dtype.Kind == ScalarType.Float32) Pool<float>.Backward(gy, idx, gx);
        else Pool<double>.Backward(gy, idx, gx);
        GC.KeepAlive(gy._storage); GC.KeepAlive(idx._storage);
        return true;
    }

    private static unsafe class Pool<T> where T : unmanaged, INumber<T>
    {
        private static void Planes(long planes, long work, Action<long, long> body)
        {
            int threads = work < (1 << 15) ? 1 : (int)Math.Min(WorkerTeam.Threads, planes);
            if (threads <= 1) { body(0, planes); return; }
            WorkerTeam.ForRanges(planes, threads, body);
        }

        public static void Max(StridedBuffer x, Window2d g, StridedBuffer y, StridedBuffer idx)
        {
            long planes = x.size(0) * x.size(1), plane = g.H * g.W, outPlane = g.OH * g.OW;
            fixed (T* px0 = &S(x).Ref<T>()) fixed (T* py0 = &S(y).Ref<T>()) fixed (long* pi0 = &S(idx).Ref<long>())
            {
                nint px = (nint)(px0 + x._offset), py = (nint)(py0 + y._offset), pi = (nint)(pi0 + idx._offset);
                Planes(planes, planes * outPlane * g.KH * g.KW, (p0, p1) =>
                {
                    for (long p = p0; p < p1; p++) MaxPlane((T*)px + p * plane, g, (T*)py + p * outPlane, (long*)pi + p * outPlane);
                });
            }
        }

        /// <summary>
        /// ATen's loop: the window clipped to the image (padding is never read), the running maximum starting at
        /// -inf with the window's first in-image position, replaced when `(val &gt; maxval) || isnan(val)`.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MaxPlane(T* x, in Window2d g, T* y, long* idx)
        {
            T negInf = T.CreateTruncating(double.NegativeInfinity);
            // Columns whose windows lie wholly inside the image, for the vector path (rows are checked per row).
            long owLo = Math.Min(g.OW, (g.PadL + g.SW - 1) / g.SW), owHi = owLo;
            while (owHi < g.OW && owHi * g.SW - g.PadL + (g.KW - 1) * g.DW < g.W) owHi++;
            bool vector = typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated && g.H * g.W <= int.MaxValue && owHi - owLo >= 8;
            bool twoByTwo = vector && Avx2.IsSupported && g.KH == 2 && g.KW == 2 && g.SW == 2 && g.DH == 1 && g.DW == 1;
            for (long oh = 0; oh < g.OH; oh++)
                for (long ow = 0; ow < g.OW; ow++)
                {
                    long top = oh * g.SH - g.PadT;
                    if (vector && ow >= owLo && ow < owHi && top >= 0 && top + (g.KH - 1) * g.DH < g.H)
                    {
                        // A last group that would run past the inside columns ends at them instead, overlapping the
                        // previous group: its shared lanes are recomputed with the same comparisons (same bits).
                        long o = Math.Min(ow, owHi - 8);
                        if (twoByTwo) MaxEightTwoByTwo((float*)x, g.W, top * g.W + o * 2 - g.PadL, (float*)y + oh * g.OW + o, idx + oh * g.OW + o);
                        else MaxEight((float*)x, g, top, o, (float*)y + oh * g.OW + o, idx + oh * g.OW + o);
                        ow = o + 7;
                        continue;
                    }
                    long ih0 = oh * g.SH - g.PadT, iw0 = ow * g.SW - g.PadL;
                    long ih1 = Math.Min(ih0 + (g.KH - 1) * g.DH + 1, g.H), iw1 = Math.Min(iw0 + (g.KW - 1) * g.DW + 1, g.W);
                    while (ih0 < 0) ih0 += g.DH;
                    while (iw0 < 0) iw0 += g.DW;
                    long maxIndex = ih0 * g.W + iw0;
                    T maxVal = negInf;
                    for (long ih = ih0; ih < ih1; ih += g.DH)
                        for (long iw = iw0; iw < iw1; iw += g.DW)
                        {
                            long index = ih * g.W + iw;
                            T val = x[index];
                            // Selects, not a branch: on real activations which tap wins is a coin toss, and a
                            // mispredicted branch per window cost more than the whole window's loads.
                            bool take = val > maxVal || T.IsNaN(val);
                            maxVal = take ? val : maxVal;
                            maxIndex = take ? index : maxIndex;
                        }
                    y[oh * g.OW + ow] = maxVal;
                    idx[oh * g.OW + ow] = maxIndex;
                }
        }

        public static void Backward(StridedBuffer gy, StridedBuffer idx, StridedBuffer gx)
        {
            long planes = gx.size(0) * gx.size(1), plane = gx.size(2) * gx.size(3), outPlane = gy.size(2) * gy.size(3);
            fixed (T* pg0 = &S(gy).Ref<T>()) fixed (T* px0 = &S(gx).Ref<T>()) fixed (long* pi0 = &S(idx).Ref<long>())
            {
                nint pg = (nint)(pg0 + gy._offset), px = (nint)(px0 + gx._offset), pi = (nint)(pi0 + idx._offset);
                Planes(planes, planes * (plane + outPlane), (p0, p1) =>
                {
                    for (long p = p0; p < p1; p++) ScatterPlane((T*)px + p * plane, plane, (T*)pg + p * outPlane, (long*)pi + p * outPlane, outPlane);
                });
            }
        }

        /// <summary>
        /// Eight adjacent windows inside the image at once, the same comparisons in the same tap order as the scalar
        /// loop (a lane takes a tap when it is greater or NaN), as vector selects: no branch per tap.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MaxEight(float* x, in Window2d g, long top, long ow, float* y, long* idx)
        {
            var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * (int)g.SW;
            var maxv = Vector256.Create(float.NegativeInfinity);
            int left = (int)(ow * g.SW - g.PadL);
            var maxi = lane + Vector256.Create((int)(top * g.W) + left);
            float* tap = stackalloc float[8];
            for (long i = 0; i < g.KH; i++)
                for (long j = 0; j < g.KW; j++)
                {
                    int start = (int)((top + i * g.DH) * g.W) + left + (int)(j * g.DW);
                    float* src = x + start;
                    for (int l = 0; l < 8; l++) tap[l] = src[l * g.SW];
                    var v = Vector256.Load(tap);
                    var take = Vector256.GreaterThan(v, maxv) | ~Vector256.Equals(v, v);
                    maxv = Vector256.ConditionalSelect(take, v, maxv);
                    maxi = Vector256.ConditionalSelect(take.AsInt32(), lane + Vector256.Create(start), maxi);
                }
            maxv.Store(y);
            var (lo, hi) = Vector256.Widen(maxi);
            lo.Store(idx); hi.Store(idx + 4);
        }

        /// <summary>
        /// <see cref="MaxEight"/> for the common 2×2 window with column stride 2: each of the two rows is two vector
        /// loads split into its even and odd columns (taps (r, 0) and (r, 1) of the eight windows), instead of 32
        /// scalar gathers; the taps are compared in the same order, (0,0), (0,1), (1,0), (1,1).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MaxEightTwoByTwo(float* x, long w, long start, float* y, long* idx)
        {
            var lane = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
            var maxv = Vector256.Create(float.NegativeInfinity);
            // Until a tap wins (a window of -inf), the index is the window's first position, as in the scalar loop.
            var maxi = lane + Vector256.Create((int)start);
            for (long r = 0; r < 2; r++)
            {
                long at = start + r * w;
                var v0 = Vector256.Load(x + at);
                var v1 = Vector256.Load(x + at + 8);
                // Per 128-bit half, columns (0,2 | 8,10) and (1,3 | 9,11) ...; the 64-bit permute puts them in order.
                var even = Avx2.Permute4x64(Avx.Shuffle(v0, v1, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
                var odd = Avx2.Permute4x64(Avx.Shuffle(v0, v1, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
                var take = Vector256.GreaterThan(even, maxv) | ~Vector256.Equals(even, even);
                maxv = Vector256.ConditionalSelect(take, even, maxv);
                maxi = Vector256.ConditionalSelect(take.AsInt32(), lane + Vector256.Create((int)at), maxi);
                take = Vector256.GreaterThan(odd, maxv) | ~Vector256.Equals(odd, odd);
                maxv = Vector256.ConditionalSelect(take, odd, maxv);
                maxi = Vector256.ConditionalSelect(take.AsInt32(), lane + Vector256.Create((int)at + 1), maxi);
            }
            maxv.Store(y);
            var (lo, hi) = Vector256.Widen(maxi);
            lo.Store(idx); hi.Store(idx + 4);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ScatterPlane(T* dst, long plane, T* src, long* at, long outPlane)
        {
            new Span<T>(dst, (int)plane).Clear();
            for (long k = 0; k < outPlane; k++) dst[at[k]] += src[k];
        }
    }
}
