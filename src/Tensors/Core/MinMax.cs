namespace Notebooks.Tensors;

/// <summary>
/// The (min, max) pair aminmax returns, PyTorch's <c>torch.return_types.aminmax</c>: deconstructs like a tuple and
/// prints as Python's repr of the structseq does.
/// </summary>
public sealed class MinMax
{
    public Tensor min { get; }
    public Tensor max { get; }

    internal MinMax(Tensor min, Tensor max)
    {
        this.min = min;
        this.max = max;
    }

    public void Deconstruct(out Tensor min, out Tensor max)
    {
        min = this.min;
        max = this.max;
    }

    public override string ToString() => $"torch.return_types.aminmax(\nmin={min.ToString()},\nmax={max.ToString()})";
}
