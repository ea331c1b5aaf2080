using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// The order in which PyTorch's CPU kernel adds up a contiguous float row (aten/src/ATen/native/cpu/SumKernel.cpp),
/// reproduced so that small sums — a loss's mean, a bias gradient — round exactly as libtorch's do:
/// <list type="bullet">
/// <item>fewer elements than one SIMD vector: <c>row_sum</c> reads the row as (-1, 4), keeps 4 running sums in
/// <c>multi_row_sum</c>'s cascade of 4 levels, adds the leftover elements to the first, then folds the 4 in order;</item>
/// <item>otherwise <c>vectorized_inner_sum</c>: the same over whole vectors (lane-wise), then the scalar tail is added
/// up first and the vector's lanes are added to it one by one.</item>
/// </list>
/// The vector width is that of ATen's AVX2 kernels (32 bytes, the CPU capability PyTorch's x86 builds pick by
/// default): with it, lesson 001's gradient-descent losses match the original notebook at every printed step;
/// with AVX-512's width, steps 81 and 171 differ in the last printed digit.
/// </summary>
internal static class AtenSumOrder
{
    /// <summary>ATen's internal::GRAIN_SIZE: longer reductions are split across threads there, so their order differs anyway.</summary>
    public const int MaxLength = 32768;

    private const int VectorBytes = 32;
    private const int Ilp = 4;
    private const int Levels = 4;

    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T>
    {
        int lanes = VectorBytes / Unsafe.SizeOf<T>();
        Span<T> acc = stackalloc T[Levels * Ilp * lanes];
        Span<T> partial = stackalloc T[lanes];
        if (x.Length < lanes)
        {
            RowSum(x, 1, acc[..(Levels * Ilp)], partial[..1]);
            return partial[0];
        }
        int vectors = x.Length / lanes;
        RowSum(x[..(vectors * lanes)], lanes, acc, partial);
        T total = T.Zero;
        for (int k = vectors * lanes; k < x.Length; k++) total += x[k];
        for (int l = 0; l < lanes; l++) total += partial[l];
        return total;
    }

    /// <summary>row_sum over units of <paramref name="lanes"/> elements; writes the lane-wise sum to <paramref name="r"/>.</summary>
    private static void RowSum<T>(ReadOnlySpan<T> x, int lanes, Span<T> acc, Span<T> r) where T : unmanaged, INumber<T>
    {
        int units = x.Length / lanes;
        int rows = units / Ilp;
        // acc[level, k, lane]
        acc.Clear();
        int levelPower = Math.Max(4, CeilLog2(rows) / Levels);
        int levelStep = 1 << levelPower;
        int levelMask = levelStep - 1;
        int i = 0;
        for (; i + levelStep <= rows;)
        {
            for (int j = 0; j < levelStep; j++) AddRow(x, acc, 0, i + j, lanes);
            i += levelStep;
            for (int j = 1; j < Levels; j++)
            {
                for (int e = 0; e < Ilp * lanes; e++)
                {
                    acc[j * Ilp * lanes + e] += acc[(j - 1) * Ilp * lanes + e];
                    acc[(j - 1) * Ilp * lanes + e] = T.Zero;
                }
                if ((i & (levelMask << (j * levelPower))) != 0) break;
            }
        }
        for (; i < rows; i++) AddRow(x, acc, 0, i, lanes);
        for (int j = 1; j < Levels; j++)
            for (int e = 0; e < Ilp * lanes; e++) acc[e] += acc[j * Ilp * lanes + e];

        // Units left over after whole rows of 4 go to the first partial sum, then the 4 are folded in order.
        for (int u = rows * Ilp; u < units; u++)
            for (int l = 0; l < lanes; l++) acc[l] += x[u * lanes + l];
        for (int l = 0; l < lanes; l++)
        {
            var s = acc[l];
            for (int k = 1; k < Ilp; k++) s += acc[k * lanes + l];
            r[l] = s;
        }
    }

    // Lane-wise vector adds round exactly like the per-lane scalar adds they replace.
    private static void AddRow<T>(ReadOnlySpan<T> x, Span<T> acc, int level, int row, int lanes) where T : unmanaged, INumber<T>
    {
        int n = Ilp * lanes;
        var src = x.Slice(row * n, n);
        var dst = acc.Slice(level * n, n);
        int e = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ref T s = ref MemoryMarshal.GetReference(src);
            ref T d = ref MemoryMarshal.GetReference(dst);
            for (; e + Vector256<T>.Count <= n; e += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref d, (nuint)e) + Vector256.LoadUnsafe(ref s, (nuint)e)).StoreUnsafe(ref d, (nuint)e);
        }
        for (; e < n; e++) dst[e] += src[e];
    }

    /// <summary>c10::utils CeilLog2.</summary>
    private static int CeilLog2(int x) => x <= 2 ? (x == 2 ? 1 : 0) : 32 - BitOperations.LeadingZeroCount((uint)(x - 1));
}
