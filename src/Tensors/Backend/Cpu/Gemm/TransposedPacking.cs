using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// Packs a B panel whose columns are contiguous along k (rs == 1: a transposed operand, e.g. nn.Linear's x·Wᵀ or an
/// LSTM's h·W_hhᵀ) with 8×8 (float) / 4×4 (double) register transposes instead of one scattered store per element.
/// The element-by-element walk cost about as much as a [32,128]·[128,512] product itself (64K strided stores for 2M
/// multiply-adds); a pack is a copy, so the product's bits do not change.
/// </summary>
internal static unsafe class TransposedPacking
{
    /// <summary>Packs nr = <paramref name="NR"/> columns (each at src + j·cs, unit stride along k) into dst[p·NR + j];
    /// false when this CPU or shape has no transposing path (the caller's loop packs then).</summary>
    public static bool TryPackB<T>(int NR, int kc, T* src, nint cs, T* dst) where T : unmanaged
    {
        if (!Avx.IsSupported) return false;
        if (typeof(T) == typeof(float) && NR % 8 == 0) { Floats(NR, kc, (float*)src, cs, (float*)dst); return true; }
        if (typeof(T) == typeof(double) && NR % 4 == 0) { Doubles(NR, kc, (double*)src, cs, (double*)dst); return true; }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Floats(int NR, int kc, float* src, nint cs, float* dst)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
            for (int j = 0; j < NR; j += 8)
            {
                float* s = src + j * cs + p;
                var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + cs);
                var r2 = Avx.LoadVector256(s + 2 * cs); var r3 = Avx.LoadVector256(s + 3 * cs);
                var r4 = Avx.LoadVector256(s + 4 * cs); var r5 = Avx.LoadVector256(s + 5 * cs);
                var r6 = Avx.LoadVector256(s + 6 * cs); var r7 = Avx.LoadVector256(s + 7 * cs);
                var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
                var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
                var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
                var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
                var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
                var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
                var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
                var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
                float* d = dst + p * NR + j;
                Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
                Avx.Store(d + NR, Avx.Permute2x128(u1, u5, 0x20));
                Avx.Store(d + 2 * NR, Avx.Permute2x128(u2, u6, 0x20));
                Avx.Store(d + 3 * NR, Avx.Permute2x128(u3, u7, 0x20));
                Avx.Store(d + 4 * NR, Avx.Permute2x128(u0, u4, 0x31));
                Avx.Store(d + 5 * NR, Avx.Permute2x128(u1, u5, 0x31));
                Avx.Store(d + 6 * NR, Avx.Permute2x128(u2, u6, 0x31));
                Avx.Store(d + 7 * NR, Avx.Permute2x128(u3, u7, 0x31));
            }
        for (; p < kc; p++)
            for (int j = 0; j < NR; j++) dst[p * NR + j] = src[j * cs + p];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Doubles(int NR, int kc, double* src, nint cs, double* dst)
    {
        int p = 0;
        for (; p + 4 <= kc; p += 4)
            for (int j = 0; j < NR; j += 4)
            {
                double* s = src + j * cs + p;
                var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + cs);
                var r2 = Avx.LoadVector256(s + 2 * cs); var r3 = Avx.LoadVector256(s + 3 * cs);
                var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
                var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
                double* d = dst + p * NR + j;
                Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
                Avx.Store(d + NR, Avx.Permute2x128(t1, t3, 0x20));
                Avx.Store(d + 2 * NR, Avx.Permute2x128(t0, t2, 0x31));
                Avx.Store(d + 3 * NR, Avx.Permute2x128(t1, t3, 0x31));
            }
        for (; p < kc; p++)
            for (int j = 0; j < NR; j++) dst[p * NR + j] = src[j * cs + p];
    }
}
