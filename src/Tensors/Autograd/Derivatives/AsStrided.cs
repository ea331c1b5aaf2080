namespace Notebooks.Tensors.Autograd;

/// <summary>The geometry of an as_strided call: the input's (what the gradient is read back at) and the output's.</summary>
internal sealed record AsStridedGeometry(long[] InShape, long[] InStrides, long InOffset, long[] OutShape, long[] OutStrides, long OutOffset);

// as_strided's row (derivatives.yaml's AsStridedBackward0, as_strided_backward in FunctionsManual.cpp, for an input whose
// elements do not overlap): the output's gradient is summed into a buffer over the storage at the positions the output
// reads (overlapping outputs add up), and the input's gradient is read back at the input's positions. Built from
// differentiable ops, so create_graph works. state: the AsStridedGeometry.
internal static partial class Derivatives
{
    public static readonly Derivative AsStrided = new("AsStridedBackward0", (Saves.None, static c =>
    {
        var geo = c.state<AsStridedGeometry>();
        var grad = c.grad;
        var outPos = Tensor.StoragePositions(geo.OutShape, geo.OutStrides, geo.OutOffset, grad.device).reshape(-1);
        var inPos = Tensor.StoragePositions(geo.InShape, geo.InStrides, geo.InOffset, grad.device).reshape(-1);
        long extent = 1 + Math.Max(outPos.numel() == 0 ? 0 : outPos.max().item<long>(), inPos.numel() == 0 ? 0 : inPos.max().item<long>());
        var buffer = torch.zeros([extent], dtype: grad.dtype, device: grad.device).index_add(0, outPos, grad.reshape(-1));
        return buffer.index_select(0, inPos).reshape(geo.InShape);
    }));
}
