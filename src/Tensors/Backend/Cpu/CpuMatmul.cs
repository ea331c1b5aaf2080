using System.Numerics;
using System.Runtime.CompilerServices;
using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// Batched matrix product over any strides (batch stride 0 for a broadcast operand). Floats go through the packed,
/// blocked GEMM in Gemm/ unless the product is too small to repay packing; integers take the direct loops.
/// </summary>
internal sealed partial class CpuBackend
{
    /// <summary>Below this many multiply-adds the direct loops beat packing.</summary>
    internal const long DirectGemmLimit = 32 * 1024;

    public void Matmul(StridedBuffer a, StridedBuffer b, StridedBuffer dst)
    {
        var u = new MatmulOn(this, a, b, dst);
        DTypeSwitch.Visit(a.dtype, ref u);
    }

    // Floats take the packed GEMM, integers the direct loops.
    private readonly struct MatmulOn(CpuBackend cpu, StridedBuffer a, StridedBuffer b, StridedBuffer dst) : IDTypeUser
    {
        public void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> => MatmulT<T>(a, b, dst, blocked: true);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => MatmulT<T>(a, b, dst, blocked: false);
        public void Reduced<T>() where T : unmanaged => cpu.MatmulThroughFloat(a, b, dst);
        public void Bool() => throw Unsupported("addmm_impl_cpu", a.dtype);
    }

    private void MatmulThroughFloat(StridedBuffer a, StridedBuffer b, StridedBuffer dst) => ThroughFloat(dst, [a, b], (i, o) => Matmul(i[0], i[1], o));

    private static void MatmulT<T>(StridedBuffer a, StridedBuffer b, StridedBuffer dst, bool blocked) where T : unmanaged, INumber<T> =>
        MatmulT<T>(new MatmulArgs(a, b, dst), blocked);

    /// <summary>
    /// One [B,M,K]·[B,K,N] product described by its sizes, offsets and strides: what the tensor form reads off its
    /// three 3-d views, so a 2-d product (mm, mv) can state its geometry without making those views.
    /// </summary>
    internal readonly record struct MatmulArgs(CpuStorage A, CpuStorage B, CpuStorage D, int Batch, int M, int K, int N,
        long OffA, long OffB, long OffD, nint As0, nint As1, nint As2, nint Bs0, nint Bs1, nint Bs2, nint Ds0, nint Ds1, nint Ds2)
    {
        public MatmulArgs(StridedBuffer a, StridedBuffer b, StridedBuffer dst) : this(S(a), S(b), S(dst),
            checked((int)a._shape[0]), checked((int)a._shape[1]), checked((int)a._shape[2]), checked((int)b._shape[2]),
            a._offset, b._offset, dst._offset,
            (nint)a._strides[0], (nint)a._strides[1], (nint)a._strides[2], (nint)b._strides[0], (nint)b._strides[1], (nint)b._strides[2],
            (nint)dst._strides[0], (nint)dst._strides[1], (nint)dst._strides[2]) { }
    }

    /// <summary>A single float32/float64 product on CPU storages (mm and mv without their 3-d views).</summary>
    internal static bool TryMatmul2D(in MatmulArgs g, DType dtype)
    {
        if (dtype.Kind == ScalarType.Float32) { MatmulT<float>(g, blocked: true); return true; }
        if (dtype.Kind == ScalarType.Float64) { MatmulT<double>(g, blocked: true); return true; }
        return false;
    }

    private static unsafe void MatmulT<T>(in MatmulArgs g, bool blocked) where T : unmanaged, INumber<T>
    {
        int B = g.Batch, M = g.M, K = g.K, N = g.N;
        if (B == 0 || M == 0 || N == 0) return;
        nint as0 = g.As0, bs0 = g.Bs0, ds0 = g.Ds0, ds1 = g.Ds1, ds2 = g.Ds2;
        if (K == 0)
        {
            // Every output is an empty sum.
            for (int bi = 0; bi < B; bi++)
                for (int i = 0; i < M; i++)
                    for (int j = 0; j < N; j++)
                        Unsafe.Add(ref g.D.Ref<T>(), (nint)g.OffD + bi * ds0 + i * ds1 + j * ds2) = T.Zero;
            return;
        }
        long work = (long)M * N * K;
        bool direct = !blocked || work < DirectGemmLimit;
        int threads = WorkerTeam.Threads;
        fixed (T* pa0 = &g.A.Ref<T>())
        fixed (T* pb0 = &g.B.Ref<T>())
        fixed (T* pd0 = &g.D.Ref<T>())
        {
            T* pa = pa0 + g.OffA, pb = pb0 + g.OffB, pd = pd0 + g.OffD;
            // Many small products: one per thread beats splitting each one.
            if (B > 1 && work * B >= DirectGemmLimit * 8 && work < (1L << 20))
            {
                ParallelBatches<T>(g, (nint)pa, (nint)pb, (nint)pd, direct, threads);
                return;
            }
            for (int bi = 0; bi < B; bi++) One(g, pa + bi * as0, pb + bi * bs0, pd + bi * ds0, direct, threads);
        }
    }

    // A struct task, not a lambda: capturing MatmulT's locals would allocate a closure on every product.
    private static void ParallelBatches<T>(in MatmulArgs g, nint ia, nint ib, nint id, bool direct, int threads)
        where T : unmanaged, INumber<T>
    {
        var task = new BatchTask<T>(g, ia, ib, id, direct);
        WorkerTeam.Run(g.Batch, ref task, threads);
    }

    private readonly unsafe struct BatchTask<T>(MatmulArgs g, nint ia, nint ib, nint id, bool direct) : ITeamTask where T : unmanaged, INumber<T>
    {
        public void Run(int bi) => One(g, (T*)ia + bi * g.As0, (T*)ib + bi * g.Bs0, (T*)id + bi * g.Ds0, direct, 1);
    }

    private static unsafe void One<T>(in MatmulArgs g, T* x, T* y, T* z, bool direct, int th) where T : unmanaged, INumber<T>
    {
        if (direct) DirectGemm<T>.Multiply(g.M, g.N, g.K, x, g.As1, g.As2, y, g.Bs1, g.Bs2, z, g.Ds1, g.Ds2);
        else BlockedGemm<T>.Multiply(g.M, g.N, g.K, x, g.As1, g.As2, y, g.Bs1, g.Bs2, z, g.Ds1, g.Ds2, th);
    }
}
