using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Gpu;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// The cuBLAS call selection, checked without a GPU: every plan is executed by a column-major reference GEMM with
/// cuBLAS's argument semantics (and its argument checks) on CPU storage, and must reproduce the CPU matmul.
/// </summary>
public class GemmPlannerTests
{
    /// <summary>cuBLAS's gemm contract on host arrays: C[i + j·ldc] = Σ op(A)[i, l]·op(B)[l, j], per batch.</summary>
    private sealed class ColumnMajorReference : IGemmRunner
    {
        public GemmPlan? Last;

        public void Run(GemmPlan p, StridedBuffer slotA, StridedBuffer slotB, StridedBuffer c)
        {
            Last = p;
            // cublas<t>gemm rejects these with CUBLAS_STATUS_INVALID_VALUE.
            Assert.That(p.Lda, Is.GreaterThanOrEqualTo(Math.Max(1, p.TransA == BlasOp.N ? p.M : p.K)), "lda");
            Assert.That(p.Ldb, Is.GreaterThanOrEqualTo(Math.Max(1, p.TransB == BlasOp.N ? p.K : p.N)), "ldb");
            Assert.That(p.Ldc, Is.GreaterThanOrEqualTo(Math.Max(1, p.M)), "ldc");
            bool batched = p.Call is GemmCall.SgemmStridedBatched or GemmCall.DgemmStridedBatched or GemmCall.GemmStridedBatchedEx;
            Assert.That(batched, Is.EqualTo(p.Batch > 1), "strided-batched exactly when there are batches");
            Assert.That(slotA.dtype, Is.EqualTo(c.dtype));
            double[] A = Whole(slotA), B = Whole(slotB), C = Whole(c);
            for (long q = 0; q < p.Batch; q++)
                for (long j = 0; j < p.N; j++)
                    for (long i = 0; i < p.M; i++)
                    {
                        double sum = 0;
                        for (long l = 0; l < p.K; l++)
                        {
                            double x = A[slotA._offset + q * p.StrideA + (p.TransA == BlasOp.N ? i + l * p.Lda : l + i * p.Lda)];
                            double y = B[slotB._offset + q * p.StrideB + (p.TransB == BlasOp.N ? l + j * p.Ldb : j + l * p.Ldb)];
                            sum += x * y;
                        }
                        C[c._offset + q * p.StrideC + i + j * p.Ldc] = sum;
                    }
            var whole = new Tensor(c._storage, [c._storage.Count], [1], 0);
            whole.Kernels.Copy(torch.tensor(C, torch.float64).Buffer, whole.Buffer);
        }

        private static double[] Whole(StridedBuffer t) => new Tensor(t._storage, [t._storage.Count], [1], 0).to(torch.float64).ToArray<double>();
    }

    private static GemmPlan Run(Tensor a, Tensor b, Tensor dst, bool tf32 = false, double tol = 1e-5)
    {
        var runner = new ColumnMajorReference();
        Assert.That(GemmPlanner.Execute(a.Buffer, b.Buffer, dst.Buffer, tf32, runner), Is.True);
        var want = torch.matmul(a.to(torch.float64), b.to(torch.float64)).ToArray<double>();
        var got = dst.to(torch.float64).ToArray<double>();
        Assert.That(got.Length, Is.EqualTo(want.Length));
        for (int i = 0; i < want.Length; i++)
            Assert.That(got[i], Is.EqualTo(want[i]).Within(tol * (1 + Math.Abs(want[i]))), $"element {i}");
        return runner.Last!;
    }

    private static Tensor R(params long[] shape) => torch.randn(shape);

    [SetUp]
    public void Seed() => torch.manual_seed(17);

    [Test]
    public void ContiguousRowMajorIsCTransposedEqualsBTransposedATransposed()
    {
        var p = Run(R(1, 3, 4), R(1, 4, 5), torch.empty(1, 3, 5));
        Assert.That(p, Is.EqualTo(new GemmPlan(GemmCall.Sgemm, BlasOp.N, BlasOp.N, 5, 3, 4, 5, 4, 5, 0, 0, 0, 1,
            SwapOperands: true, CopyA: false, CopyB: false, CopyC: false, CudaDataType.R32F, BlasCompute.C32F)));
    }

    [Test]
    public void TransposedViewsBecomeTransposeFlagsWithoutCopies()
    {
        var p = Run(R(1, 4, 3).transpose(1, 2), R(1, 5, 4).transpose(1, 2), torch.empty(1, 3, 5));
        Assert.That((p.TransA, p.TransB, p.Lda, p.Ldb, p.CopyA, p.CopyB), Is.EqualTo((BlasOp.T, BlasOp.T, 4, 3, false, false)));
        p = Run(R(1, 4, 3).transpose(1, 2), R(1, 4, 5), torch.empty(1, 3, 5));
        Assert.That((p.TransA, p.TransB, p.Lda, p.Ldb), Is.EqualTo((BlasOp.N, BlasOp.T, 5, 3)));
    }

