namespace Notebooks.Tensors.Backend.Gpu;

internal enum GemmCall { Sgemm, Dgemm, GemmEx, SgemmStridedBatched, DgemmStridedBatched, GemmStridedBatchedEx }

/// <summary>cublasOperation_t.</summary>
internal enum BlasOp { N = 0, T = 1 }

/// <summary>cudaDataType_t values cuBLAS takes for A, B and C.</summary>
internal enum CudaDataType { R32F = 0, R64F = 1, R16F = 2, R16BF = 14 }

/// <summary>cublasComputeType_t.</summary>
internal enum BlasCompute { C32F = 68, C32FFastTf32 = 77, C64F = 70 }

/// <summary>Element strides of one operand of a batched product, read as [batch, rows, cols].</summary>
internal readonly record struct MatStrides(long Batch, long Row, long Col);

/// <summary>A row-major batched product c [B, M, N] = a [B, M, K] · b [B, K, N], described by shapes and strides only.</summary>
internal sealed record GemmRequest(long Batch, long M, long N, long K, MatStrides A, MatStrides B, MatStrides C, DType DType, bool AllowTf32)
{
    public static GemmRequest Of(StridedBuffer a, StridedBuffer b, StridedBuffer c, bool allowTf32) => new(
        c._shape[0], c._shape[1], c._shape[2], a._shape[2],
        new(a._strides[0], a._strides[1], a._strides[2]), new(b._strides[0], b._strides[1], b._strides[2]),
        new(c._strides[0], c._strides[1], c._strides[2]), c.dtype, allowTf32);
}

/// <summary>
/// One cuBLAS call in cuBLAS's column-major terms: <c>C = op(A)·op(B)</c>, m×n×k, leading dims and batch strides of
/// the three slots. <see cref="SwapOperands"/> says the A slot holds the tensor b (the row-major product computed as
/// Cᵀ = Bᵀ·Aᵀ); Copy* say which tensors must first be made contiguous (row-major) — the plan's numbers already
/// describe those copies.
/// </summary>
internal sealed record GemmPlan(
    GemmCall Call, BlasOp TransA, BlasOp TransB, int M, int N, int K,
    int Lda, int Ldb, int Ldc, long StrideA, long StrideB, long StrideC, int Batch,
    bool SwapOperands, bool CopyA, bool CopyB, bool CopyC, CudaDataType DataType, BlasCompute Compute);

/// <summary>Chooses the cuBLAS call for a product from strides alone (pure: unit-tested without a GPU).</summary>
internal static class GemmPlanner
{
    /// <summary>The plan, or null when cuBLAS can't take the product (dtype, or sizes beyond 32-bit ints).</summary>
    public static GemmPlan? Plan(GemmRequest r)
    {
        var dt = r.DType;
        if (dt != DType.Float32 && dt != DType.Float64 && dt != DType.Float16 && dt != DType.BFloat16) return null;
        if (r.M > int.MaxValue || r.N > int.MaxValue || r.K > int.MaxValue || r.Batch > int.MaxValue) return null;
        long m = r.M, n = r.N, k = r.K;
        var a = r.A; var b = r.B; var c = r.C;

        // The output needs a plain (non-transposed) column-major slot: row-major C is Cᵀ (N×M, ld = row stride),
        // column-major C (unit row stride) is C itself (M×N). Anything else, or batches that overlap, goes via a copy.
        bool copyC = false, rowMajor = true;
        long? ldc = OrientOutput(n, m, c.Col, c.Row);
        if (ldc is null) { ldc = OrientOutput(m, n, c.Row, c.Col); rowMajor = ldc is null; }
        if (ldc is { } l && r.Batch > 1)
        {
            long rows = rowMajor ? n : m, cols = rowMajor ? m : n;
            if (Math.Abs(c.Batch) < (cols - 1) * l + rows) ldc = null;
        }
        if (ldc is null)
        {
            copyC = true; rowMajor = true;
            c = new MatStrides(m * n, n, 1);
            ldc = Math.Max(1, n);
        }

        // Row-major C: A slot = b read as N×K, B slot = a read as K×M. Column-major C: A slot = a (M×K), B slot = b (K×N).
        bool copyA = false, copyB = false;
        (BlasOp op, long ld)? first, second;
        if (rowMajor)
        {
            first = Orient(n, k, b.Col, b.Row);
            if (first is null) { copyB = true; b = new MatStrides(k * n, n, 1); first = Orient(n, k, b.Col, b.Row); }
            second = Orient(k, m, a.Col, a.Row);
            if (second is null) { copyA = true; a = new MatStrides(m * k, k, 1); second = Orient(k, m, a.Col, a.Row); }
        }
        else
        {
            first = Orient(m, k, a.Row, a.Col);
            if (first is null) { copyA = true; a = new MatStrides(m * k, k, 1); first = Orient(m, k, a.Row, a.Col); }
            second = Orient(k, n, b.Row, b.Col);
            if (second is null) { copyB = true; b = new MatStrides(k * n, n, 1); second = Orient(k, n, b.Row, b.Col); }
        }
        var (opA, lda) = first!.Value;
        var (opB, ldb) = second!.Value;
        if (lda > int.MaxValue || ldb > int.MaxValue || ldc > int.MaxValue) return null;

        bool batched = r.Batch > 1;
        GemmCall call;
        CudaDataType data;
        BlasCompute compute;
        if (dt == DType.Float64) { call = batched ? GemmCall.DgemmStridedBatched : GemmCall.Dgemm; data = CudaDataType.R64F; compute = BlasCompute.C64F; }
        else if (dt == DType.Float32 && !r.AllowTf32) { call = batched ? GemmCall.SgemmStridedBatched : GemmCall.Sgemm; data = CudaDataType.R32F; compute = BlasCompute.C32F; }
        else
        {
            // TF32 for float32 (allow_tf32 / precision "high"), and half/bfloat16 storage with float accumulation, as ATen.
            call = batched ? GemmCall.GemmStridedBatchedEx : GemmCall.GemmEx;
            data = dt == DType.Float32 ? CudaDataType.R32F : dt == DType.Float16 ? CudaDataType.R16F : CudaDataType.R16BF;
            compute = dt == DType.Float32 ? BlasCompute.C32FFastTf32 : BlasCompute.C32F;
        }
        long strideFirst = batched ? (rowMajor ? b.Batch : a.Batch) : 0;
        long strideSecond = batched ? (rowMajor ? a.Batch : b.Batch) : 0;
        return new GemmPlan(call, opA, opB, (int)(rowMajor ? n : m), (int)(rowMajor ? m : n), (int)k,
            (int)lda, (int)ldb, (int)ldc!.Value, strideFirst, strideSecond, batched ? c.Batch : 0, (int)r.Batch,
            rowMajor, copyA, copyB, copyC, data, compute);
    }

