using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// Matrix products through cuBLAS on a real GPU: <see cref="GemmPlanner"/> picks the call from the operands' strides
/// and this runner issues it on ILGPU's stream with device pointers. cuBLAS keeps float32 in full precision unless
/// TF32 is allowed (<c>torch.backends.cuda.matmul.allow_tf32</c>), as PyTorch does. Needs a GPU and libcublas, so it
/// is not exercised by CI (which runs the ILGPU fallback on the CPU accelerator).
/// </summary>
internal sealed unsafe class CuBlasGemm : IGemmRunner, IDisposable
{
    private readonly CudaAccelerator _accelerator;
    private IntPtr _handle;

    public CuBlasGemm(CudaAccelerator accelerator)
    {
        _accelerator = accelerator;
        IntPtr h;
        CuBlasNative.Check(CuBlasNative.Create(&h), "cublasCreate");
        _handle = h;
        CuBlasNative.Check(CuBlasNative.SetMathMode(_handle, CuBlasNative.DefaultMath), "cublasSetMathMode");
    }

    /// <summary>A runner when cuBLAS loads, else null with the reason (the caller keeps the ILGPU kernel).</summary>
    public static CuBlasGemm? TryCreate(CudaAccelerator accelerator, out string? why) =>
        CuBlasNative.TryLoad(out why) ? new CuBlasGemm(accelerator) : null;

    public void Run(GemmPlan p, StridedBuffer slotA, StridedBuffer slotB, StridedBuffer c)
    {
        CuBlasNative.Check(CuBlasNative.SetStream(_handle, ((CudaStream)_accelerator.DefaultStream).StreamPtr), "cublasSetStream");
        IntPtr A = Address(slotA), B = Address(slotB), C = Address(c);
        int ta = (int)p.TransA, tb = (int)p.TransB;
        switch (p.Call)
        {
            case GemmCall.Sgemm:
            {
                float one = 1, zero = 0;
                CuBlasNative.Check(CuBlasNative.Sgemm(_handle, ta, tb, p.M, p.N, p.K, &one, A, p.Lda, B, p.Ldb, &zero, C, p.Ldc), "cublasSgemm");
                break;
            }
            case GemmCall.Dgemm:
            {
                double one = 1, zero = 0;
                CuBlasNative.Check(CuBlasNative.Dgemm(_handle, ta, tb, p.M, p.N, p.K, &one, A, p.Lda, B, p.Ldb, &zero, C, p.Ldc), "cublasDgemm");
                break;
            }
            case GemmCall.SgemmStridedBatched:
            {
                float one = 1, zero = 0;
                CuBlasNative.Check(CuBlasNative.SgemmStridedBatched(_handle, ta, tb, p.M, p.N, p.K, &one, A, p.Lda, p.StrideA, B, p.Ldb, p.StrideB,
                    &zero, C, p.Ldc, p.StrideC, p.Batch), "cublasSgemmStridedBatched");
                break;
            }
            case GemmCall.DgemmStridedBatched:
            {
                double one = 1, zero = 0;
                CuBlasNative.Check(CuBlasNative.DgemmStridedBatched(_handle, ta, tb, p.M, p.N, p.K, &one, A, p.Lda, p.StrideA, B, p.Ldb, p.StrideB,
                    &zero, C, p.Ldc, p.StrideC, p.Batch), "cublasDgemmStridedBatched");
                break;
            }
            case GemmCall.GemmEx:
            {
                // Every Ex call here computes in float (CUBLAS_COMPUTE_32F or its TF32 variant): alpha/beta are floats.
                float one = 1, zero = 0;
                int dt = (int)p.DataType;
                CuBlasNative.Check(CuBlasNative.GemmEx(_handle, ta, tb, p.M, p.N, p.K, &one, A, dt, p.Lda, B, dt, p.Ldb, &zero, C, dt, p.Ldc,
                    (int)p.Compute, CuBlasNative.GemmDefault), "cublasGemmEx");
                break;
            }
            default:
            {
                float one = 1, zero = 0;
                int dt = (int)p.DataType;
                CuBlasNative.Check(CuBlasNative.GemmStridedBatchedEx(_handle, ta, tb, p.M, p.N, p.K, &one, A, dt, p.Lda, p.StrideA, B, dt, p.Ldb, p.StrideB,
                    &zero, C, dt, p.Ldc, p.StrideC, p.Batch, (int)p.Compute, CuBlasNative.GemmDefault), "cublasGemmStridedBatchedEx");
                break;
            }
        }
    }

    /// <summary>The device address of a tensor's first element.</summary>
    private static IntPtr Address(StridedBuffer t) => GpuBackend.S(t).DevicePointer + (nint)(t._offset * t.dtype.itemsize);

    public void Dispose()
    {
        if (_handle != IntPtr.Zero) { CuBlasNative.Destroy(_handle); _handle = IntPtr.Zero; }
    }
}
