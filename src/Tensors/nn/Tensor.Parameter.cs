namespace Notebooks.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Set on tensors made by <see cref="torch.nn.Parameter"/>: Tensor is sealed, so a parameter is a tensor with
    /// this mark rather than a subclass. It changes the repr (<c>Parameter containing:</c>) and lets modules find
    /// parameters held in plain fields.
    /// </summary>
    internal bool _isParameter;

    public bool is_parameter => _isParameter;
}
