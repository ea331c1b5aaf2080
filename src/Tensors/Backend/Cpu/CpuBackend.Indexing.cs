namespace Notebooks.Tensors.Backend.Cpu;

// Element moves by storage offsets on the host: indexing, gather/scatter, index_put and masked ops end here for CPU
// tensors, moving values in their own element type (no round trip through double, so int64 above 2^53 survives).
internal sealed partial class CpuBackend
{
    public bool OffsetsOnDevice => false;

    public IndexOffsets StridedOffsets(StridedBuffer t) => HostOffsets(t);

    public IndexOffsets AlongDimOffsets(StridedBuffer view, StridedBuffer index, long stride, int dim, long size)
    {
        var offs = HostOffsets(view);
        var idx = new long[index.numel()];
        Download<long>(index, idx);
        for (long i = 0; i < idx.LongLength; i++)
        {
            var v = idx[i];
            if (v < 0 || v >= size) throw new IndexOutOfRangeException($"index {v} is out of bounds for dimension {dim} with size {size}");
            offs[i] += v * stride;
        }
        return offs;
    }

    public StridedBuffer AdvancedOffsets(StridedBuffer pos, long[] kSizes, long[] kStrides, long[] beforeShape, long[] beforeStrides, long offset,
        long[] afterShape, long[] afterStrides, long nb) =>
        throw new NotSupportedException("internal: the CPU backend's advanced-index offsets are host arrays (AdvancedIndex computes them)");

    public void IndexMove(StridedBuffer src, IndexOffsets? srcOffsets, StridedBuffer dst, IndexOffsets? dstOffsets, bool accumulate, long count)
    {
        var op = new MoveOp(src, srcOffsets?.Host, dst, dstOffsets?.Host, accumulate, count);
        DTypeSwitch.Any(src.dtype, ref op);
    }

    /// <summary>Storage offsets of every element of <paramref name="t"/> in row-major order.</summary>
    internal static long[] HostOffsets(StridedBuffer t)
    {
        var shape = t._shape;
        var n = Shapes.Numel(shape);
        var r = new long[n];
        var idx = new long[shape.Length];
        long off = t._offset;
        for (long i = 0; i < n; i++)
        {
            r[i] = off;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                off += t._strides[d];
                if (++idx[d] < shape[d]) break;
                off -= t._strides[d] * shape[d];
                idx[d] = 0;
            }
        }
        return r;
    }

    private readonly struct MoveOp(StridedBuffer src, long[]? so, StridedBuffer dst, long[]? dof, bool acc, long count) : IAnyTypeUser
    {
        public void Use<T>() where T : unmanaged
        {
            var s = ((CpuStorage)src._storage).Span<T>();
            var d = ((CpuStorage)dst._storage).Span<T>();
            long s0 = src._offset, d0 = dst._offset;
            for (long i = 0; i < count; i++)
            {
                var v = s[(int)(so is null ? s0 + i : so[i])];
                ref var slot = ref d[(int)(dof is null ? d0 + i : dof[i])];
                slot = acc ? Add(slot, v) : v;
            }
        }
    }

    private static T Add<T>(T a, T b) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return (T)(object)((float)(object)a + (float)(object)b);
        if (typeof(T) == typeof(double)) return (T)(object)((double)(object)a + (double)(object)b);
        if (typeof(T) == typeof(long)) return (T)(object)unchecked((long)(object)a + (long)(object)b);
        if (typeof(T) == typeof(int)) return (T)(object)unchecked((int)(object)a + (int)(object)b);
        if (typeof(T) == typeof(short)) return (T)(object)unchecked((short)((short)(object)a + (short)(object)b));
        if (typeof(T) == typeof(sbyte)) return (T)(object)unchecked((sbyte)((sbyte)(object)a + (sbyte)(object)b));
        if (typeof(T) == typeof(byte)) return (T)(object)unchecked((byte)((byte)(object)a + (byte)(object)b));
        if (typeof(T) == typeof(bool)) return (T)(object)((bool)(object)a | (bool)(object)b);
        if (typeof(T) == typeof(Half)) return (T)(object)(Half)((float)(Half)(object)a + (float)(Half)(object)b);
        if (typeof(T) == typeof(BFloat16)) return (T)(object)(BFloat16)((float)(BFloat16)(object)a + (float)(BFloat16)(object)b);
        throw new NotSupportedException(typeof(T).Name);
    }
}
