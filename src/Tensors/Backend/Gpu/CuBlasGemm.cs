using ILGPU.Runtime.Cuda;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// cuBLAS GEMM for float32/float64 on a real GPU. cuBLAS is column-major, so row-major C = A·B is computed as
/// Cᵀ = Bᵀ·Aᵀ, which needs no transposes on contiguous row-major buffers. cuBLAS's default math mode keeps float32
/// in full precision (no TF32), matching PyTorch's default <c>allow_tf32 = False</c> for matmul.
/// </summary>
internal sealed class CuBlasGemm(CudaAccelerator accelerator)
{
    private readonly CuBlas _blas = new(accelerator);

    public void Run(GpuBackend backend, Tensor a, Tensor b, Tensor dst)
    {
        long bs = dst._shape[0], m = dst._shape[1], n = dst._shape[2], k = a._shape[2];
        if (m > int.MaxValue || n > int.MaxValue || k > int.MaxValue) { backend.Tiled(a, b, dst); return; }
        var ca = Contiguous(backend, a);
        var cb = Contiguous(backend, b);
        var cc = dst.is_contiguous() ? dst : Tensor.Empty(dst._shape, dst.dtype, GpuBackend.Cuda0);
        for (long i = 0; i < bs; i++)
        {
            if (dst.dtype == DType.Float32)
                _blas.Gemm(CuBlasOperation.NonTranspose, CuBlasOperation.NonTranspose, (int)n, (int)m, (int)k,
                    1f, Slice<float>(cb, i, k * n), (int)n, Slice<float>(ca, i, m * k), (int)k, 0f, Slice<float>(cc, i, m * n), (int)n);
            else
                _blas.Gemm(CuBlasOperation.NonTranspose, CuBlasOperation.NonTranspose, (int)n, (int)m, (int)k,
                    1.0, Slice<double>(cb, i, k * n), (int)n, Slice<double>(ca, i, m * k), (int)k, 0.0, Slice<double>(cc, i, m * n), (int)n);
        }
        if (!ReferenceEquals(cc, dst)) backend.Copy(cc, dst);
    }

    private static Tensor Contiguous(GpuBackend backend, Tensor t)
    {
        if (t.is_contiguous()) return t;
        var r = Tensor.Empty(t._shape, t.dtype, GpuBackend.Cuda0);
        backend.Copy(t, r);
        return r;
    }

    private static ILGPU.ArrayView<T> Slice<T>(Tensor t, long batch, long size) where T : unmanaged =>
        GpuBackend.V<T>(t).SubView(t._offset + batch * size, size);
}
