namespace Notebooks.Tensors;

/// <summary>A 128-bit Philox counter or output block: four 32-bit words.</summary>
internal struct UInt4
{
    public uint X, Y, Z, W;

    public UInt4(uint x, uint y, uint z, uint w) { X = x; Y = y; Z = z; W = w; }

    public readonly uint Word(int j) => j switch { 0 => X, 1 => Y, 2 => Z, _ => W };
}

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"; Random123's philox4x32 with 10
/// rounds), the counter-based generator behind cuRAND's and PyTorch's CUDA random numbers. Plain static code on
/// value types so the same function runs on the host and inside ILGPU kernels.
/// </summary>
internal static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    public static UInt4 Block(UInt4 counter, uint key0, uint key1)
    {
        var c = counter;
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { key0 += W0; key1 += W1; }
            ulong p0 = (ulong)M0 * c.X;
            ulong p1 = (ulong)M1 * c.Z;
            c = new UInt4((uint)(p1 >> 32) ^ c.Y ^ key0, (uint)p1, (uint)(p0 >> 32) ^ c.W ^ key1, (uint)p0);
        }
        return c;
    }

    /// <summary>
    /// cuRAND's layout (curand_init(seed, subsequence, offset)): the key is the seed, the counter's low 64 bits are
    /// the block number within a subsequence and its high 64 bits the subsequence.
    /// </summary>
    public static UInt4 Block(ulong seed, ulong block, ulong subsequence) =>
        Block(new UInt4((uint)block, (uint)(block >> 32), (uint)subsequence, (uint)(subsequence >> 32)), (uint)seed, (uint)(seed >> 32));
}
