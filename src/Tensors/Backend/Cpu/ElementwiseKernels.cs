using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors.Backend.Cpu;

internal struct UnaryKernel<T, F> : IInnerLoop where T : unmanaged where F : IUnaryFn<T>
{
    public CpuStorage Src, Dst;

    public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
    {
        if (n >= ParallelRun.MinElements && ParallelRun.TrySplit(ref this, off, st, n)) return;
        ref T s = ref Unsafe.Add(ref Src.Ref<T>(), (nint)off[0]);
        ref T d = ref Unsafe.Add(ref Dst.Ref<T>(), (nint)off[1]);
        if (st[0] == 1 && st[1] == 1 && F.Contig(MemoryMarshal.CreateReadOnlySpan(ref s, (int)n), MemoryMarshal.CreateSpan(ref d, (int)n)))
            return;
        nint ss = (nint)st[0], ds = (nint)st[1];
        for (nint i = 0; i < (nint)n; i++) Unsafe.Add(ref d, i * ds) = F.Apply(Unsafe.Add(ref s, i * ss));
    }
}

internal struct BinaryKernel<T, F> : IRowsLoop where T : unmanaged where F : IBinaryFn<T>
{
    public CpuStorage A, B, Dst;

    /// <summary>Rows from here on go to TensorPrimitives; shorter ones cost less through the inline vector loop.</summary>
    private const long LongRow = 64;

    public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
    {
        if (n >= ParallelRun.MinElements && ParallelRun.TrySplit(ref this, off, st, n)) return;
        ref T a = ref Unsafe.Add(ref A.Ref<T>(), (nint)off[0]);
        ref T b = ref Unsafe.Add(ref B.Ref<T>(), (nint)off[1]);
        ref T d = ref Unsafe.Add(ref Dst.Ref<T>(), (nint)off[2]);
        long s0 = st[0], s1 = st[1], s2 = st[2];
        if (s2 == 1)
        {
            if (s0 == 1 && (n >= LongRow || !F.HasVector))
            {
                var sa = MemoryMarshal.CreateReadOnlySpan(ref a, (int)n);
                var sd = MemoryMarshal.CreateSpan(ref d, (int)n);
                if (s1 == 1 && F.Contig(sa, MemoryMarshal.CreateReadOnlySpan(ref b, (int)n), sd)) return;
                if (s1 == 0 && F.ScalarRight(sa, b, sd)) return;
            }
            // Operands read element by element or broadcast (a row of a [300,10] + [10], an outer product's row):
            // the vector loop gives the same lanes as Apply, so only speed differs.
            if (F.HasVector && (s0 == 0 || s0 == 1) && (s1 == 0 || s1 == 1) && Disjoint(ref a, s0, ref b, s1, ref d, n))
            {
                VectorRow<T, F>(ref a, s0 == 0, ref b, s1 == 0, ref d, (nint)n);
                return;
            }
        }
        if (s0 == 0 && s1 == 0)
        {
            // Both operands broadcast along the row: every element is the same value.
            var v = F.Apply(a, b);
            for (nint i = 0; i < (nint)n; i++) Unsafe.Add(ref d, i * (nint)s2) = v;
            return;
        }
        nint p0 = (nint)s0, p1 = (nint)s1, p2 = (nint)s2;
        for (nint i = 0; i < (nint)n; i++)
            Unsafe.Add(ref d, i * p2) = F.Apply(Unsafe.Add(ref a, i * p0), Unsafe.Add(ref b, i * p1));
    }

    public void Rows(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n, ReadOnlySpan<long> rs, long rows)
    {
        long s0 = st[0], s1 = st[1];
        // Short vectorisable rows into memory no input shares: the row loop runs here, its checks made once.
        if (F.HasVector && n < LongRow && st[2] == 1 && (s0 == 0 || s0 == 1) && (s1 == 0 || s1 == 1) &&
            !ReferenceEquals(A, Dst) && !ReferenceEquals(B, Dst))
        {
            ref T a = ref A.Ref<T>();
            ref T b = ref B.Ref<T>();
            ref T d = ref Dst.Ref<T>();
            nint oa = (nint)off[0], ob = (nint)off[1], od = (nint)off[2], ra = (nint)rs[0], rb = (nint)rs[1], rd = (nint)rs[2];
            for (long r = 0; r < rows; r++, oa += ra, ob += rb, od += rd)
                VectorRow<T, F>(ref Unsafe.Add(ref a, oa), s0 == 0, ref Unsafe.Add(ref b, ob), s1 == 0, ref Unsafe.Add(ref d, od), (nint)n);
            return;
        }
        Span<long> o = [off[0], off[1], off[2]];
        for (long r = 0; r < rows; r++)
        {
            Run(o, st, n);
            o[0] += rs[0]; o[1] += rs[1]; o[2] += rs[2];
        }
    }