    [Test]
    public void ColumnMajorOutputIsWrittenDirectly()
    {
        var c = torch.empty(1, 5, 3).transpose(1, 2);
        var p = Run(R(1, 3, 4), R(1, 4, 5), c);
        Assert.That((p.SwapOperands, p.CopyC, p.M, p.N, p.Ldc, p.TransA, p.TransB), Is.EqualTo((false, false, 3, 5, 3, BlasOp.T, BlasOp.T)));
    }

    [Test]
    public void PaddedRowsKeepTheirLeadingDimension()
    {
        var a = R(1, 3, 10).narrow(2, 2, 4);
        var c = torch.zeros(1, 3, 8).narrow(2, 1, 5);
        var p = Run(a, R(1, 4, 5), c);
        Assert.That((p.Ldb, p.Ldc, p.CopyA, p.CopyC), Is.EqualTo((10, 8, false, false)));
        Assert.That(c._storage.Count, Is.EqualTo(24));
        var outside = new Tensor(c._storage, [3], [8], 0).ToArray<float>();
        Assert.That(outside, Is.EqualTo(new float[3]), "columns outside the view are untouched");
    }

    [Test]
    public void BroadcastBatchesUseStrideZero()
    {
        var b = R(1, 4, 5).expand(3, 4, 5);
        var p = Run(R(3, 2, 4), b, torch.empty(3, 2, 5));
        Assert.That((p.Call, p.Batch, p.StrideA, p.StrideB, p.StrideC), Is.EqualTo((GemmCall.SgemmStridedBatched, 3, 0L, 8L, 10L)));
        p = Run(R(1, 2, 4).expand(3, 2, 4), R(3, 4, 5), torch.empty(3, 2, 5));
        Assert.That((p.StrideA, p.StrideB), Is.EqualTo((20L, 0L)));
    }

    [Test]
    public void LayoutsWithoutAUnitStrideAreCopiedFirst()
    {
        var a = R(2, 3, 8)[TensorIndex.Ellipsis, torch.slice(null, null, 2)];
        var p = Run(a, R(2, 4, 5), torch.empty(2, 3, 5));
        Assert.That((p.CopyA, p.CopyB, p.CopyC, p.StrideB), Is.EqualTo((true, false, false, 12L)));
        var c = torch.zeros(2, 3, 10)[TensorIndex.Ellipsis, torch.slice(null, null, 2)];
        p = Run(R(2, 3, 4), R(2, 4, 5), c);
        Assert.That(p.CopyC, Is.True);
        // Batches that would overlap in the output can't be written in place either.
        var overlapping = new Tensor(torch.zeros(40)._storage, [2, 3, 5], [1, 5, 1], 0);
        p = GemmPlanner.Plan(GemmRequest.Of(R(2, 3, 4).Buffer, R(2, 4, 5).Buffer, overlapping.Buffer, false))!;
        Assert.That(p.CopyC, Is.True);
    }

    [TestCase(1, 1, 1, 1)]
    [TestCase(1, 1, 7, 3)]
    [TestCase(1, 6, 1, 3)]
    [TestCase(2, 6, 5, 1)]
    [TestCase(3, 1, 1, 4)]
    public void SizeOneDimsAcceptAnyStride(int batch, int m, int n, int k)
    {
        // Transposing swaps strides; on a size-1 dim the stride is meaningless and must not force a copy.
        var a = R(batch, k, m).transpose(1, 2);
        var b = R(batch, n, k).transpose(1, 2);
        var p = Run(a, b, torch.empty(batch, m, n));
        Assert.That((p.CopyA, p.CopyB, p.CopyC), Is.EqualTo((false, false, false)));
    }

    [Test]
    public void DTypesAndTf32PickTheCall()
    {
        var p = Run(R(1, 3, 4).to(torch.float64), R(1, 4, 5).to(torch.float64), torch.empty([1, 3, 5], torch.float64), tol: 1e-12);
        Assert.That((p.Call, p.DataType, p.Compute), Is.EqualTo((GemmCall.Dgemm, CudaDataType.R64F, BlasCompute.C64F)));
        p = Run(R(2, 3, 4).to(torch.float64), R(2, 4, 5).to(torch.float64), torch.empty([2, 3, 5], torch.float64), tol: 1e-12);
        Assert.That(p.Call, Is.EqualTo(GemmCall.DgemmStridedBatched));
        p = Run(R(1, 3, 4), R(1, 4, 5), torch.empty(1, 3, 5), tf32: true);
        Assert.That((p.Call, p.DataType, p.Compute), Is.EqualTo((GemmCall.GemmEx, CudaDataType.R32F, BlasCompute.C32FFastTf32)));
        p = Run(R(2, 3, 4), R(2, 4, 5), torch.empty(2, 3, 5), tf32: true);
        Assert.That(p.Call, Is.EqualTo(GemmCall.GemmStridedBatchedEx));
        p = Run(R(1, 3, 4).half(), R(1, 4, 5).half(), torch.empty([1, 3, 5], torch.float16), tol: 1e-2);
        Assert.That((p.Call, p.DataType, p.Compute), Is.EqualTo((GemmCall.GemmEx, CudaDataType.R16F, BlasCompute.C32F)));
        p = Run(R(2, 3, 4).bfloat16(), R(2, 4, 5).bfloat16(), torch.empty([2, 3, 5], torch.bfloat16), tf32: true, tol: 2e-2);
        Assert.That((p.Call, p.DataType, p.Compute), Is.EqualTo((GemmCall.GemmStridedBatchedEx, CudaDataType.R16BF, BlasCompute.C32F)), "TF32 only concerns float32");
    }

