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
        for (int i = 0; i < M; i++)
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
