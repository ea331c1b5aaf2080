using System.Numerics;
using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Backend.Functions;

/// <summary>
/// Conversions between a floating compute type (float or double) and double that both backends can run: ILGPU rejects
/// <c>typeof</c> (so <c>T.CreateTruncating</c>, which tests types, cannot appear in an element function), but it
/// compiles <c>sizeof</c> and a reinterpreting <c>Unsafe.As</c>, and the JIT folds both to one conversion.
/// </summary>
internal static class Real
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble<T>(T x) where T : IFloatingPointIeee754<T> =>
        IsSingle<T>() ? Unsafe.As<T, float>(ref x) : Unsafe.As<T, double>(ref x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble<T>(double x) where T : IFloatingPointIeee754<T>
    {
        if (IsSingle<T>()) { float f = (float)x; return Unsafe.As<float, T>(ref f); }
        return Unsafe.As<double, T>(ref x);
    }

    // float's significand has 24 bits, double's 53: a constant the JIT folds and ILGPU compiles (it has no sizeof).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSingle<T>() where T : IFloatingPointIeee754<T> => T.Zero.GetSignificandBitLength() == 24;

    /// <summary>The neighbour of finite or infinite <paramref name="a"/> toward +inf (up) or -inf, through its bits (ILGPU cannot compile BitIncrement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Step<T>(T a, bool up) where T : IFloatingPointIeee754<T>
    {
        if (T.IsZero(a)) return up ? T.Epsilon : -T.Epsilon;
        bool away = up != T.IsNegative(a);
        if (IsSingle<T>())
        {
            int i = Unsafe.As<T, int>(ref a) + (away ? 1 : -1);
            return Unsafe.As<int, T>(ref i);
        }
        long l = Unsafe.As<T, long>(ref a) + (away ? 1 : -1);
        return Unsafe.As<long, T>(ref l);
    }

    /// <summary>A small integer constant in T (exact in float and double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(double x) where T : IFloatingPointIeee754<T> => FromDouble<T>(x);
}
