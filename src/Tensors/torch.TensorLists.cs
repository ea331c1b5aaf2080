namespace Notebooks.Tensors;

// Python's torch.cat(inputs) takes any list or tuple of tensors ("tuple of Tensors" in its signature): a tutorial
// builds the list with append or a comprehension, which C# writes as a List<Tensor> or `.ToList()`. These overloads
// take any read-only list (List<Tensor>, arrays, ImmutableArray); a Tensor[] still binds to the array overloads.
public static partial class torch
{
    public static Tensor cat(IReadOnlyList<Tensor> tensors, int dim = 0) => cat(tensors.ToArray(), dim);
    public static Tensor concat(IReadOnlyList<Tensor> tensors, int dim = 0) => cat(tensors.ToArray(), dim);
    public static Tensor concatenate(IReadOnlyList<Tensor> tensors, int dim = 0) => cat(tensors.ToArray(), dim);
    public static Tensor stack(IReadOnlyList<Tensor> tensors, int dim = 0) => stack(tensors.ToArray(), dim);
    public static Tensor hstack(IReadOnlyList<Tensor> tensors) => hstack(tensors.ToArray());
    public static Tensor vstack(IReadOnlyList<Tensor> tensors) => vstack(tensors.ToArray());
}