    /// <summary>
    /// How cuBLAS can read a logical rows×cols matrix whose element (i, j) sits at i·rs + j·cs: as stored
    /// (op N, column-major, ld = cs) or as the transpose of a column-major cols×rows matrix (op T, ld = rs). Null when
    /// neither has a unit stride with a large enough leading dim. Size-1 dims may have any stride.
    /// </summary>
    internal static (BlasOp op, long ld)? Orient(long rows, long cols, long rs, long cs)
    {
        if ((rs == 1 || rows == 1) && (cols == 1 || cs >= Math.Max(1, rows)))
            return (BlasOp.N, cols == 1 ? Math.Max(1, rows) : cs);
        if ((cs == 1 || cols == 1) && (rows == 1 || rs >= Math.Max(1, cols)))
            return (BlasOp.T, rows == 1 ? Math.Max(1, cols) : rs);
        return null;
    }

    /// <summary>The output slot's leading dim when C can be written as stored (op N only); null otherwise.</summary>
    private static long? OrientOutput(long rows, long cols, long rs, long cs) =>
        Orient(rows, cols, rs, cs) is { op: BlasOp.N } o ? o.ld : null;

    /// <summary>
    /// Runs a product through a plan: makes the copies it asks for, hands the slot tensors to
    /// <paramref name="runner"/>, and copies a staged output back. False (nothing done) when there is no plan.
    /// </summary>
    public static bool Execute(StridedBuffer a, StridedBuffer b, StridedBuffer dst, bool allowTf32, IGemmRunner runner)
    {
        var plan = Plan(GemmRequest.Of(a, b, dst, allowTf32));
        if (plan is null) return false;
        var ea = plan.CopyA ? Contiguous(a) : a;
        var eb = plan.CopyB ? Contiguous(b) : b;
        var ec = plan.CopyC ? StridedBuffer.Empty(dst._shape, dst.dtype, dst.device) : dst;
        runner.Run(plan, plan.SwapOperands ? eb : ea, plan.SwapOperands ? ea : eb, ec);
        if (plan.CopyC) Backends.For(dst.device).Copy(ec, dst);
        return true;
    }

    private static StridedBuffer Contiguous(StridedBuffer t)
    {
        var r = StridedBuffer.Empty(t._shape, t.dtype, t.device);
        Backends.For(t.device).Copy(t, r);
        return r;
    }
}

/// <summary>Executes one planned GEMM on the slot tensors (their storage offsets are where the matrices start).</summary>
internal interface IGemmRunner
{
    void Run(GemmPlan plan, StridedBuffer slotA, StridedBuffer slotB, StridedBuffer c);
}
