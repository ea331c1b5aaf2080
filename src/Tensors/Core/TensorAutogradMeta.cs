using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

/// <summary>The rarely written part of a tensor's state (see <c>Tensor.AutogradMeta</c>).</summary>
internal sealed class TensorAutogradMeta
{
    public Tensor? Grad;
    public AccumulateGrad? GradAccumulator;
    public List<Func<Tensor, Tensor?>>? Hooks;
    public string? Name;
    public bool RetainsGrad;
}
