namespace Notebooks.Tensors.Backend.Cpu;

// The CPU's fused kernels for the fast paths of Ops/ (IBackend.FastPaths.cs).
internal sealed partial class CpuBackend
{
    bool IBackend.TrySumContiguousToOne(StridedBuffer src, StridedBuffer dst) => TrySumContiguousToOne(src, dst);

    bool IBackend.TryReluBackward(StridedBuffer g, StridedBuffer y, StridedBuffer dst)
    {
        ReluBackward(g, y, dst);
        return true;
    }

    bool IBackend.TrySquareBackward(StridedBuffer g, StridedBuffer x, StridedBuffer dst)
    {
        SquareBackward(g, x, dst);
        return true;
    }

    bool IBackend.TryMatmul2D(StridedBuffer a, StridedBuffer b, StridedBuffer dst)
    {
        if (a._storage is not CpuStorage sa || b._storage is not CpuStorage sb || dst._storage is not CpuStorage sd) return false;
        bool vector = b._shape.Length == 1;
        int m = checked((int)a._shape[0]), k = checked((int)a._shape[1]), n = vector ? 1 : checked((int)b._shape[1]);
        nint bCol = vector ? 1 : (nint)b._strides[1];
        // One batch: a [1,M,K] · b [1,K,N] → dst [1,M,N], stated by strides.
        return TryMatmul2D(new MatmulArgs(sa, sb, sd, 1, m, k, n, a._offset, b._offset, dst._offset, 0,
            (nint)a._strides[0], (nint)a._strides[1], 0, (nint)b._strides[0], bCol, (nint)m * n, n, 1), a.dtype);
    }
}
