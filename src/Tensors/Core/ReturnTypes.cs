namespace Notebooks.Tensors;

/// <summary>
/// The (values, indices) pair that max/min along a dim (and sort, topk, kthvalue, median, mode, cummax/cummin) return, PyTorch's <c>torch.return_types.max</c>: deconstructs
/// like a tuple and prints as Python's repr of the structseq does.
/// </summary>
public sealed class ValuesIndices
{
    /// <summary>The op that made it (<c>max</c>, <c>min</c>, <c>sort</c>, <c>topk</c>, <c>median</c>, <c>cummax</c> …), shown in the printed type name.</summary>
    public string Name { get; }
    public Tensor values { get; }
    public Tensor indices { get; }

    internal ValuesIndices(string name, Tensor values, Tensor indices)
    {
        Name = name;
        this.values = values;
        this.indices = indices;
    }

    public void Deconstruct(out Tensor values, out Tensor indices)
    {
        values = this.values;
        indices = this.indices;
    }

    // ToString(), not interpolation: interpolating a 0-dim tensor gives its number (Python's format), the repr is wanted.
    public override string ToString() => $"torch.return_types.{Name}(\nvalues={values.ToString()},\nindices={indices.ToString()})";
}
