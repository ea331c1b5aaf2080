using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>Strides (in elements) of a batched product a [B, M, K] · b [B, K, N] → c [B, M, N].</summary>
internal struct MatLayout
{
    public int M, N, K, Tile;
    public long AOff, AB, AM, AK;
    public long BOff, BB, BK, BN;
    public long COff, CB, CM, CN;
}

/// <summary>
/// Matrix products: cuBLAS on a real GPU when libcublas loads (float32/64, half and bfloat16 with float accumulation,
/// TF32 when allowed), else a tiled shared-memory kernel that reads any strides, with half and bfloat16 through float32.
/// </summary>
internal sealed partial class GpuBackend
{
    private const int MaxTile = 16;
    private CuBlasGemm? _blas;
    private ILGPU.Runtime.Accelerator? _blasFor;

    /// <summary>Why cuBLAS isn't used (null while it is, or before the first product on a GPU).</summary>
    internal string? CuBlasUnavailable { get; private set; }

    public void Matmul(StridedBuffer a, StridedBuffer b, StridedBuffer dst)
    {
        a = OnDevice(a); b = OnDevice(b);
        if (Shapes.Numel(dst._shape) == 0) return;
        var dt = dst.dtype;
        if (a._shape[2] > 0 && Blas() is { } blas && GemmPlanner.Execute(a, b, dst, MatmulPrecision.AllowTf32, blas)) return;
        if (dt == DType.Float16 || dt == DType.BFloat16)
        {
            var fa = StridedBuffer.Empty(a._shape, DType.Float32, Cuda0); Copy(a, fa);
            var fb = StridedBuffer.Empty(b._shape, DType.Float32, Cuda0); Copy(b, fb);
            var fc = StridedBuffer.Empty(dst._shape, DType.Float32, Cuda0);
            Matmul(fa, fb, fc);
            Copy(fc, dst);
            return;
        }
        if (dt != DType.Float32 && dt != DType.Float64)
            throw new NotSupportedException($"\"addmm_cuda\" not implemented for '{dt.Title}'");
        long k = a._shape[2];
        if (k == 0) { Fill(dst, 0); return; }
        Tiled(a, b, dst);
    }

    private CuBlasGemm? Blas()
    {
        var acc = GpuRuntime.Accelerator;
        if (ReferenceEquals(acc, _blasFor)) return _blas;
        _blasFor = acc;
        _blas?.Dispose();
        _blas = null;
        if (acc is CudaAccelerator cuda)
        {
            _blas = CuBlasGemm.TryCreate(cuda, out var why);
            CuBlasUnavailable = why;
        }
        else CuBlasUnavailable = "not a CUDA accelerator";
        return _blas;
    }

    internal void Tiled(StridedBuffer a, StridedBuffer b, StridedBuffer dst)
    {
        var acc = GpuRuntime.Accelerator;
        int tile = acc.MaxNumThreadsPerGroup >= MaxTile * MaxTile ? MaxTile : 4;
        long bs = dst._shape[0], m = dst._shape[1], n = dst._shape[2], k = a._shape[2];
        if (m > int.MaxValue || n > int.MaxValue || k > int.MaxValue || bs > int.MaxValue) throw new NotSupportedException("matrix too large for the CUDA backend");
        var L = new MatLayout
        {
            M = (int)m, N = (int)n, K = (int)k, Tile = tile,
            AOff = a._offset, AB = a._strides[0], AM = a._strides[1], AK = a._strides[2],
            BOff = b._offset, BB = b._strides[0], BK = b._strides[1], BN = b._strides[2],
            COff = dst._offset, CB = dst._strides[0], CM = dst._strides[1], CN = dst._strides[2],
        };
        var cfg = new KernelConfig(new Index3D((int)((n + tile - 1) / tile), (int)((m + tile - 1) / tile), (int)bs), new Index3D(tile, tile, 1));
        if (dst.dtype == DType.Float32)
            KernelCache.GetGrouped<ArrayView<float>, ArrayView<float>, ArrayView<float>, MatLayout>(MatmulKernels.TiledF)(cfg, V<float>(a), V<float>(b), V<float>(dst), L);
        else
            KernelCache.GetGrouped<ArrayView<double>, ArrayView<double>, ArrayView<double>, MatLayout>(MatmulKernels.TiledD)(cfg, V<double>(a), V<double>(b), V<double>(dst), L);
    }
}

internal static class MatmulKernels
{
    // Each group computes a Tile×Tile block of c, staging Tile×Tile blocks of a and b in shared memory.
    public static void TiledF(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, MatLayout L)
    {
        var sa = SharedMemory.Allocate<float>(256);
        var sb = SharedMemory.Allocate<float>(256);
        int t = L.Tile, tx = Group.IdxX, ty = Group.IdxY;
        int col = Grid.IdxX * t + tx, row = Grid.IdxY * t + ty;
        long bat = Grid.IdxZ;
        float acc = 0f;
        for (int k0 = 0; k0 < L.K; k0 += t)
        {
            int ka = k0 + tx, kb = k0 + ty;
            sa[ty * t + tx] = row < L.M && ka < L.K ? a[L.AOff + bat * L.AB + row * L.AM + ka * L.AK] : 0f;
            sb[ty * t + tx] = col < L.N && kb < L.K ? b[L.BOff + bat * L.BB + kb * L.BK + col * L.BN] : 0f;
            Group.Barrier();
            for (int j = 0; j < t; j++) acc += sa[ty * t + j] * sb[j * t + tx];
            Group.Barrier();
        }
        if (row < L.M && col < L.N) c[L.COff + bat * L.CB + row * L.CM + col * L.CN] = acc;
    }

    public static void TiledD(ArrayView<double> a, ArrayView<double> b, ArrayView<double> c, MatLayout L)
    {
        var sa = SharedMemory.Allocate<double>(256);
        var sb = SharedMemory.Allocate<double>(256);
        int t = L.Tile, tx = Group.IdxX, ty = Group.IdxY;
        int col = Grid.IdxX * t + tx, row = Grid.IdxY * t + ty;
        long bat = Grid.IdxZ;
        double acc = 0.0;
        for (int k0 = 0; k0 < L.K; k0 += t)
        {
            int ka = k0 + tx, kb = k0 + ty;
            sa[ty * t + tx] = row < L.M && ka < L.K ? a[L.AOff + bat * L.AB + row * L.AM + ka * L.AK] : 0.0;
            sb[ty * t + tx] = col < L.N && kb < L.K ? b[L.BOff + bat * L.BB + kb * L.BK + col * L.BN] : 0.0;
            Group.Barrier();
            for (int j = 0; j < t; j++) acc += sa[ty * t + j] * sb[j * t + tx];
            Group.Barrier();
        }
        if (row < L.M && col < L.N) c[L.COff + bat * L.CB + row * L.CM + col * L.CN] = acc;
    }
}
