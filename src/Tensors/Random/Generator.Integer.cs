using System.Numerics;

namespace Notebooks.Tensors;

public sealed partial class Generator
{
    /// <summary>
    /// random_(from, to) and randint: each element is <c>(bits % (to - from)) + from</c>
    /// (transformation::uniform_int_from_to, aten/src/ATen/core/TransformationHelper.h). PyTorch draws 64 bits
    /// only for int64, float, double and bfloat16 tensors and only when the range is at least 2^32
    /// (uniform_int_from_to_distribution, aten/src/ATen/core/DistributionsHelper.h); otherwise one 32-bit output.
    /// The sum is formed in int64 and then converted to the element type.
    /// </summary>
    internal void FillRandomRange<T>(Span<T> dst, long from, long toExclusive) where T : unmanaged, INumberBase<T>
    {
        if (from >= toExclusive)
            throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={from} >= to={toExclusive}");
        ulong range = (ulong)toExclusive - (ulong)from;
        bool wide = range >= 1UL << 32 && (typeof(T) == typeof(long) || typeof(T) == typeof(double) || typeof(T) == typeof(float));
        lock (_sync)
        {
            foreach (ref T x in dst)
            {
                ulong bits = wide ? Random64() : Random32();
                x = FromInt64<T>((long)(bits % range + (ulong)from));
            }
        }
    }

    /// <summary>random_(from=int64.min, to=None): every element is all 64 bits reinterpreted as int64
    /// (random_full_64_bits_range_kernel; int64, float and double tensors only).</summary>
    internal void FillRandomFull64<T>(Span<T> dst) where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) != typeof(long) && typeof(T) != typeof(double) && typeof(T) != typeof(float))
            throw new NotSupportedException($"random_ over the full int64 range handles only int64, double and float, not {typeof(T).Name}");
        lock (_sync)
        {
            foreach (ref T x in dst) x = FromInt64<T>((long)Random64());
        }
    }

    /// <summary>
    /// random_() with no bounds (transformation::uniform_int): integers are uniform on [0, max(T)]
    /// (bool takes the lowest bit), floating types on [0, 2^digits] so every value is exact. Only int64 and
    /// double draw 64 bits (uniform_int_distribution).
    /// </summary>
    internal void FillRandom<T>(Span<T> dst) where T : unmanaged
    {
        lock (_sync)
        {
            if (typeof(T) == typeof(long)) Fill(MemoryMarshalCast<T, long>(dst), g => (long)(g.Random64() % (1UL << 63)));
            else if (typeof(T) == typeof(double)) Fill(MemoryMarshalCast<T, double>(dst), g => g.Random64() % ((1UL << 53) + 1));
            else if (typeof(T) == typeof(float)) Fill(MemoryMarshalCast<T, float>(dst), g => g.Random32() % ((1UL << 24) + 1));
            else if (typeof(T) == typeof(Half)) Fill(MemoryMarshalCast<T, Half>(dst), g => (Half)(float)(g.Random32() % ((1UL << 11) + 1)));
            else if (typeof(T) == typeof(int)) Fill(MemoryMarshalCast<T, int>(dst), g => (int)(g.Random32() % (1UL << 31)));
            else if (typeof(T) == typeof(short)) Fill(MemoryMarshalCast<T, short>(dst), g => (short)(g.Random32() % (1UL << 15)));
            else if (typeof(T) == typeof(sbyte)) Fill(MemoryMarshalCast<T, sbyte>(dst), g => (sbyte)(g.Random32() % (1UL << 7)));
            else if (typeof(T) == typeof(byte)) Fill(MemoryMarshalCast<T, byte>(dst), g => (byte)(g.Random32() % (1UL << 8)));
            else if (typeof(T) == typeof(bool)) Fill(MemoryMarshalCast<T, bool>(dst), g => (g.Random32() & 1) != 0);
            else throw new NotSupportedException($"random_ is not implemented for {typeof(T).Name}");
        }
    }

    /// <summary>
    /// randperm(n) on CPU (randperm_cpu, aten/src/ATen/native/TensorFactories.cpp). For n below
    /// 2^32/20 it is the classic forward Fisher–Yates swap with <c>random() % (n - i)</c>; above that the
    /// "inside-out" shuffle with <c>random64() % (i + 1)</c>, since 32-bit draws would be visibly biased.
    /// </summary>
    internal long[] RandPerm(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var r = new long[n];
        lock (_sync)
        {
            if (n < uint.MaxValue / 20)
            {
                for (long i = 0; i < n; i++) r[i] = i;
                for (long i = 0; i < n - 1; i++)
                {
                    long z = (long)(Random32() % (ulong)(n - i));
                    (r[i], r[z + i]) = (r[z + i], r[i]);
                }
            }
            else
            {
                for (long i = 0; i < n; i++)
                {
                    long z = (long)(Random64() % (ulong)(i + 1));
                    r[i] = r[z];
                    r[z] = i;
                }
            }
        }
        return r;
    }

    private static T FromInt64<T>(long value) where T : unmanaged, INumberBase<T>
    {
        // c10::Half is constructed from float, so an int64 reaches half through float.
        if (typeof(T) == typeof(Half)) return T.CreateTruncating((Half)(float)value);
        return T.CreateTruncating(value);
    }

    private void Fill<T>(Span<T> dst, Func<Generator, T> draw)
    {
        foreach (ref T x in dst) x = draw(this);
    }

    private static Span<TTo> MemoryMarshalCast<TFrom, TTo>(Span<TFrom> span) where TFrom : unmanaged where TTo : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(span);
}
