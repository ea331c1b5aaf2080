using Notebooks.Tensors.Backend.Cpu;
using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Backend;

/// <summary>
/// The CPU GEMM for host code outside <c>Backend/</c> that multiplies raw float buffers many times by one right
/// operand (the fused LSTM layer's recurrent product, W_hh over every time step): pack it once, multiply many times.
/// The one door to the GEMM's packed panels, as <see cref="HostMemory"/> is to CPU storage.
/// </summary>
internal static unsafe partial class HostGemm
{
    /// <summary>Below this many multiply-adds (M·K·N) a product takes the direct loops, not the blocked GEMM.</summary>
    public const long DirectLimit = CpuBackend.DirectGemmLimit;

    /// <summary>A right operand packed into the GEMM's panels.</summary>
    public sealed class PackedRhs
    {
        internal readonly PackedB<float> Panels;
        internal PackedRhs(PackedB<float> panels) => Panels = panels;
    }

    /// <summary>Packs b (K × N, strides rsb, csb).</summary>
    public static PackedRhs Pack(int k, int n, float* b, nint rsb, nint csb) => new(new PackedB<float>(k, n, b, rsb, csb));

    /// <summary>c (M × N, strides rsc, csc) = a (M × K, strides rsa, csa) · b, each element one FMA chain over k as every product.</summary>
    public static void Multiply(int m, int k, float* a, nint rsa, nint csa, PackedRhs b, float* c, nint rsc, nint csc, int threads) =>
        BlockedGemm<float>.Multiply(m, k, a, rsa, csa, b.Panels, c, rsc, csc, threads);
}
