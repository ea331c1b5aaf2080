using System.Numerics;
using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// Which way round a convolution hands its product to the GEMM. The micro-kernel computes MR × NR tiles of C (6 × 16
/// floats with AVX2), so a side much narrower than a tile wastes most of each FMA: LeNet's first convolution has 6
/// output channels, 37 % of a 16-wide tile but exactly one 6-row tile. Either way round each element of C is the same
/// FMA chain over k, so the choice changes speed, never bits.
/// </summary>
internal static class GemmTile<T> where T : unmanaged, INumber<T>
{
    private static readonly (int MR, int NR) Tile = BlockedGemm<T>.Wide
        ? (Avx512Kernel<T>.MR, Avx512Kernel<T>.NR) : (VectorKernel<T>.MR, VectorKernel<T>.NR);

    /// <summary>The fraction of the tiles' lanes an M × N product fills.</summary>
    public static double Fill(long m, long n) =>
        (double)m / RoundUp(m, Tile.MR) * ((double)n / RoundUp(n, Tile.NR));

    /// <summary>Whether C = (channels × other) fills the tiles better than its transpose (other × channels).</summary>
    public static bool ChannelsAsRows(long channels, long other) => Fill(channels, other) > Fill(other, channels);

    private static long RoundUp(long v, int to) => Math.Max(1, (v + to - 1) / to) * to;
}