    /// <summary>
    /// False when the output row partly overlaps an input row (an in-place op on shifted views): only the scalar loop
    /// keeps element order there. The same row, or separate memory, is fine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Disjoint(ref T a, long s0, ref T b, long s1, ref T d, long n) =>
        Apart(ref a, s0 == 0 ? 1 : n, ref d, n) && Apart(ref b, s1 == 0 ? 1 : n, ref d, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Apart(ref T x, long nx, ref T d, long n)
    {
        if (Unsafe.AreSame(ref x, ref d)) return nx == n;
        long gap = Unsafe.ByteOffset(ref d, ref x) / Unsafe.SizeOf<T>();
        return gap >= n || -gap >= nx;
    }

    /// <summary>d[i] = F(a[i], b[i]) over a contiguous output row, an operand flagged scalar being read once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void VectorRow<TT, FF>(ref TT a, bool aScalar, ref TT b, bool bScalar, ref TT d, nint n) where FF : IBinaryFn<TT>
    {
        nint i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<TT>.Count)
        {
            var ca = Vector256.Create(a);
            var cb = Vector256.Create(b);
            for (; i <= n - Vector256<TT>.Count; i += Vector256<TT>.Count)
            {
                var va = aScalar ? ca : Vector256.LoadUnsafe(ref a, (nuint)i);
                var vb = bScalar ? cb : Vector256.LoadUnsafe(ref b, (nuint)i);
                FF.ApplyV(va, vb).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref d, i) = FF.Apply(aScalar ? a : Unsafe.Add(ref a, i), bScalar ? b : Unsafe.Add(ref b, i));
    }
}

internal struct CompareKernel<T, F> : IInnerLoop where T : unmanaged where F : ICompareFn<T>
{
    public CpuStorage A, B, Dst;

    public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
    {
        ref T a = ref Unsafe.Add(ref A.Ref<T>(), (nint)off[0]);
        ref T b = ref Unsafe.Add(ref B.Ref<T>(), (nint)off[1]);
        ref bool d = ref Unsafe.Add(ref Dst.Ref<bool>(), (nint)off[2]);
        nint s0 = (nint)st[0], s1 = (nint)st[1], s2 = (nint)st[2];
        for (nint i = 0; i < (nint)n; i++)
            Unsafe.Add(ref d, i * s2) = F.Apply(Unsafe.Add(ref a, i * s0), Unsafe.Add(ref b, i * s1));
    }
}

internal struct MulAddKernel<T> : IInnerLoop where T : unmanaged, System.Numerics.INumber<T>
{
    public CpuStorage A, B, C, Dst;

    public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
    {
        ref T a = ref Unsafe.Add(ref A.Ref<T>(), (nint)off[0]);
        ref T b = ref Unsafe.Add(ref B.Ref<T>(), (nint)off[1]);
        ref T c = ref Unsafe.Add(ref C.Ref<T>(), (nint)off[2]);
        ref T d = ref Unsafe.Add(ref Dst.Ref<T>(), (nint)off[3]);
        nint s0 = (nint)st[0], s1 = (nint)st[1], s2 = (nint)st[2], s3 = (nint)st[3];
        for (nint i = 0; i < (nint)n; i++)
            Unsafe.Add(ref d, i * s3) = Gemm.ScalarFma.MulAdd(Unsafe.Add(ref a, i * s0), Unsafe.Add(ref b, i * s1), Unsafe.Add(ref c, i * s2));
    }
}

internal struct WhereKernel<T> : IInnerLoop where T : unmanaged
{
    public CpuStorage C, A, B, Dst;

    public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
    {
        ref bool c = ref Unsafe.Add(ref C.Ref<bool>(), (nint)off[0]);
        ref T a = ref Unsafe.Add(ref A.Ref<T>(), (nint)off[1]);
        ref T b = ref Unsafe.Add(ref B.Ref<T>(), (nint)off[2]);
        ref T d = ref Unsafe.Add(ref Dst.Ref<T>(), (nint)off[3]);
        nint s0 = (nint)st[0], s1 = (nint)st[1], s2 = (nint)st[2], s3 = (nint)st[3];
        for (nint i = 0; i < (nint)n; i++)
            Unsafe.Add(ref d, i * s3) = Unsafe.Add(ref c, i * s0) ? Unsafe.Add(ref a, i * s1) : Unsafe.Add(ref b, i * s2);
    }
}

internal struct FillKernel<T> : IInnerLoop where T : unmanaged
{
    public CpuStorage Dst;
    public T Value;

    public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
    {
        ref T d = ref Unsafe.Add(ref Dst.Ref<T>(), (nint)off[0]);
        if (st[0] == 1) { MemoryMarshal.CreateSpan(ref d, (int)n).Fill(Value); return; }
        nint s = (nint)st[0];
        for (nint i = 0; i < (nint)n; i++) Unsafe.Add(ref d, i * s) = Value;
    }
}

internal struct CopyKernel<TS, TD> : IInnerLoop where TS : unmanaged where TD : unmanaged
{
    public CpuStorage Src, Dst;

