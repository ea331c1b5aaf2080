using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors;

/// <summary>
/// Element moves by precomputed storage offsets: the one kernel behind indexing, gather/scatter, index_select,
/// take, masked_select and index_put. Runs on the host in the tensor's own element type (no round trip through
/// double, so int64 values above 2^53 survive). The backends have no index kernel yet; when one arrives, only
/// this file changes.
/// </summary>
internal static class HostIndexKernels
{
    /// <summary>
    /// dst[dstOffsets[i]] = src[srcOffsets[i]] (or +=) for every i. A null offset list means "the tensor's
    /// elements in row-major order" (the tensor must then be contiguous). Both tensors share a dtype.
    /// </summary>
    public static void Move(Tensor src, long[]? srcOffsets, Tensor dst, long[]? dstOffsets, bool accumulate, long count)
    {
        if (src.dtype != dst.dtype) throw new InvalidOperationException($"internal: Move between {src.dtype} and {dst.dtype}");
        if (!src.is_cpu || !dst.is_cpu)
        {
            // No device index kernel yet: mirror the storages on the host, move there, and write dst's storage back.
            var hs = HostMirror(src);
            var hd = ReferenceEquals(src._storage, dst._storage) ? hs : HostMirror(dst);
            Move(hs, srcOffsets, hd, dstOffsets, accumulate, count);
            if (!dst.is_cpu)
            {
                var whole = WholeStorage(dst);
                whole.Kernels.Copy(WholeStorage(hd).ToDeviceRaw(dst.device), whole);
            }
            return;
        }
        var op = new MoveOp(src, srcOffsets, dst, dstOffsets, accumulate, count);
        switch (src.dtype.Kind)
        {
            case ScalarType.Float32: op.Run<float>(); break;
            case ScalarType.Float64: op.Run<double>(); break;
            case ScalarType.Int64: op.Run<long>(); break;
            case ScalarType.Int32: op.Run<int>(); break;
            case ScalarType.Int16: op.Run<short>(); break;
            case ScalarType.Int8: op.Run<sbyte>(); break;
            case ScalarType.UInt8: op.Run<byte>(); break;
            case ScalarType.Bool: op.Run<bool>(); break;
            case ScalarType.Float16: op.Run<Half>(); break;
            case ScalarType.BFloat16: op.Run<BFloat16>(); break;
        }
    }

    private static Tensor WholeStorage(Tensor t) => new(t._storage, [t._storage.Count], [1], 0);

    /// <summary>The same window onto a host copy of the tensor's whole storage (so storage offsets still apply).</summary>
    private static Tensor HostMirror(Tensor t)
    {
        if (t.is_cpu) return t;
        var host = WholeStorage(t).ToDeviceRaw(Device.CPU);
        return new Tensor(host._storage, t._shape, t._strides, t._offset);
    }

    /// <summary>Storage offsets of every element of <paramref name="t"/> in row-major order.</summary>
    public static long[] Offsets(Tensor t)
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

    private readonly struct MoveOp(Tensor src, long[]? so, Tensor dst, long[]? dof, bool acc, long count)
    {
        public void Run<T>() where T : unmanaged
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
