using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// Batched matrix product. Rows of the result are accumulated as axpy updates over contiguous rows of b (the i-k-j
/// order), which vectorises without packing; deep GEMM tuning (packing, register tiles, threads) lives in its own work.
/// </summary>
internal sealed partial class CpuBackend
{
    public void Matmul(Tensor a, Tensor b, Tensor dst)
    {
        switch (a.dtype.Kind)
        {
            case ScalarType.Float32: MatmulT<float>(a, b, dst); break;
            case ScalarType.Float64: MatmulT<double>(a, b, dst); break;
            case ScalarType.Int64: MatmulT<long>(a, b, dst); break;
            case ScalarType.Int32: MatmulT<int>(a, b, dst); break;
            case ScalarType.Int16: MatmulT<short>(a, b, dst); break;
            case ScalarType.Int8: MatmulT<sbyte>(a, b, dst); break;
            case ScalarType.UInt8: MatmulT<byte>(a, b, dst); break;
            case ScalarType.Float16 or ScalarType.BFloat16: ThroughFloat(dst, [a, b], (i, o) => Matmul(i[0], i[1], o)); break;
            default: throw Unsupported("addmm_impl_cpu", a.dtype);
        }
    }

    private Tensor Contiguous(Tensor t)
    {
        if (t.is_contiguous()) return t;
        var r = Tensor.Empty(t._shape, t.dtype, Device.CPU);
        Copy(t, r);
        return r;
    }

    private void MatmulT<T>(Tensor a, Tensor b, Tensor dst) where T : unmanaged, INumber<T>
    {
        long B = a._shape[0], M = a._shape[1], K = a._shape[2], N = b._shape[2];
        b = Contiguous(b);
        var outC = dst.is_contiguous() ? dst : Tensor.Empty(dst._shape, dst.dtype, Device.CPU);
        var sa = S(a).Span<T>(); var sb = S(b).Span<T>(); var sd = S(outC).Span<T>();
        long as0 = a._strides[0], as1 = a._strides[1], as2 = a._strides[2];
        long bOff = b._offset, dOff = outC._offset;
        long bs0 = b._strides[0];
        for (long bi = 0; bi < B; bi++)
        {
            for (long i = 0; i < M; i++)
            {
                var row = sd.Slice((int)(dOff + (bi * M + i) * N), (int)N);
                row.Clear();
                long aRow = a._offset + bi * as0 + i * as1;
                for (long k = 0; k < K; k++)
                {
                    var aik = sa[(int)(aRow + k * as2)];
                    var brow = sb.Slice((int)(bOff + bi * bs0 + k * N), (int)N);
                    TensorPrimitives.MultiplyAdd(brow, aik, row, row);
                }
            }
        }
        if (!ReferenceEquals(outC, dst)) Copy(outC, dst);
    }
}
