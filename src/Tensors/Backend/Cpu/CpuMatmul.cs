using System.Numerics;
using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// Batched matrix product over any strides (batch stride 0 for a broadcast operand). Floats go through the packed,
/// blocked GEMM in Gemm/ unless the product is too small to repay packing; integers take the direct loops.
/// </summary>
internal sealed partial class CpuBackend
{
    /// <summary>Below this many multiply-adds the direct loops beat packing.</summary>
    private const long DirectGemmLimit = 32 * 1024;

    public void Matmul(Tensor a, Tensor b, Tensor dst)
    {
        switch (a.dtype.Kind)
        {
            case ScalarType.Float32: MatmulT<float>(a, b, dst, blocked: true); break;
            case ScalarType.Float64: MatmulT<double>(a, b, dst, blocked: true); break;
            case ScalarType.Int64: MatmulT<long>(a, b, dst, blocked: false); break;
            case ScalarType.Int32: MatmulT<int>(a, b, dst, blocked: false); break;
            case ScalarType.Int16: MatmulT<short>(a, b, dst, blocked: false); break;
            case ScalarType.Int8: MatmulT<sbyte>(a, b, dst, blocked: false); break;
            case ScalarType.UInt8: MatmulT<byte>(a, b, dst, blocked: false); break;
            case ScalarType.Float16 or ScalarType.BFloat16: ThroughFloat(dst, [a, b], (i, o) => Matmul(i[0], i[1], o)); break;
            default: throw Unsupported("addmm_impl_cpu", a.dtype);
        }
    }

    private static unsafe void MatmulT<T>(Tensor a, Tensor b, Tensor dst, bool blocked) where T : unmanaged, INumber<T>
    {
        int B = checked((int)a._shape[0]), M = checked((int)a._shape[1]), K = checked((int)a._shape[2]), N = checked((int)b._shape[2]);
        if (B == 0 || M == 0 || N == 0) return;
        if (K == 0) { FillT(dst, T.Zero); return; }
        nint as0 = (nint)a._strides[0], as1 = (nint)a._strides[1], as2 = (nint)a._strides[2];
        nint bs0 = (nint)b._strides[0], bs1 = (nint)b._strides[1], bs2 = (nint)b._strides[2];
        nint ds0 = (nint)dst._strides[0], ds1 = (nint)dst._strides[1], ds2 = (nint)dst._strides[2];
        long work = (long)M * N * K;
        bool direct = !blocked || work < DirectGemmLimit;
        int threads = Environment.ProcessorCount;
        fixed (T* pa0 = &S(a).Ref<T>())
        fixed (T* pb0 = &S(b).Ref<T>())
        fixed (T* pd0 = &S(dst).Ref<T>())
        {
            T* pa = pa0 + a._offset, pb = pb0 + b._offset, pd = pd0 + dst._offset;
            // Many small products: one per thread beats splitting each one.
            if (B > 1 && work * B >= DirectGemmLimit * 8 && work < (1L << 20))
            {
                nint ia = (nint)pa, ib = (nint)pb, id = (nint)pd;
                Parallel.For(0, B, new ParallelOptions { MaxDegreeOfParallelism = threads }, bi =>
                    One((T*)ia + bi * as0, (T*)ib + bi * bs0, (T*)id + bi * ds0, 1));
                return;
            }
            for (int bi = 0; bi < B; bi++) One(pa + bi * as0, pb + bi * bs0, pd + bi * ds0, threads);
        }

        void One(T* x, T* y, T* z, int th)
        {
            if (direct) DirectGemm<T>.Multiply(M, N, K, x, as1, as2, y, bs1, bs2, z, ds1, ds2);
            else BlockedGemm<T>.Multiply(M, N, K, x, as1, as2, y, bs1, bs2, z, ds1, ds2, th);
        }
    }
}