    public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
    {
        // A copy within one storage may overlap itself; only the single memmove below keeps that well defined.
        if (n >= ParallelRun.MinElements && !ReferenceEquals(Src, Dst) && ParallelRun.TrySplit(ref this, off, st, n)) return;
        ref TS s = ref Unsafe.Add(ref Src.Ref<TS>(), (nint)off[0]);
        ref TD d = ref Unsafe.Add(ref Dst.Ref<TD>(), (nint)off[1]);
        if (typeof(TS) == typeof(TD) && st[0] == 1 && st[1] == 1)
        {
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TS, TD>(ref s), (int)n).CopyTo(MemoryMarshal.CreateSpan(ref d, (int)n));
            return;
        }
        nint ss = (nint)st[0], ds = (nint)st[1];
        for (nint i = 0; i < (nint)n; i++) Unsafe.Add(ref d, i * ds) = Cast.To<TS, TD>(Unsafe.Add(ref s, i * ss));
    }
}

/// <summary>Element conversion with C++ static_cast semantics; the typeof tests fold away per instantiation.</summary>
internal static class Cast
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD To<TS, TD>(TS x) where TS : unmanaged where TD : unmanaged
    {
        if (typeof(TS) == typeof(TD)) return Unsafe.As<TS, TD>(ref x);
        if (typeof(TD) == typeof(bool))
        {
            bool b = IsIntegralOrBool<TS>() ? ToLong(x) != 0 : ToDouble(x) != 0 || double.IsNaN(ToDouble(x));
            return Unsafe.As<bool, TD>(ref b);
        }
        if (IsIntegralOrBool<TS>()) return FromLong<TD>(ToLong(x));
        if (typeof(TS) == typeof(float) && typeof(TD) == typeof(Half)) { var h = (Half)Unsafe.As<TS, float>(ref x); return Unsafe.As<Half, TD>(ref h); }
        if (typeof(TS) == typeof(float) && typeof(TD) == typeof(BFloat16)) { var h = (BFloat16)Unsafe.As<TS, float>(ref x); return Unsafe.As<BFloat16, TD>(ref h); }
        return FromDouble<TD>(ToDouble(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsIntegralOrBool<T>() => typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) ||
        typeof(T) == typeof(sbyte) || typeof(T) == typeof(byte) || typeof(T) == typeof(bool);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToLong<T>(T x) where T : unmanaged
    {
        if (typeof(T) == typeof(long)) return Unsafe.As<T, long>(ref x);
        if (typeof(T) == typeof(int)) return Unsafe.As<T, int>(ref x);
        if (typeof(T) == typeof(short)) return Unsafe.As<T, short>(ref x);
        if (typeof(T) == typeof(sbyte)) return Unsafe.As<T, sbyte>(ref x);
        if (typeof(T) == typeof(byte)) return Unsafe.As<T, byte>(ref x);
        if (typeof(T) == typeof(bool)) return Unsafe.As<T, bool>(ref x) ? 1 : 0;
        var d = ToDouble(x);
        return double.IsNaN(d) ? long.MinValue : (long)d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble<T>(T x) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) return Unsafe.As<T, double>(ref x);
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref x);
        if (typeof(T) == typeof(Half)) return (double)Unsafe.As<T, Half>(ref x);
        if (typeof(T) == typeof(BFloat16)) return (float)Unsafe.As<T, BFloat16>(ref x);
        return ToLong(x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromLong<T>(long v) where T : unmanaged
    {
        if (typeof(T) == typeof(long)) return Unsafe.As<long, T>(ref v);
        if (typeof(T) == typeof(int)) { var r = (int)v; return Unsafe.As<int, T>(ref r); }
        if (typeof(T) == typeof(short)) { var r = (short)v; return Unsafe.As<short, T>(ref r); }
        if (typeof(T) == typeof(sbyte)) { var r = (sbyte)v; return Unsafe.As<sbyte, T>(ref r); }
        if (typeof(T) == typeof(byte)) { var r = (byte)v; return Unsafe.As<byte, T>(ref r); }
        if (typeof(T) == typeof(bool)) { var r = v != 0; return Unsafe.As<bool, T>(ref r); }
        if (typeof(T) == typeof(float)) { var r = (float)v; return Unsafe.As<float, T>(ref r); }
        return FromDouble<T>(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble<T>(double v) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) return Unsafe.As<double, T>(ref v);
        if (typeof(T) == typeof(float)) { var r = (float)v; return Unsafe.As<float, T>(ref r); }
        if (typeof(T) == typeof(Half)) { var r = (Half)v; return Unsafe.As<Half, T>(ref r); }
        if (typeof(T) == typeof(BFloat16)) { var r = (BFloat16)(float)v; return Unsafe.As<BFloat16, T>(ref r); }
        if (typeof(T) == typeof(bool)) { var r = v != 0 || double.IsNaN(v); return Unsafe.As<bool, T>(ref r); }
        // Float → integer goes through int64 as C++ would truncate; narrower types then wrap.
        return FromLong<T>(double.IsNaN(v) ? long.MinValue : (long)v);
    }
}
