using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// The register tile: C[MR × NR] (+)= Ã[MR × kc] · B̃[kc × NR] over packed panels. MR = 6 rows by two vectors of
/// columns keeps 12 accumulators live, enough independent FMA chains to cover the FMA latency on two ports while
/// leaving registers for the two B vectors and the broadcast even on 16-register AVX2 machines.
/// </summary>
internal static unsafe class MicroKernel<T> where T : unmanaged, INumber<T>
{
    public const int MR = 6;

    /// <summary>Vector512 where AVX-512 is there; otherwise Vector&lt;T&gt; (256-bit on AVX2, 128-bit on Arm).</summary>
    public static readonly bool Wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    public static readonly int NR = Wide ? 2 * Vector512<T>.Count : 2 * Vector<T>.Count;

    private static readonly bool HasFma = Fma.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>Writes (or adds, when <paramref name="accumulate"/>) the tile to c, rows rsc apart, columns unit-stride.</summary>
    public static void Run(int kc, T* a, T* b, T* c, nint rsc, bool accumulate)
    {
        if (Wide) Run512(kc, a, b, c, rsc, accumulate);
        else RunVec(kc, a, b, c, rsc, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma512(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        return x * y + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> FmaVec(Vector<T> x, Vector<T> y, Vector<T> acc)
    {
        if (HasFma && typeof(T) == typeof(float)) return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>();
        if (HasFma && typeof(T) == typeof(double)) return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();
        return x * y + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run512(int kc, T* a, T* b, T* c, nint rsc, bool accumulate)
    {
        int V = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + V);
            var x = Vector512.Create(a[0]); c00 = Fma512(x, b0, c00); c01 = Fma512(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Fma512(x, b0, c10); c11 = Fma512(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Fma512(x, b0, c20); c21 = Fma512(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Fma512(x, b0, c30); c31 = Fma512(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Fma512(x, b0, c40); c41 = Fma512(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Fma512(x, b0, c50); c51 = Fma512(x, b1, c51);
            a += MR;
            b += 2 * V;
        }
        if (accumulate)
        {
            c00 += Vector512.Load(c); c01 += Vector512.Load(c + V); c10 += Vector512.Load(c + rsc); c11 += Vector512.Load(c + rsc + V);
            c20 += Vector512.Load(c + 2 * rsc); c21 += Vector512.Load(c + 2 * rsc + V); c30 += Vector512.Load(c + 3 * rsc); c31 += Vector512.Load(c + 3 * rsc + V);
            c40 += Vector512.Load(c + 4 * rsc); c41 += Vector512.Load(c + 4 * rsc + V); c50 += Vector512.Load(c + 5 * rsc); c51 += Vector512.Load(c + 5 * rsc + V);
        }
        c00.Store(c); c01.Store(c + V); c10.Store(c + rsc); c11.Store(c + rsc + V);
        c20.Store(c + 2 * rsc); c21.Store(c + 2 * rsc + V); c30.Store(c + 3 * rsc); c31.Store(c + 3 * rsc + V);
        c40.Store(c + 4 * rsc); c41.Store(c + 4 * rsc + V); c50.Store(c + 5 * rsc); c51.Store(c + 5 * rsc + V);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunVec(int kc, T* a, T* b, T* c, nint rsc, bool accumulate)
    {
        int V = Vector<T>.Count;
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
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
            a += MR;
            b += 2 * V;
        }
        if (accumulate)
        {
            c00 += Vector.Load(c); c01 += Vector.Load(c + V); c10 += Vector.Load(c + rsc); c11 += Vector.Load(c + rsc + V);
            c20 += Vector.Load(c + 2 * rsc); c21 += Vector.Load(c + 2 * rsc + V); c30 += Vector.Load(c + 3 * rsc); c31 += Vector.Load(c + 3 * rsc + V);
            c40 += Vector.Load(c + 4 * rsc); c41 += Vector.Load(c + 4 * rsc + V); c50 += Vector.Load(c + 5 * rsc); c51 += Vector.Load(c + 5 * rsc + V);
        }
        c00.Store(c); c01.Store(c + V); c10.Store(c + rsc); c11.Store(c + rsc + V);
        c20.Store(c + 2 * rsc); c21.Store(c + 2 * rsc + V); c30.Store(c + 3 * rsc); c31.Store(c + 3 * rsc + V);
        c40.Store(c + 4 * rsc); c41.Store(c + 4 * rsc + V); c50.Store(c + 5 * rsc); c51.Store(c + 5 * rsc + V);
    }
}
