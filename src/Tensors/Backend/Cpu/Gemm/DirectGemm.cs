using System.Numerics;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// Plain dot-product loops for products too small to repay packing, and for integer dtypes (which wrap on
/// overflow like C++). Accumulates in T, as PyTorch's kernels do.
/// </summary>
internal static unsafe class DirectGemm<T> where T : unmanaged, INumber<T>
{
    public static void Multiply(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc)
    {
        // Four rows at a time: four independent sums, each accumulated in the same order (p ascending from zero) as
        // the one-row loop below, so every output rounds exactly as before; only the sums' latencies overlap.
        int i0 = 0;
        for (; i0 + 4 <= M; i0 += 4)
        {
            T* a0 = a + i0 * rsa, a1 = a0 + rsa, a2 = a1 + rsa, a3 = a2 + rsa;
            T* c0 = c + i0 * rsc;
            for (int j = 0; j < N; j++)
            {
                T* bcol = b + j * csb;
                T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
                for (int p = 0; p < K; p++)
                {
                    T bv = bcol[p * rsb];
                    nint q = p * csa;
                    s0 += a0[q] * bv; s1 += a1[q] * bv; s2 += a2[q] * bv; s3 += a3[q] * bv;
                }
                T* cj = c0 + j * csc;
                cj[0] = s0; cj[rsc] = s1; cj[2 * rsc] = s2; cj[3 * rsc] = s3;
            }
        }
        for (; i0 + 2 <= M; i0 += 2)
        {
            T* a0 = a + i0 * rsa, a1 = a0 + rsa;
            T* c0 = c + i0 * rsc;
            for (int j = 0; j < N; j++)
            {
                T* bcol = b + j * csb;
                T s0 = T.Zero, s1 = T.Zero;
                for (int p = 0; p < K; p++)
                {
                    T bv = bcol[p * rsb];
                    nint q = p * csa;
                    s0 += a0[q] * bv; s1 += a1[q] * bv;
                }
                T* cj = c0 + j * csc;
                cj[0] = s0; cj[rsc] = s1;
            }
        }
        for (int i = i0; i < M; i++)
        {
            T* arow = a + i * rsa;
            T* crow = c + i * rsc;
            for (int j = 0; j < N; j++)
            {
                T* bcol = b + j * csb;
                T s = T.Zero;
                for (int p = 0; p < K; p++) s += arow[p * csa] * bcol[p * rsb];
                crow[j * csc] = s;
            }
        }
    }
}

/// <summary>a·b + c with a single rounding for float and double; plain arithmetic for integers.</summary>
internal static class ScalarFma
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static T MulAdd<T>(T a, T b, T c) where T : INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            var r = MathF.FusedMultiplyAdd((float)(object)a, (float)(object)b, (float)(object)c);
            return (T)(object)r;
        }
        if (typeof(T) == typeof(double))
        {
            var r = Math.FusedMultiplyAdd((double)(object)a, (double)(object)b, (double)(object)c);
            return (T)(object)r;
        }
        return a * b + c;
    }
}
