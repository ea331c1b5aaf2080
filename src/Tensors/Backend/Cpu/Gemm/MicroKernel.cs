using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// A register tile: C[MR × NR] = C + Ã[MR × kc] · B̃[kc × NR] over packed panels (Ã k-major, MR values per k;
/// B̃ k-major, NR values per k). With <c>accumulate</c> the tile starts from C's values, otherwise from zero, and
/// every element is one FMA chain over p ascending: a product's rounding is the same however K is sliced into
/// blocks, so it does not depend on cache sizes, threads or the instruction set. Implemented by structs so that
/// <see cref="BlockedGemm{T,TKernel}"/> and <see cref="Packing{T,TKernel}"/> are compiled once per kernel with MR
/// and NR as constants.
/// </summary>
internal unsafe interface IMicroKernel<T> where T : unmanaged, INumber<T>
{
    static abstract int MR { get; }
    static abstract int NR { get; }

    /// <summary>Rows of c are <paramref name="rsc"/> apart, columns unit-stride; B̃'s NR values for step p are at
    /// b + p·<paramref name="rsb"/> (NR in a packed panel, B's row stride when a row-major B is read in place).</summary>
    static abstract void Run(int kc, T* a, T* b, nint rsb, T* c, nint rsc, bool accumulate);

    /// <summary>Whether <see cref="RunRowsOfA"/> is there: a small row-major A is then read in place, not packed.</summary>
    static virtual bool ReadsRowsOfA => false;

    /// <summary>As <see cref="Run"/>, with A's MR rows read where they are: row r at a + r·ars, unit-stride along k.</summary>
    static virtual void RunRowsOfA(int kc, T* a, nint ars, T* b, nint rsb, T* c, nint rsc, bool accumulate) => throw new NotSupportedException();
}

/// <summary>
/// Zeros that a tile starting from nothing reads its accumulators from (with row stride 0), so that both cases share
/// one load path; a static block rather than a stackalloc per call, which cost each short call a zeroing, a stack
/// probe and a stack-cookie check.
/// </summary>
internal static unsafe class ZeroRow
{
    /// <summary>Two 512-bit vectors' worth, the widest tile row.</summary>
    public static readonly void* Block = Allocate();

    private static void* Allocate()
    {
        void* p = NativeMemory.AlignedAlloc(128, 64);
        NativeMemory.Clear(p, 128);
        return p;
    }
}

