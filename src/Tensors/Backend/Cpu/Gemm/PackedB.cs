using System.Numerics;

namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// A GEMM's right operand packed once into the micro-kernel's panels, for a B that many products share: an LSTM
/// layer's W_hhᵀ is the B of one small product per time step (32×128 by 128×512 at the lessons' size), and packing it
/// again for each step cost about as much as the step's product. The panels live in a pinned array (a product reads
/// them through a pointer; large ones are pooled, see below); results have the bits of the unpacked call.
/// </summary>
internal sealed unsafe class PackedB<T> where T : unmanaged, INumber<T>
{
    public readonly int N, K;
    public readonly bool Wide;
    public readonly T[] Panels;

    public PackedB(int k, int n, T* b, nint rsb, nint csb)
    {
        K = k; N = n; Wide = BlockedGemm<T>.Wide;
        long size = Wide ? BlockedGemm<T, Avx512Kernel<T>>.PackedBSize(n, k) : BlockedGemm<T, VectorKernel<T>>.PackedBSize(n, k);
        // Panels of Large Object Heap size (an LSTM's W_hhᵀ, 256 kB, packed twice a step) come from the CPU's caching
        // allocator instead of the pinned heap, which only gen2 collections free; products pin them with `fixed`.
        if (LargeArrayPool.Covers<T>(size))
        {
            Panels = LargeArrayPool.Rent<T>((int)size, zero: false);
            LargeArrayPool.Track(this, Panels);
        }
        else Panels = GC.AllocateUninitializedArray<T>(checked((int)size), pinned: true);
        fixed (T* dst = Panels)
        {
            if (Wide) BlockedGemm<T, Avx512Kernel<T>>.PackAllB(n, k, b, rsb, csb, dst);
            else BlockedGemm<T, VectorKernel<T>>.PackAllB(n, k, b, rsb, csb, dst);
        }
    }
}
