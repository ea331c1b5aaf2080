namespace Notebooks.Tensors;

/// <summary>
/// PyTorch's named tuples (<c>torch.return_types.max</c>, <c>linalg_qr</c>, <c>aminmax</c> …, Python structseqs): each
/// deconstructs like a tuple (<c>var (values, indices) = x.max(1)</c>) and prints as Python's repr of the structseq
/// does, every field by its repr. One base, so every result type prints the same way.
/// </summary>
public abstract class StructSeq
{
    private readonly string _name;
    private protected StructSeq(string name) => _name = name;
    private protected abstract IEnumerable<(string field, Tensor value)> Fields { get; }

    // ToString(), not interpolation: interpolating a 0-dim tensor gives its number (Python's format), the repr is wanted.
    public override string ToString() =>
        $"torch.return_types.{_name}(\n{string.Join(",\n", Fields.Select(f => $"{f.field}={f.value.ToString()}"))})";
}

/// <summary>
/// The (values, indices) pair that max/min along a dim (and sort, topk, kthvalue, median, mode, cummax/cummin) return, PyTorch's <c>torch.return_types.max</c>: deconstructs
/// like a tuple and prints as Python's repr of the structseq does.
/// </summary>
public sealed class ValuesIndices : StructSeq
{
    /// <summary>The op that made it (<c>max</c>, <c>min</c>, <c>sort</c>, <c>topk</c>, <c>median</c>, <c>cummax</c> …), shown in the printed type name.</summary>
    public string Name { get; }
    public Tensor values { get; }
    public Tensor indices { get; }

    internal ValuesIndices(string name, Tensor values, Tensor indices) : base(name)
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

    private protected override IEnumerable<(string, Tensor)> Fields => [("values", values), ("indices", indices)];
}
