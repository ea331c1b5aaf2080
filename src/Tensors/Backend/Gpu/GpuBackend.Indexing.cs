using Notebooks.Tensors.Backend.Functions;
using ILGPU;
using ILGPU.Runtime;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>Launchers for <see cref="IndexKernels"/>: offsets come back as int64 device tensors.</summary>
internal sealed partial class GpuBackend
{
    public bool OffsetsOnDevice => true;

    IndexOffsets IBackend.StridedOffsets(StridedBuffer t) => IndexOffsets.OnDevice(StridedOffsets(t));

    /// <summary>
    /// The first value (row-major) of an int64 index outside [0, size), or null: a compare and an any() on the device
    /// with a one-byte download; the values come down only to name the offender.
    /// </summary>
    private long? FirstOutOfRange(StridedBuffer index, long size)
    {
        var zeros = new long[index._shape.Length];
        StridedBuffer Bound(long v)
        {
            var b = StridedBuffer.Empty([], DType.Int64, Device.CPU);
            Backends.Cpu.Fill(b, v);
            return b.View(index._shape, zeros, 0);
        }
        var below = StridedBuffer.Empty(index._shape, DType.Bool, Cuda0);
        var above = StridedBuffer.Empty(index._shape, DType.Bool, Cuda0);
        Binary(BinaryOp.Lt, index, Bound(0), below);
        Binary(BinaryOp.Ge, index, Bound(size), above);
        Binary(BinaryOp.LogicalOr, below, above, below);
        var any = StridedBuffer.Empty(index._shape.Select(_ => 1L).ToArray(), DType.Bool, Cuda0);
        Reduce(ReduceOp.Any, below, any, null);
        var flag = new bool[1];
        Download<bool>(any, flag);
        if (!flag[0]) return null;
        var values = new long[index.numel()];
        Download<long>(index, values);
        foreach (var v in values)
            if (v < 0 || v >= size) return v;
        return null;
    }

    IndexOffsets IBackend.AlongDimOffsets(StridedBuffer view, StridedBuffer index, long stride, int dim, long size)
    {
        if (FirstOutOfRange(index, size) is { } bad)
            throw new IndexOutOfRangeException($"index {bad} is out of bounds for dimension {dim} with size {size}");
        return IndexOffsets.OnDevice(AlongDimOffsets(view, index, stride));
    }

    void IBackend.IndexMove(StridedBuffer src, IndexOffsets? srcOffsets, StridedBuffer dst, IndexOffsets? dstOffsets, bool accumulate, long count) =>
        IndexMove(src, srcOffsets?.Device, dst, dstOffsets?.Device, accumulate, count);

    StridedBuffer? IBackend.Nonzero(StridedBuffer t) => t._shape.Length > 0 ? Nonzero(t) : null;

    private StridedBuffer Longs(long n) => StridedBuffer.Empty([n], DType.Int64, Cuda0);

    /// <summary>The storage offset of every element of <paramref name="t"/>, in row-major order.</summary>
    public StridedBuffer StridedOffsets(StridedBuffer t)
    {
        var r = Longs(Shapes.Numel(t._shape));
        if (r.numel() == 0) return r;
        var (d, s) = Layouts.Make(t._shape, t);
        KernelCache.Get<ArrayView<long>, Dims, Strd>(IndexKernels.StridedOffsets)(Count(t._shape), V<long>(r), d, s[0]);
        return r;
    }

    /// <summary>
    /// Offsets into <paramref name="t"/> (a view shaped like <paramref name="index"/> whose indexed dim has stride 0)
    /// with index's value times <paramref name="stride"/> added, for gather/scatter.
    /// </summary>
    public StridedBuffer AlongDimOffsets(StridedBuffer t, StridedBuffer index, long stride)
    {
        index = OnDevice(index);
        var r = Longs(Shapes.Numel(index._shape));
        if (r.numel() == 0) return r;
        var (d, s) = Layouts.Make(index._shape, t, index);
        KernelCache.Get<ArrayView<long>, ArrayView<long>, Dims, Strd, Strd, long>(IndexKernels.AlongDim)(
            Count(index._shape), V<long>(r), V<long>(index), d, s[0], s[1], stride);
        return r;
    }

    /// <summary>Offsets of an advanced-indexing result; <paramref name="pos"/> is [K, nb] int64 contiguous.</summary>
    public StridedBuffer AdvancedOffsets(StridedBuffer pos, long[] kSizes, long[] kStrides, long[] beforeShape, long[] beforeStrides, long offset,
        long[] afterShape, long[] afterStrides, long nb)
    {
        long total = Shapes.Numel(beforeShape) * nb * Shapes.Numel(afterShape);
        var r = Longs(total);
        if (total == 0) return r;
        var (kd, ks) = Layouts.Raw(kSizes, kStrides, 0);
        var (bd, bs) = Layouts.Raw(beforeShape, beforeStrides, offset);
        var (ad, @as) = Layouts.Raw(afterShape, afterStrides, 0);
        KernelCache.Get<ArrayView<long>, ArrayView<long>, Dims, Strd, Dims, Strd, Dims, Strd, long>(IndexKernels.Advanced)(
            Count([total]), V<long>(r), V<long>(pos).SubView(pos._offset), kd, ks, bd, bs, ad, @as, nb);
        return r;
    }

