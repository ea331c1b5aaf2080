using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// Batch norm's per-channel affine transform in one pass (issue #17: eval batch norm took three, an alpha/beta
/// product each and a broadcast multiply and add over the activation, each writing a full-size temporary): every
/// (image, channel) plane is read once and written once, the vector body doing the same multiply-then-add as the
/// composed path.
/// </summary>
internal sealed partial class CpuBackend : INormKernels
{
    public bool ChannelAffine(StridedBuffer x, StridedBuffer alpha, StridedBuffer beta, StridedBuffer y)
    {
        if (!Fits(x) || !Fits(y) || !Fits(alpha) || !Fits(beta) || x._shape.Length < 2) return false;
        if (x.dtype != y.dtype || x.dtype != alpha.dtype || x.dtype != beta.dtype) return false;
        long c = x.size(1);
        if (alpha.numel() != c || beta.numel() != c || y.numel() != x.numel()) return false;
        if (x.dtype.Kind == ScalarType.Float32) Affine<float>.Run(x, alpha, beta, y);
        else Affine<double>.Run(x, alpha, beta, y);
        GC.KeepAlive(x._storage);   // raw pointers below: the storages outlive them (LargeArrayPool)
        return true;
    }

    private static unsafe class Affine<T> where T : unmanaged, INumber<T>
    {
        public static void Run(StridedBuffer x, StridedBuffer alpha, StridedBuffer beta, StridedBuffer y)
        {
            long c = x.size(1), n = x.numel(), plane = c == 0 ? 0 : n / x.size(0) / c;
            if (n == 0) return;
            // α and β copied out once (C values each): the planes index them by channel.
            var a = S(alpha).Span<T>().Slice((int)alpha._offset, (int)c).ToArray();
            var b = S(beta).Span<T>().Slice((int)beta._offset, (int)c).ToArray();
            fixed (T* px0 = &S(x).Ref<T>()) fixed (T* py0 = &S(y).Ref<T>()) fixed (T* pa = a) fixed (T* pb = b)
            {
                nint px = (nint)(px0 + x._offset), py = (nint)(py0 + y._offset), na = (nint)pa, nb = (nint)pb;
                int threads = n < ParallelRun.MinElements ? 1 : WorkerTeam.Threads;
                if (threads <= 1) { Range(0, n, (T*)px, (T*)py, (T*)na, (T*)nb, c, plane); return; }
                // Contiguous element ranges, one per thread, cut on 64-element boundaries (vector bodies stay aligned).
                WorkerTeam.For(threads, t =>
                {
                    long from = n * t / threads & ~63L, to = t == threads - 1 ? n : n * (t + 1) / threads & ~63L;
                    Range(from, to, (T*)px, (T*)py, (T*)na, (T*)nb, c, plane);
                }, threads);
            }
        }

        /// <summary>Elements [from, to) of the flat (N, C, plane) layout: whole or partial planes, each with its channel's α, β.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Range(long from, long to, T* x, T* y, T* alpha, T* beta, long c, long plane)
        {
            long e = from;
            while (e < to)
            {
                long p = e / plane, end = Math.Min(to, (p + 1) * plane);
                long ch = p % c;
                Plane(x + e, y + e, end - e, alpha[ch], beta[ch]);
                e = end;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Plane(T* x, T* y, long count, T a, T b)
        {
            long i = 0;
            if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            {
                var va = Vector256.Create(a); var vb = Vector256.Create(b);
                int w = Vector256<T>.Count;
                // Multiply, then add: the JIT does not contract these into an FMA, so each lane rounds twice as
                // the composed path's elements do.
                for (; i + 2 * w <= count; i += 2 * w)
                {
                    (Vector256.Load(x + i) * va + vb).Store(y + i);
                    (Vector256.Load(x + i + w) * va + vb).Store(y + i + w);
                }
                for (; i + w <= count; i += w) (Vector256.Load(x + i) * va + vb).Store(y + i);
            }
            for (; i < count; i++) y[i] = x[i] * a + b;
        }
    }
}
