namespace Notebooks.Tensors.Backend;

/// <summary>
/// Optional fused kernel for the normalisation layers, asked for with <c>t.Kernels is INormKernels k</c>; false means
/// no kernel for these operands, and the caller composes the op from <see cref="IBackend"/>'s broadcast products and
/// sums. A kernel gives the composed path's bits.
/// </summary>
internal interface INormKernels
{
    /// <summary>
    /// y = x·α[c] + β[c] for x (N, C, *) and α, β of C elements: the product rounded, then the sum (two roundings,
    /// not an FMA), as <c>x * alpha + beta</c> composes it and as ATen's batch-norm transform computes it
    /// (aten/src/ATen/native/cpu/batch_norm_kernel.cpp, BatchNormImpl::kernel0: <c>data_vec * alpha_vec + beta_vec</c>).
    /// </summary>
    bool ChannelAffine(StridedBuffer x, StridedBuffer alpha, StridedBuffer beta, StridedBuffer y);
}
