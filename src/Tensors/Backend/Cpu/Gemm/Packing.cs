using System.Numerics;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// Copies blocks of A and B into the micro-kernel's panel order, zero-padding ragged edges. Strides are read here,
/// so transposed and otherwise strided operands cost nothing beyond the pack every GEMM does anyway.
/// </summary>
internal static unsafe class Packing<T> where T : unmanaged, INumber<T>
{
    /// <summary>A[mc × kc] → panels of MR rows, each stored k-major: dst[panel][p][r].</summary>
    public static void PackA(int mc, int kc, T* a, nint rs, nint cs, T* dst)
    {
        const int MR = MicroKernel<T>.MR;
        for (int i = 0; i < mc; i += MR)
        {
            int mr = Math.Min(MR, mc - i);
            T* src = a + i * rs;
            // Walk the operand along its unit-stride direction so the reads stream.
            if (cs == 1 || mr < MR)
            {
                for (int r = 0; r < mr; r++)
                {
                    T* row = src + r * rs;
                    for (int p = 0; p < kc; p++) dst[p * MR + r] = row[p * cs];
                }
                for (int r = mr; r < MR; r++)
                    for (int p = 0; p < kc; p++) dst[p * MR + r] = T.Zero;
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    T* col = src + p * cs;
                    T* d = dst + p * MR;
                    for (int r = 0; r < MR; r++) d[r] = col[r * rs];
                }
            }
            dst += MR * kc;
        }
    }

    /// <summary>B[kc × nc] → panels of NR columns, each stored k-major: dst[panel][p][c].</summary>
    public static void PackB(int kc, int nc, T* b, nint rs, nint cs, T* dst)
    {
        int NR = MicroKernel<T>.NR;
        for (int j = 0; j < nc; j += NR)
        {
            int nr = Math.Min(NR, nc - j);
            T* src = b + j * cs;
            if (cs == 1)
            {
                nuint bytes = (nuint)(nr * sizeof(T));
                for (int p = 0; p < kc; p++)
                {
                    T* d = dst + p * NR;
                    Buffer.MemoryCopy(src + p * rs, d, bytes, bytes);
                    for (int c = nr; c < NR; c++) d[c] = T.Zero;
                }
            }
            else
            {
                for (int c = 0; c < nr; c++)
                {
                    T* col = src + c * cs;
                    for (int p = 0; p < kc; p++) dst[p * NR + c] = col[p * rs];
                }
                for (int c = nr; c < NR; c++)
                    for (int p = 0; p < kc; p++) dst[p * NR + c] = T.Zero;
            }
            dst += NR * kc;
        }
    }
}
