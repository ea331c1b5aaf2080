namespace Notebooks.Tensors;

/// <summary>What a view made by a view op knows of its origin (see <c>Tensor.ViewInfo</c>).</summary>
internal sealed class TensorViewInfo
{
    public Tensor? Base;
    public Func<Tensor, Tensor>? ViewFn;
}
