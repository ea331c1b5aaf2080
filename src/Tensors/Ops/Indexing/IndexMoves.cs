using Notebooks.Tensors.Backend;
namespace Notebooks.Tensors;

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
            dst.Kernels.IndexMove(src.Buffer, srcOffsets, dst.Buffer, dstOffsets, accumulate, count);
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
                whole.Kernels.Copy(WholeStorage(hd).ToDeviceRaw(dst.device).Buffer, whole.Buffer);
            }
            return;
        }
        dst.Kernels.IndexMove(src.Buffer, srcOffsets, dst.Buffer, dstOffsets, accumulate, count);
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
    public static IndexOffsets Offsets(Tensor t) => t.Kernels.StridedOffsets(t.Buffer);
}
