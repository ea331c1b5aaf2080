namespace Notebooks.Tensors.Backend;

/// <summary>
/// Optional fused kernels behind the per-op and training-step fast paths of <c>Ops/</c> (measured on the bench): a
/// backend that has one writes <c>dst</c> and returns true; one that hasn't returns false (the default) and the caller
/// takes the general path. They are IBackend members so that the fast paths, too, reach storage only through the
/// device boundary.
/// </summary>
internal partial interface IBackend
{
    /// <summary>dst (one element) = the sum of the contiguous float <paramref name="src"/>, summed as the general reduction sums it.</summary>
    bool TrySumContiguousToOne(StridedBuffer src, StridedBuffer dst) => false;

    /// <summary>ReLU's backward without the mask: dst = y &gt; 0 ? g : +0, for float g, y of one dtype and shape.</summary>
    bool TryReluBackward(StridedBuffer g, StridedBuffer y, StridedBuffer dst) => false;

    /// <summary>pow(x, 2)'s backward as one product: dst = g · (x · 2), for float g, x of one dtype and shape.</summary>
    bool TrySquareBackward(StridedBuffer g, StridedBuffer x, StridedBuffer dst) => false;

    /// <summary>
    /// dst = a · b for a [M, K] and b [K, N] (or a vector [K], N = 1), any strides, dst contiguous [M, N] (or [M]):
    /// the same product the batched <see cref="Matmul"/> runs, without its three 3-d views.
    /// </summary>
    bool TryMatmul2D(StridedBuffer a, StridedBuffer b, StridedBuffer dst) => false;
}
