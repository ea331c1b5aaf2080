namespace Notebooks.Tensors.Backend;

/// <summary>
/// Optional fused kernels for the sliding-window layers (convolution, max pooling), asked for with
/// <c>t.Kernels is IWindowKernels k</c>. Each method returns false when it has no kernel for its operands (dtype,
/// layout, device), and the caller then composes the op from <see cref="IBackend"/>'s strided copies, adds and
/// products (<c>SlidingWindow</c>), which every backend runs. A kernel must give the composed path's bits: the same
/// FMA chain per output element, the same order of additions.
/// </summary>
internal interface IWindowKernels
{
    /// <summary>y (N, Cout, OH, OW) = W · im2col(x) (+ b per channel); x (N, Cin, H, W), w (Cout, Cin/G, KH, KW).</summary>
    bool ConvForward(StridedBuffer x, StridedBuffer w, StridedBuffer? b, in Window2d g, long groups, StridedBuffer y);

    /// <summary>gx (N, Cin, H, W) = col2im(Wᵀ · gy): the input's gradient of <see cref="ConvForward"/>.</summary>
    bool ConvBackwardInput(StridedBuffer gy, StridedBuffer w, in Window2d g, long groups, StridedBuffer gx);

    /// <summary>gw (Cout, Cin/G, KH, KW) = Σₙ gy[n] · im2col(x[n])ᵀ, one FMA chain over (n, position) ascending.</summary>
    bool ConvBackwardWeight(StridedBuffer gy, StridedBuffer x, in Window2d g, long groups, StridedBuffer gw);

    /// <summary>Window maxima of x (N, C, H, W) into y and their flat (H, W) positions into idx (int64), as ATen's cpu_max_pool.</summary>
    bool MaxPool(StridedBuffer x, in Window2d g, StridedBuffer y, StridedBuffer idx);

    /// <summary>gx (N, C, H, W) = 0, then gx[plane, idx] += gy in output order (ATen's cpu_max_pool_backward).</summary>
    bool MaxPoolBackward(StridedBuffer gy, StridedBuffer idx, StridedBuffer gx);
}