    /// <summary>
    /// dst[dstOffsets[i]] = src[srcOffsets[i]] (or +=, duplicates summing) for i &lt; count; a null offset list means
    /// row-major from the tensor's own offset. Both tensors are on this device and share a dtype.
    /// </summary>
    public void IndexMove(StridedBuffer src, StridedBuffer? srcOffsets, StridedBuffer dst, StridedBuffer? dstOffsets, bool accumulate, long count)
    {
        if (count == 0) return;
        var dummy = srcOffsets ?? dstOffsets ?? Longs(1);
        var p = new MoveParams
        {
            UseSrcOffsets = srcOffsets is null ? 0 : 1, UseDstOffsets = dstOffsets is null ? 0 : 1,
            SrcBase = src._offset, DstBase = dst._offset,
        };
        var so = V<long>(srcOffsets ?? dummy).SubView((srcOffsets ?? dummy)._offset);
        var dof = V<long>(dstOffsets ?? dummy).SubView((dstOffsets ?? dummy)._offset);
        var n = Count([count]);
        if (!accumulate)
        {
            switch (src.dtype.itemsize)
            {
                case 1: KernelCache.Get<ArrayView<byte>, ArrayView<byte>, ArrayView<long>, ArrayView<long>, MoveParams>(IndexKernels.Move)(n, V<byte>(src), V<byte>(dst), so, dof, p); break;
                case 2: KernelCache.Get<ArrayView<ushort>, ArrayView<ushort>, ArrayView<long>, ArrayView<long>, MoveParams>(IndexKernels.Move)(n, V<ushort>(src), V<ushort>(dst), so, dof, p); break;
                case 4: KernelCache.Get<ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<long>, MoveParams>(IndexKernels.Move)(n, V<int>(src), V<int>(dst), so, dof, p); break;
                default: KernelCache.Get<ArrayView<long>, ArrayView<long>, ArrayView<long>, ArrayView<long>, MoveParams>(IndexKernels.Move)(n, V<long>(src), V<long>(dst), so, dof, p); break;
            }
            return;
        }
        switch (src.dtype.Kind)
        {
            case ScalarType.Float32: KernelCache.Get<ArrayView<float>, ArrayView<float>, ArrayView<long>, ArrayView<long>, MoveParams>(IndexKernels.AddF32)(n, V<float>(src), V<float>(dst), so, dof, p); break;
            case ScalarType.Float64: KernelCache.Get<ArrayView<double>, ArrayView<double>, ArrayView<long>, ArrayView<long>, MoveParams>(IndexKernels.AddF64)(n, V<double>(src), V<double>(dst), so, dof, p); break;
            case ScalarType.Int32: KernelCache.Get<ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<long>, MoveParams>(IndexKernels.AddI32)(n, V<int>(src), V<int>(dst), so, dof, p); break;
            case ScalarType.Int64: KernelCache.Get<ArrayView<long>, ArrayView<long>, ArrayView<long>, ArrayView<long>, MoveParams>(IndexKernels.AddI64)(n, V<long>(src), V<long>(dst), so, dof, p); break;
            default:
                int kind = src.dtype.Kind switch
                {
                    ScalarType.Bool => IndexKernels.AddBool,
                    ScalarType.Float16 => IndexKernels.AddHalf,
                    ScalarType.BFloat16 => IndexKernels.AddBFloat,
                    _ => IndexKernels.AddInt,
                };
                KernelCache.Get<ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<long>, MoveParams, int, int>(IndexKernels.AddSmall)(
                    n, S(src).Words, S(dst).Words, so, dof, p, src.dtype.itemsize, kind);
                break;
        }
    }

    /// <summary>nonzero(): [n, ndim] int64 coordinates in row-major order; one small download (the count) sizes the result.</summary>
    public StridedBuffer Nonzero(StridedBuffer t)
    {
        long n = Shapes.Numel(t._shape);
        int nd = t._shape.Length;
        if (nd > Dims.MaxRank) throw new NotSupportedException($"nonzero on the CUDA backend handles at most {Dims.MaxRank} dims, got {nd}");
        // Enough chunks to fill a GPU, each long enough that the serial scan over chunk totals stays short.
        long chunk = Math.Max(256, (n + 65535) / 65536);
        long chunks = Math.Max(1, (n + chunk - 1) / chunk);
        var counts = Longs(chunks + 1);
        var (d, s) = Layouts.Make(t._shape, t);
        var (shape, _) = Layouts.Raw(t._shape, new long[nd], 0);
        var action = new NonzeroAction(t, d, s[0], counts, n, chunk, chunks, shape);
        Dispatch.On(t.dtype, action);
        return action.Result!.Value;
    }

    private sealed class NonzeroAction(StridedBuffer t, Dims d, Strd s, StridedBuffer counts, long n, long chunk, long chunks, Dims shape) : IElemAction
    {
        public StridedBuffer? Result;

        public void Run<T, E>() where T : unmanaged where E : struct, IElem<T>
        {
            var cv = V<long>(counts);
            if (n > 0)
                KernelCache.Get<ArrayView<T>, Dims, Strd, ArrayView<long>, long, long>(IndexKernels.NonzeroCount<T, E>)(Count([chunks]), V<T>(t), d, s, cv, n, chunk);
            KernelCache.Get<ArrayView<long>, long>(IndexKernels.ExclusiveScan)(new Index1D(1), cv, chunks);
            var total = new long[1];
            cv.SubView(chunks, 1).CopyToCPU(total);
            Result = StridedBuffer.Empty([total[0], shape.Rank], DType.Int64, Cuda0);
            if (total[0] > 0 && shape.Rank > 0)
                KernelCache.Get<ArrayView<T>, Dims, Strd, ArrayView<long>, long, long, ArrayView<long>, Dims>(IndexKernels.NonzeroWrite<T, E>)(
                    Count([chunks]), V<T>(t), d, s, cv, n, chunk, V<long>(Result!.Value), shape);
        }
    }
}
