using Notebooks.Tensors.Backend.Cpu;
using Notebooks.Tensors.Backend.Gpu;

namespace Notebooks.Tensors;

/// <summary>
/// Storage offsets for an element move: a host array for CPU tensors, an int64 device tensor (computed by kernels)
/// for CUDA tensors, so indexing a CUDA tensor never copies its data to the host.
/// </summary>
internal sealed class IndexOffsets
{
    public readonly long[]? Host;
    public readonly Tensor? Device;

    private IndexOffsets(long[]? host, Tensor? device) { Host = host; Device = device; }

    public static implicit operator IndexOffsets(long[] host) => new(host, null);

    public static IndexOffsets OnDevice(Tensor offsets) => new(null, offsets);

    public long Count => Host?.LongLength ?? Device!.numel();

    public long[] ToHost() => Host ?? Device!.ToArray<long>();
}

/// <summary>
/// Element moves by storage offsets: the one kernel behind indexing, gather/scatter, index_select, take,
/// masked_select/masked_scatter and index_put. CPU tensors move on the host in their own element type (no round trip
/// through double, so int64 values above 2^53 survive); CUDA tensors through the GPU backend's index kernels
/// (accumulation by atomics, so duplicate positions sum).
/// </summary>
internal static class IndexMoves
{
    private static long _hostMirrorMoves;

    /// <summary>How many moves touching a device tensor fell back to host mirrors (tests check that none do).</summary>
    internal static long HostMirrorMoves => Interlocked.Read(ref _hostMirrorMoves);

    /// <summary>
    /// dst[dstOffsets[i]] = src[srcOffsets[i]] (or +=) for every i. A null offset list means "the tensor's
    /// elements in row-major order" (the tensor must then be contiguous). Both tensors share a dtype.
    /// </summary>
    public static void Move(Tensor src, IndexOffsets? srcOffsets, Tensor dst, IndexOffsets? dstOffsets, bool accumulate, long count)
    {
        if (src.dtype != dst.dtype) throw new InvalidOperationException($"internal: Move between {src.dtype} and {dst.dtype}");
        if (dst.is_cuda && srcOffsets?.Host is null && dstOffsets?.Host is null && (src.is_cuda || srcOffsets is null))
        {
            // A CPU source read in order (a broadcast value, a wrapped number) goes up as one contiguous block.
            if (!src.is_cuda) src = src.ContiguousRaw().ToDeviceRaw(dst.device);
            GpuBackend.For(dst.device).IndexMove(src, srcOffsets?.Device, dst, dstOffsets?.Device, accumulate, count);
            return;
        }
        if (!src.is_cpu || !dst.is_cpu)
        {
            Interlocked.Increment(ref _hostMirrorMoves);
            // Mixed cases (host offsets for a device tensor): mirror the storages on the host, move there, write back.
            var hs = HostMirror(src);
            var hd = ReferenceEquals(src._storage, dst._storage) ? hs : HostMirror(dst);
            Move(hs, HostSide(srcOffsets), hd, HostSide(dstOffsets), accumulate, count);
            if (!dst.is_cpu)
            {
                var whole = WholeStorage(dst);
                whole.Kernels.Copy(WholeStorage(hd).ToDeviceRaw(dst.device), whole);
            }
            return;
        }
        var op = new MoveOp(src, srcOffsets?.Host, dst, dstOffsets?.Host, accumulate, count);
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

    private static IndexOffsets? HostSide(IndexOffsets? o) => o is null ? null : (IndexOffsets)o.ToHost();

    private static Tensor WholeStorage(Tensor t) => new(t._storage, [t._storage.Count], [1], 0);

    /// <summary>The same window onto a host copy of the tensor's whole storage (so storage offsets still apply).</summary>
    private static Tensor HostMirror(Tensor t)
    {
        if (t.is_cpu) return t;
        var host = WholeStorage(t).ToDeviceRaw(Device.CPU);
        return new Tensor(host._storage, t._shape, t._strides, t._offset);
    }

    /// <summary>Storage offsets of every element of <paramref name="t"/> in row-major order, on t's device.</summary>
    public static IndexOffsets Offsets(Tensor t) =>
        t.is_cuda ? IndexOffsets.OnDevice(GpuBackend.For(t.device).StridedOffsets(t)) : HostOffsets(t);

    public static long[] HostOffsets(Tensor t)
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
