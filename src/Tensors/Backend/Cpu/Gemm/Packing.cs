using System.Numerics;
using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// Copies one panel of A or B into the micro-kernel's order, zero-padding a ragged edge. Strides are read here, so
/// transposed and otherwise strided operands cost nothing beyond the pack every GEMM does anyway.
/// </summary>
internal static unsafe class Packing<T, TKernel> where T : unmanaged, INumber<T> where TKernel : struct, IMicroKernel<T>
{
    /// <summary>A[mr × kc] (mr ≤ MR) → dst[p][r], MR values per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(int mr, int kc, T* src, nint rs, nint cs, T* dst)
    {
        int MR = TKernel.MR;
        if (mr == MR && rs == 1)
        {
            // Column-major A (a transposed operand): each k's MR values are contiguous.
            nuint bytes = (nuint)(MR * sizeof(T));
            for (int p = 0; p < kc; p++) Unsafe.CopyBlockUnaligned(dst + p * MR, src + p * cs, (uint)bytes);
            return;
        }
        if (mr == MR && cs == 1)
        {
            // Row-major A: MR rows read side by side, a run of MR values written per k. Two rows' loads per step
            // keep the store port, not the loop, the limit.
            for (int r = 0; r < MR; r += 2)
            {
                T* r0 = src + r * rs, r1 = r0 + rs;
                T* d = dst + r;
                for (int p = 0; p < kc; p++, d += MR) { d[0] = r0[p]; d[1] = r1[p]; }
            }
            return;
        }
        for (int r = 0; r < mr; r++)
        {
            T* row = src + r * rs;
            for (int p = 0; p < kc; p++) dst[p * MR + r] = row[p * cs];
        }
        for (int r = mr; r < MR; r++)
            for (int p = 0; p < kc; p++) dst[p * MR + r] = T.Zero;
    }

    /// <summary>B[kc × nr] (nr ≤ NR) → dst[p][j], NR values per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(int nr, int kc, T* src, nint rs, nint cs, T* dst)
    {
        int NR = TKernel.NR;
        if (nr == NR && cs == 1)
        {
            uint bytes = (uint)(NR * sizeof(T));
            for (int p = 0; p < kc; p++) Unsafe.CopyBlockUnaligned(dst + p * NR, src + p * rs, bytes);
            return;
        }
        if (cs == 1)
        {
            uint bytes = (uint)(nr * sizeof(T));
            for (int p = 0; p < kc; p++)
            {
                T* d = dst + p * NR;
                Unsafe.CopyBlockUnaligned(d, src + p * rs, bytes);
                for (int j = nr; j < NR; j++) d[j] = T.Zero;
            }
            return;
        }
        if (nr == NR && rs == 1 && TransposedPacking.TryPackB(NR, kc, src, cs, dst)) return;
        // Strided columns (a transposed B): walk each column along k, its unit-stride direction when rs == 1.
        for (int j = 0; j < nr; j++)
        {
            T* col = src + j * cs;
            for (int p = 0; p < kc; p++) dst[p * NR + j] = col[p * rs];
        }
        for (int j = nr; j < NR; j++)
            for (int p = 0; p < kc; p++) dst[p * NR + j] = T.Zero;
    }
}
