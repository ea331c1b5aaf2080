namespace Notebooks.Tensors.Autograd;

/// <summary>
/// as_strided's backward (PyTorch's <c>AsStridedBackward0</c>, as_strided_backward in FunctionsManual.cpp, for an
/// input whose elements do not overlap): the output's gradient is summed into a buffer over the storage at the
/// positions the output reads (overlapping outputs add up), and the input's gradient is read back at the input's
/// positions. Built from differentiable ops, so create_graph works.
/// </summary>
internal sealed class AsStridedBackward : Node
{
    private readonly long[] _inShape, _inStrides, _outShape, _outStrides;
    private readonly long _inOffset, _outOffset;

    public AsStridedBackward(Tensor input, long[] shape, long[] strides, long offset) : base([input])
    {
        _inShape = input._shape; _inStrides = input._strides; _inOffset = input._offset;
        _outShape = shape; _outStrides = strides; _outOffset = offset;
    }

    public override string name() => "AsStridedBackward0";

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var grad = g[0]!;
        var outPos = Tensor.StoragePositions(_outShape, _outStrides, _outOffset, grad.device).reshape(-1);
        var inPos = Tensor.StoragePositions(_inShape, _inStrides, _inOffset, grad.device).reshape(-1);
        long extent = 1 + Math.Max(outPos.numel() == 0 ? 0 : outPos.max().item<long>(), inPos.numel() == 0 ? 0 : inPos.max().item<long>());
        var buffer = torch.zeros([extent], dtype: grad.dtype, device: grad.device).index_add(0, outPos, grad.reshape(-1));
        return [buffer.index_select(0, inPos).reshape(_inShape)];
    }
}
