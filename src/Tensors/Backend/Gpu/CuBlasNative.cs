using System.Runtime.InteropServices;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// The cuBLAS entry points this backend calls, bound at run time from the first library that loads
/// (libcublas.so.12 / .so.11 / .so on Linux, cublas64_12.dll / cublas64_11.dll on Windows), the way
/// <see cref="LibCudaResolver"/> finds the driver. Function pointers rather than DllImport: a machine without the
/// CUDA toolkit simply has no cuBLAS (<see cref="TryLoad"/> says why) and matmul falls back to the ILGPU kernel.
/// Untested without a GPU: CI has no libcublas, so only the planning around these calls runs there.
/// </summary>
internal static unsafe class CuBlasNative
{
    public static readonly string[] Candidates = OperatingSystem.IsWindows()
        ? ["cublas64_12.dll", "cublas64_11.dll"]
        : ["libcublas.so.12", "libcublas.so.11", "libcublas.so"];

    // cublasMath_t
    public const int DefaultMath = 0, Tf32TensorOpMath = 3;
    // cublasGemmAlgo_t CUBLAS_GEMM_DEFAULT
    public const int GemmDefault = -1;

    private static readonly object Gate = new();
    private static bool _tried;
    private static string? _why;

    public static delegate* unmanaged<IntPtr*, int> Create;
    public static delegate* unmanaged<IntPtr, int> Destroy;
    public static delegate* unmanaged<IntPtr, IntPtr, int> SetStream;
    public static delegate* unmanaged<IntPtr, int, int> SetMathMode;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int> Sgemm;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, IntPtr, int, double*, IntPtr, int, int> Dgemm;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, long, IntPtr, int, long, float*, IntPtr, int, long, int, int> SgemmStridedBatched;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, long, IntPtr, int, long, double*, IntPtr, int, long, int, int> DgemmStridedBatched;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, void*, IntPtr, int, int, IntPtr, int, int, void*, IntPtr, int, int, int, int, int> GemmEx;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, void*, IntPtr, int, int, long, IntPtr, int, int, long, void*, IntPtr, int, int, long, int, int, int, int> GemmStridedBatchedEx;

    /// <summary>Loads cuBLAS once; false with the reason when no candidate library (or symbol) is there.</summary>
    public static bool TryLoad(out string? why)
    {
        lock (Gate)
        {
            if (!_tried)
            {
                _tried = true;
                _why = Load();
            }
            why = _why;
            return _why is null;
        }
    }

    private static string? Load()
    {
        IntPtr lib = IntPtr.Zero;
        foreach (var c in Candidates)
            if (NativeLibrary.TryLoad(c, out lib)) break;
        if (lib == IntPtr.Zero) return $"could not load any of {string.Join(", ", Candidates)}";
        try
        {
            Create = (delegate* unmanaged<IntPtr*, int>)Export(lib, "cublasCreate_v2");
            Destroy = (delegate* unmanaged<IntPtr, int>)Export(lib, "cublasDestroy_v2");
            SetStream = (delegate* unmanaged<IntPtr, IntPtr, int>)Export(lib, "cublasSetStream_v2");
            SetMathMode = (delegate* unmanaged<IntPtr, int, int>)Export(lib, "cublasSetMathMode");
            Sgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int>)Export(lib, "cublasSgemm_v2");
            Dgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, IntPtr, int, double*, IntPtr, int, int>)Export(lib, "cublasDgemm_v2");
            SgemmStridedBatched = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, long, IntPtr, int, long, float*, IntPtr, int, long, int, int>)Export(lib, "cublasSgemmStridedBatched");
            DgemmStridedBatched = (delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, long, IntPtr, int, long, double*, IntPtr, int, long, int, int>)Export(lib, "cublasDgemmStridedBatched");
            GemmEx = (delegate* unmanaged<IntPtr, int, int, int, int, int, void*, IntPtr, int, int, IntPtr, int, int, void*, IntPtr, int, int, int, int, int>)Export(lib, "cublasGemmEx");
            GemmStridedBatchedEx = (delegate* unmanaged<IntPtr, int, int, int, int, int, void*, IntPtr, int, int, long, IntPtr, int, int, long, void*, IntPtr, int, int, long, int, int, int, int>)Export(lib, "cublasGemmStridedBatchedEx");
            return null;
        }
        catch (EntryPointNotFoundException e)
        {
            return e.Message;
        }
    }

    private static IntPtr Export(IntPtr lib, string name) =>
        NativeLibrary.TryGetExport(lib, name, out var p) ? p : throw new EntryPointNotFoundException($"cuBLAS has no {name}");

    /// <summary>cublasStatus_t → exception (CUBLAS_STATUS_SUCCESS is 0).</summary>
    public static void Check(int status, string call)
    {
        if (status != 0) throw new InvalidOperationException($"CUDA error: {call} failed with cublasStatus_t {status} ({StatusName(status)})");
    }

    private static string StatusName(int s) => s switch
    {
        1 => "CUBLAS_STATUS_NOT_INITIALIZED", 3 => "CUBLAS_STATUS_ALLOC_FAILED", 7 => "CUBLAS_STATUS_INVALID_VALUE",
        8 => "CUBLAS_STATUS_ARCH_MISMATCH", 11 => "CUBLAS_STATUS_MAPPING_ERROR", 13 => "CUBLAS_STATUS_EXECUTION_FAILED",
        14 => "CUBLAS_STATUS_INTERNAL_ERROR", 15 => "CUBLAS_STATUS_NOT_SUPPORTED", 16 => "CUBLAS_STATUS_LICENSE_ERROR",
        _ => "unknown",
    };
}
