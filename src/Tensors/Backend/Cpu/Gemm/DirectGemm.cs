using System.Numerics;
using System.Runtime.Intrinsics;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// Plain dot-product loops for products too small to repay packing, and for integer dtypes (which wrap on
/// overflow like C++). Accumulates in T, as PyTorch's kernels do.
/// </summary>
internal static unsafe class DirectGemm<T> where T : unmanaged, INumber<T>
{
    public static void Multiply(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, nint csb, T* c, nint rsc, nint csc)
    {
        if ((typeof(T) == typeof(float) || typeof(T) == typeof(double)) && Vector256.IsHardwareAccelerated &&
            csb == 1 && csc == 1 && N >= Vector256<T>.Count)
        {
            RowsByVectors(M, N, K, a, rsa, csa, b, rsb, c, rsc);
            return;
        }

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

    /// <summary>
    /// Rows of b and c contiguous (a [300,2]·[2,10] layer, a [2,300]·[300,10] weight gradient): each output row is
    /// built a vector of columns at a time, every lane summing a[i,p]·b[p,j] from zero with p ascending, one multiply
    /// and one add per step as the scalar loop does, so each element rounds exactly as there.
    /// </summary>
    private static void RowsByVectors(int M, int N, int K, T* a, nint rsa, nint csa, T* b, nint rsb, T* c, nint rsc)
    {
        int w = Vector256<T>.Count;
        for (int i = 0; i < M; i++)
        {
            T* arow = a + i * rsa;
            T* crow = c + i * rsc;
            int j = 0;
            for (; j + 2 * w <= N; j += 2 * w)
            {
                var s0 = Vector256<T>.Zero;
                var s1 = Vector256<T>.Zero;
                for (int p = 0; p < K; p++)
                {
                    var av = Vector256.Create(arow[p * csa]);
                    T* brow = b + p * rsb + j;
                    s0 += av * Vector256.Load(brow);
                    s1 += av * Vector256.Load(brow + w);
                }
                s0.Store(crow + j);
                s1.Store(crow + j + w);
            }
            for (; j + w <= N; j += w) Columns(K, arow, csa, b + j, rsb, crow + j);
            // The last few columns as one more vector ending at N: the lanes it shares with the previous one are
            // recomputed with the same operations and stored again unchanged.
            if (j < N) Columns(K, arow, csa, b + N - w, rsb, crow + N - w);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Columns(int K, T* arow, nint csa, T* b, nint rsb, T* c)
    {
        var s0 = Vector256<T>.Zero;
        for (int p = 0; p < K; p++) s0 += Vector256.Create(arow[p * csa]) * Vector256.Load(b + p * rsb);
        s0.Store(c);
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
