namespace Notebooks.Tensors;

/// <summary>
/// The (min, max) pair aminmax returns, PyTorch's <c>torch.return_types.aminmax</c>: deconstructs like a tuple and
/// prints as Python's repr of the structseq does.
/// </summary>
public sealed class MinMax : StructSeq
{
    public Tensor min { get; }
    public Tensor max { get; }

    internal MinMax(Tensor min, Tensor max) : base("aminmax")
    {
        this.min = min;
        this.max = max;
    }

    public void Deconstruct(out Tensor min, out Tensor max)
    {
        min = this.min;
        max = this.max;
    }

    private protected override IEnumerable<(string, Tensor)> Fields => [("min", min), ("max", max)];
}
