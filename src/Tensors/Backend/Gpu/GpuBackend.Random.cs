using ILGPU;
using ILGPU.Runtime;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>Random fills straight into device memory from a CUDA generator's Philox stream.</summary>
internal sealed partial class GpuBackend
{
    /// <summary>
    /// Fills <paramref name="dst"/> (any strides) with <paramref name="p"/>'s distribution, reserving one Philox block per
    /// thread from <paramref name="state"/>. Op, parameters and Wide/PerThread are set by the caller.
    /// </summary>
    public void FillRandom(StridedBuffer dst, RandParams p, PhiloxState state, StridedBuffer? probabilities = null)
    {
        long n = Shapes.Numel(dst._shape);
        if (n == 0) return;
        long threads = (n + p.PerThread - 1) / p.PerThread;
        var (seed, offset) = state.Reserve(4);
        p.Key0 = (uint)seed; p.Key1 = (uint)(seed >> 32);
        p.Block = offset / 4;
        p.Count = n;
        var (d, s) = Layouts.Make(dst._shape, dst);
        Dispatch.On(dst.dtype, new RandomAction(dst, d, s[0], p, Count([threads]), probabilities));
    }

    private sealed class RandomAction(StridedBuffer dst, Dims d, Strd s, RandParams p, Index1D threads, StridedBuffer? prob) : IElemAction
    {
        public void Run<T, E>() where T : unmanaged where E : struct, IElem<T>
        {
            if (prob is null)
                KernelCache.Get<ArrayView<T>, Dims, Strd, RandParams>(RandomKernels.Fill<T, E>)(threads, V<T>(dst), d, s, p);
            else
                KernelCache.Get<ArrayView<T>, Dims, Strd, ArrayView<double>, RandParams>(RandomKernels.BernoulliTensor<T, E>)(
                    threads, V<T>(dst), d, s, V<double>(prob.Value).SubView(prob.Value._offset), p);
        }
    }
}