    [Test]
    public void WithoutCuBlasTheReasonNamesTheLibrariesTried()
    {
        if (CuBlasNative.TryLoad(out var why)) Assert.Ignore("this machine has libcublas");
        Assert.That(why, Does.Contain(OperatingSystem.IsWindows() ? "cublas64_12.dll" : "libcublas.so.12"));
        // The CPU accelerator never uses cuBLAS, so products there always take the ILGPU kernel.
        _ = torch.ones([2, 2], device: torch.device("cuda")).matmul(torch.ones([2, 2], device: torch.device("cuda")));
        Assert.That(GpuBackend.Instance.CuBlasUnavailable, Is.EqualTo("not a CUDA accelerator"));
    }

    [Test]
    public void NoPlanForIntegersOrSizesBeyondInt32()
    {
        Assert.That(GemmPlanner.Plan(GemmRequest.Of(torch.ones([1, 2, 2], torch.int32).Buffer, torch.ones([1, 2, 2], torch.int32).Buffer, torch.ones([1, 2, 2], torch.int32).Buffer, false)), Is.Null);
        var s = new MatStrides(0, 1L << 32, 1);
        Assert.That(GemmPlanner.Plan(new GemmRequest(1, 1L << 31, 2, 2, s, s, s, torch.float32, false)), Is.Null);
        var wide = new MatStrides(0, 1L << 31, 1);
        Assert.That(GemmPlanner.Plan(new GemmRequest(1, 2, 2, 2, wide, new MatStrides(0, 2, 1), new MatStrides(0, 2, 1), torch.float32, false)), Is.Null, "lda beyond int32");
    }

    private static Tensor Layout(string kind, long bs, long rows, long cols, bool output)
    {
        Tensor Make(params long[] s) => output ? torch.zeros(s) : torch.randn(s);
        return kind switch
        {
            "transposed" => Make(bs, cols, rows).transpose(1, 2),
            "step2" => Make(bs, rows, 2 * cols)[TensorIndex.Ellipsis, torch.slice(null, null, 2)],
            "padded" => Make(bs, rows, cols + 3).narrow(2, 1, cols),
            "batch-inner" => Make(rows, bs, cols).transpose(0, 1),
            "batch-last" => Make(rows, cols, bs).permute(2, 0, 1),
            "broadcast" => Make(1, rows, cols).expand(bs, rows, cols),
            _ => Make(bs, rows, cols),
        };
    }

    [Test]
    public void EveryLayoutCombinationMatchesTheCpuMatmul()
    {
        string[] inputs = ["contiguous", "transposed", "step2", "padded", "batch-inner", "batch-last", "broadcast"];
        string[] outputs = ["contiguous", "transposed", "step2", "padded", "batch-inner", "batch-last"];
        var rng = new System.Random(5);
        int runs = 0;
        foreach (var la in inputs)
            foreach (var lb in inputs)
                foreach (var lc in outputs)
                {
                    long bs = rng.Next(1, 4), m = rng.Next(1, 6), n = rng.Next(1, 6), k = rng.Next(1, 6);
                    var a = Layout(la, bs, m, k, false); var b = Layout(lb, bs, k, n, false); var c = Layout(lc, bs, m, n, true);
                    Assert.DoesNotThrow(() => Run(a, b, c), $"a {la}, b {lb}, c {lc}, [{bs}, {m}, {n}, {k}]");
                    runs++;
                }
        Assert.That(runs, Is.EqualTo(7 * 7 * 6));
    }
}

/// <summary>torch.backends / float32_matmul_precision: PyTorch's defaults and their coupling.</summary>
public class MatmulPrecisionTests
{
    [TearDown]
    public void Reset() => torch.set_float32_matmul_precision("highest");

    [Test]
    public void Tf32FlagsFollowPyTorch()
    {
        Assert.That(torch.get_float32_matmul_precision(), Is.EqualTo("highest"));
        Assert.That(torch.backends.cuda.matmul.allow_tf32, Is.False);
        Assert.That(torch.backends.cudnn.allow_tf32, Is.True);
        torch.set_float32_matmul_precision("high");
        Assert.That(torch.backends.cuda.matmul.allow_tf32, Is.True);
        torch.set_float32_matmul_precision("medium");
        Assert.That(torch.backends.cuda.matmul.allow_tf32, Is.True);
        torch.backends.cuda.matmul.allow_tf32 = false;
        Assert.That(torch.get_float32_matmul_precision(), Is.EqualTo("highest"));
        torch.backends.cuda.matmul.allow_tf32 = true;
        Assert.That(torch.get_float32_matmul_precision(), Is.EqualTo("high"));
        torch.set_float32_matmul_precision("fastest");
        Assert.That(torch.get_float32_matmul_precision(), Is.EqualTo("high"), "an unknown value only warns");
    }
}