/// <summary>
/// 6 rows × 2 vectors of Vector&lt;T&gt; (256-bit on AVX2, 128-bit on Arm): 12 accumulators are enough independent
/// FMA chains to cover the FMA latency on two ports (5 cycles × 2 on Zen 2, 4 × 2 on Haswell and later), and with
/// the two B vectors and the broadcast they use 15 of AVX2's 16 vector registers. Per k: 2 loads and 6 broadcasts
/// feed 12 FMAs, within two load ports. (BLIS's Haswell and Zen sgemm/dgemm kernels have the same shape.)
/// </summary>
internal readonly unsafe struct VectorKernel<T> : IMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 6;
    public static int NR => 2 * Vector<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    // Fused on every machine (the runtime emulates it exactly where the CPU lacks FMA), so results do not depend on
    // the instruction set. A guard on Fma.IsSupported here costs a register move per FMA in the JIT's allocation.
    private static Vector<T> FmaVec(Vector<T> x, Vector<T> y, Vector<T> acc)
    {
        if (typeof(T) == typeof(float)) return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();
        return x * y + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint rsb, T* c, nint rsc, bool accumulate)
    {
        int V = Vector<T>.Count;
        // One load path for both cases (C's tile, or a zero row read with stride 0): the JIT then keeps each
        // accumulator in one register throughout.
        T* s = accumulate ? c : (T*)ZeroRow.Block;
        nint rs = accumulate ? rsc : 0;
        Vector<T> c00 = Vector.Load(s), c01 = Vector.Load(s + V), c10 = Vector.Load(s + rs), c11 = Vector.Load(s + rs + V);
        Vector<T> c20 = Vector.Load(s + 2 * rs), c21 = Vector.Load(s + 2 * rs + V), c30 = Vector.Load(s + 3 * rs), c31 = Vector.Load(s + 3 * rs + V);
        Vector<T> c40 = Vector.Load(s + 4 * rs), c41 = Vector.Load(s + 4 * rs + V), c50 = Vector.Load(s + 5 * rs), c51 = Vector.Load(s + 5 * rs + V);
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + V);
            var x = new Vector<T>(a[0]); c00 = FmaVec(x, b0, c00); c01 = FmaVec(x, b1, c01);
            x = new Vector<T>(a[1]); c10 = FmaVec(x, b0, c10); c11 = FmaVec(x, b1, c11);
            x = new Vector<T>(a[2]); c20 = FmaVec(x, b0, c20); c21 = FmaVec(x, b1, c21);
            x = new Vector<T>(a[3]); c30 = FmaVec(x, b0, c30); c31 = FmaVec(x, b1, c31);
            x = new Vector<T>(a[4]); c40 = FmaVec(x, b0, c40); c41 = FmaVec(x, b1, c41);
            x = new Vector<T>(a[5]); c50 = FmaVec(x, b0, c50); c51 = FmaVec(x, b1, c51);
            a += 6;
            b += rsb;
        }
        c00.Store(c); c01.Store(c + V); c10.Store(c + rsc); c11.Store(c + rsc + V);
        c20.Store(c + 2 * rsc); c21.Store(c + 2 * rsc + V); c30.Store(c + 3 * rsc); c31.Store(c + 3 * rsc + V);
        c40.Store(c + 4 * rsc); c41.Store(c + 4 * rsc + V); c50.Store(c + 5 * rsc); c51.Store(c + 5 * rsc + V);
    }

    public static bool ReadsRowsOfA => true;

    // The same tile with A's rows read in place (six streams along k): a small product skips packing A, which for a
    // 64³ product costs a quarter of the multiply-adds' time. Kept separate from Run so each loop stays as tight.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRowsOfA(int kc, T* a, nint ars, T* b, nint rsb, T* c, nint rsc, bool accumulate)
    {
        int V = Vector<T>.Count;
        // One load path for both cases (C's tile, or a zero row read with stride 0): the JIT then keeps each
        // accumulator in one register throughout.
        T* s = accumulate ? c : (T*)ZeroRow.Block;
        nint rs = accumulate ? rsc : 0;
        Vector<T> c00 = Vector.Load(s), c01 = Vector.Load(s + V), c10 = Vector.Load(s + rs), c11 = Vector.Load(s + rs + V);
        Vector<T> c20 = Vector.Load(s + 2 * rs), c21 = Vector.Load(s + 2 * rs + V), c30 = Vector.Load(s + 3 * rs), c31 = Vector.Load(s + 3 * rs + V);
        Vector<T> c40 = Vector.Load(s + 4 * rs), c41 = Vector.Load(s + 4 * rs + V), c50 = Vector.Load(s + 5 * rs), c51 = Vector.Load(s + 5 * rs + V);
        T* a0 = a, a1 = a + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + V);
            var x = new Vector<T>(a0[p]); c00 = FmaVec(x, b0, c00); c01 = FmaVec(x, b1, c01);
            x = new Vector<T>(a1[p]); c10 = FmaVec(x, b0, c10); c11 = FmaVec(x, b1, c11);
            x = new Vector<T>(a2[p]); c20 = FmaVec(x, b0, c20); c21 = FmaVec(x, b1, c21);
            x = new Vector<T>(a3[p]); c30 = FmaVec(x, b0, c30); c31 = FmaVec(x, b1, c31);
            x = new Vector<T>(a4[p]); c40 = FmaVec(x, b0, c40); c41 = FmaVec(x, b1, c41);
            x = new Vector<T>(a5[p]); c50 = FmaVec(x, b0, c50); c51 = FmaVec(x, b1, c51);
            b += rsb;
        }
        c00.Store(c); c01.Store(c + V); c10.Store(c + rsc); c11.Store(c + rsc + V);
        c20.Store(c + 2 * rsc); c21.Store(c + 2 * rsc + V); c30.Store(c + 3 * rsc); c31.Store(c + 3 * rsc + V);
        c40.Store(c + 4 * rsc); c41.Store(c + 4 * rsc + V); c50.Store(c + 5 * rsc); c51.Store(c + 5 * rsc + V);
    }
}

