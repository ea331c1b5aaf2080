using System.Numerics;
using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Backend.Functions;

/// <summary>Integer helpers element functions can use on both backends (no typeof: sizes come from GetByteCount).</summary>
internal static class Integers
{
    /// <summary>
    /// A shift count as int. Only the low bits matter (the shift operators mask by the type's width), so a byte's
    /// count reads the same whether the type is signed or not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ShiftCount<T>(T b) where T : IBinaryInteger<T>
    {
        int size = T.Zero.GetByteCount();
        if (size == 8) return (int)Unsafe.As<T, long>(ref b);
        if (size == 4) return Unsafe.As<T, int>(ref b);
        if (size == 2) return Unsafe.As<T, short>(ref b);
        return Unsafe.As<T, byte>(ref b);
    }

    /// <summary>True for a signed type (T.MinValue is negative): -1 is then below zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsMinusOne<T>(T x) where T : IBinaryInteger<T> => T.IsNegative(T.Zero - T.One) && x == T.Zero - T.One;
}
