using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors.Backend;

/// <summary>
/// One device's raw kernels. Operands are <see cref="StridedBuffer"/>s (storage, shape, strides and offset: a backend
/// never sees autograd, and never a tensor). Inputs of element-wise ops are already broadcast to the output's shape
/// (stride 0 where expanded) and already converted to the compute dtype the caller chose. An input of Binary or
/// MulAdd may be a CPU scalar (a 0-dim CPU buffer, broadcast) beside another device's buffers: its value is a kernel
/// argument, as in PyTorch, rather than an upload.
/// </summary>
internal partial interface IBackend
{
    Storage Allocate(DType dtype, long count);

    /// <summary>dst[i] = (dst.dtype) src[i]; shapes equal (src may be broadcast).</summary>
    void Copy(in StridedBuffer src, in StridedBuffer dst);

    void Fill(in StridedBuffer dst, Scalar value);

    void Unary(UnaryOp op, in StridedBuffer src, in StridedBuffer dst);

    /// <summary>dst = op(a, b); a and b share a dtype; dst has it too, or bool for comparisons and logical ops.</summary>
    void Binary(BinaryOp op, in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst);

    /// <summary>
    /// dst = a·b + c, rounded once for floating types (ATen computes <c>add(self, other, alpha)</c> as
    /// <c>fmadd(other, alpha, self)</c>). Inputs share a dtype and are broadcast to dst's shape.
    /// </summary>
    void MulAdd(in StridedBuffer a, in StridedBuffer b, in StridedBuffer c, in StridedBuffer dst)
    {
        // Backends without a fused kernel round twice.
        var t = StridedBuffer.Empty(dst._shape, dst.dtype, dst.device);
        Binary(BinaryOp.Mul, a, b, t);
        Binary(BinaryOp.Add, t, c, dst);
    }

    /// <summary>dst = cond ? a : b.</summary>
    void Where(StridedBuffer cond, StridedBuffer a, StridedBuffer b, StridedBuffer dst);

    /// <summary>
    /// Reduces <paramref name="src"/> over the dims where <paramref name="dst"/> (same rank, keepdim layout) has size 1
    /// and src doesn't. For Max/Min, <paramref name="indices"/> (int64, same shape as dst) receives the arg position
    /// along the single reduced dim when given.
    /// </summary>
    void Reduce(ReduceOp op, StridedBuffer src, StridedBuffer dst, StridedBuffer? indices);

    void Scan(ScanOp op, StridedBuffer src, int dim, StridedBuffer dst);

    /// <summary>Batched matrix product: a [B, M, K] · b [B, K, N] → dst [B, M, N], any strides, float dtypes.</summary>
    void Matmul(StridedBuffer a, StridedBuffer b, StridedBuffer dst);

    // ---- element moves by storage offsets: indexing, gather/scatter, index_put, masked ops ----

    /// <summary>Where this backend keeps index offsets: host arrays, or int64 buffers on its device made by kernels.</summary>
    bool OffsetsOnDevice { get; }

    /// <summary>The storage offset of every element of <paramref name="t"/>, in row-major order.</summary>
    IndexOffsets StridedOffsets(StridedBuffer t);

    /// <summary>
    /// Offsets into <paramref name="view"/> (shaped like <paramref name="index"/>, its indexed dim with stride 0) plus
    /// index·<paramref name="stride"/>, for gather/scatter; an index outside [0, size) is PyTorch's IndexError.
    /// </summary>
    IndexOffsets AlongDimOffsets(StridedBuffer view, StridedBuffer index, long stride, int dim, long size);

    /// <summary>Offsets of an advanced-indexing result from [K, nb] positions (backends whose offsets live on the device).</summary>
    StridedBuffer AdvancedOffsets(StridedBuffer pos, long[] kSizes, long[] kStrides, long[] beforeShape, long[] beforeStrides, long offset,
        long[] afterShape, long[] afterStrides, long nb);

    /// <summary>
    /// dst[dstOffsets[i]] = src[srcOffsets[i]] (or +=, duplicates summing) for i &lt; count; a null offset list means
    /// row-major from the buffer's own offset. Both buffers are on this backend's device and share a dtype.
    /// </summary>
    void IndexMove(StridedBuffer src, IndexOffsets? srcOffsets, StridedBuffer dst, IndexOffsets? dstOffsets, bool accumulate, long count);

    /// <summary>nonzero() by kernels, or null where the caller's host loop is the implementation.</summary>
    StridedBuffer? Nonzero(StridedBuffer t) => null;

    /// <summary>Fills <paramref name="dst"/> (any strides) from a Philox generator's state, as a device generator does.</summary>
    void FillRandom(StridedBuffer dst, Gpu.RandParams p, PhiloxState state, StridedBuffer? probabilities = null) =>
        throw new NotSupportedException($"internal: no device random kernels on {dst.device}; the CPU generator fills host memory");

    /// <summary>Copies host values into a contiguous buffer's storage.</summary>
    void Upload<T>(ReadOnlySpan<T> src, StridedBuffer dst) where T : unmanaged;

    /// <summary>Copies a buffer (any strides) out to host memory in row-major order.</summary>
    void Download<T>(StridedBuffer src, Span<T> dst) where T : unmanaged;
}

/// <summary>Picks the backend for a device.</summary>
internal static class Backends
{
    public static readonly Cpu.CpuBackend Cpu = new();

    public static IBackend For(Device device) => ReferenceEquals(device, Device.CPU) ? Cpu : device.type switch
    {
        "cpu" => Cpu,
        "cuda" => Gpu.GpuBackend.For(device),
        _ => throw new NotSupportedException($"Device '{device}' is not supported by this build: no backend is registered for it."),
    };
}
