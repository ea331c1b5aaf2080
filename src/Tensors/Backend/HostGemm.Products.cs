using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Backend;

/// <summary>
/// Plain products on raw float buffers for host code outside <c>Backend/</c> that writes into buffers it owns (the
/// fused LSTM layer's input projection straight into its gate buffer, a slice of rows of a product per thread).
/// </summary>
internal static unsafe partial class HostGemm
{
    /// <summary>
    /// c (M × N) = a (M × K) · b (K × N), every operand through its strides, rounded as <c>mm</c> rounds the same
    /// product: the direct loops below <see cref="DirectLimit"/> multiply-adds, else the blocked GEMM on up to
    /// <paramref name="threads"/> threads.
    /// </summary>
    public static void Multiply(int m, int n, int k, float* a, nint rsa, nint csa, float* b, nint rsb, nint csb, float* c, nint rsc, nint csc, int threads)
    {
        if ((long)m * n * k < DirectLimit) DirectGemm<float>.Multiply(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc);
        else BlockedGemm<float>.Multiply(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc, threads);
    }

    /// <summary>
    /// Rows of a product small enough for the direct loops (the caller decided on the whole product's size): each
    /// element is the direct loops' own sum, whatever rows are computed together.
    /// </summary>
    public static void MultiplyDirect(int m, int n, int k, float* a, nint rsa, nint csa, float* b, nint rsb, nint csb, float* c, nint rsc, nint csc) =>
        DirectGemm<float>.Multiply(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc);
}