/// <summary>
/// 12 rows × 2 Vector512: AVX-512 has 32 vector registers, so 24 accumulators fit beside the two B vectors and the
/// broadcast; twice the 6-row tile's work per B load and per C load/store, and enough chains for two 512-bit FMA
/// ports. (BLIS's Skylake-X kernels use the same 24-accumulator budget.) Where Vector512 is not accelerated the
/// runtime emulates it, so tests can check this kernel on any machine, slowly.
/// </summary>
internal readonly unsafe struct Avx512Kernel<T> : IMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 12;
    public static int NR => 2 * Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> F(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        return x * y + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint rsb, T* c, nint rsc, bool accumulate)
    {
        int V = Vector512<T>.Count;
        T* r = accumulate ? c : (T*)ZeroRow.Block;
        nint rs = accumulate ? rsc : 0;
        Vector512<T> c00 = Vector512.Load(r), c01 = Vector512.Load(r + V); r += rs;
        Vector512<T> c10 = Vector512.Load(r), c11 = Vector512.Load(r + V); r += rs;
        Vector512<T> c20 = Vector512.Load(r), c21 = Vector512.Load(r + V); r += rs;
        Vector512<T> c30 = Vector512.Load(r), c31 = Vector512.Load(r + V); r += rs;
        Vector512<T> c40 = Vector512.Load(r), c41 = Vector512.Load(r + V); r += rs;
        Vector512<T> c50 = Vector512.Load(r), c51 = Vector512.Load(r + V); r += rs;
        Vector512<T> c60 = Vector512.Load(r), c61 = Vector512.Load(r + V); r += rs;
        Vector512<T> c70 = Vector512.Load(r), c71 = Vector512.Load(r + V); r += rs;
        Vector512<T> c80 = Vector512.Load(r), c81 = Vector512.Load(r + V); r += rs;
        Vector512<T> c90 = Vector512.Load(r), c91 = Vector512.Load(r + V); r += rs;
        Vector512<T> ca0 = Vector512.Load(r), ca1 = Vector512.Load(r + V); r += rs;
        Vector512<T> cb0 = Vector512.Load(r), cb1 = Vector512.Load(r + V);
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + V);
            var x = Vector512.Create(a[0]); c00 = F(x, b0, c00); c01 = F(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = F(x, b0, c10); c11 = F(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = F(x, b0, c20); c21 = F(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = F(x, b0, c30); c31 = F(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = F(x, b0, c40); c41 = F(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = F(x, b0, c50); c51 = F(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = F(x, b0, c60); c61 = F(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = F(x, b0, c70); c71 = F(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = F(x, b0, c80); c81 = F(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = F(x, b0, c90); c91 = F(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = F(x, b0, ca0); ca1 = F(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = F(x, b0, cb0); cb1 = F(x, b1, cb1);
            a += 12;
            b += rsb;
        }
        T* w = c;
        c00.Store(w); c01.Store(w + V); w += rsc; c10.Store(w); c11.Store(w + V); w += rsc;
        c20.Store(w); c21.Store(w + V); w += rsc; c30.Store(w); c31.Store(w + V); w += rsc;
        c40.Store(w); c41.Store(w + V); w += rsc; c50.Store(w); c51.Store(w + V); w += rsc;
        c60.Store(w); c61.Store(w + V); w += rsc; c70.Store(w); c71.Store(w + V); w += rsc;
        c80.Store(w); c81.Store(w + V); w += rsc; c90.Store(w); c91.Store(w + V); w += rsc;
        ca0.Store(w); ca1.Store(w + V); w += rsc; cb0.Store(w); cb1.Store(w + V);
    }
}
