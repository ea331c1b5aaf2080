namespace Notebooks.Tensors;

// torch.xxx forms of the cumulative ops (Ops/Tensor.Cumulative.cs).
public static partial class torch
{
    public static ValuesIndices cummax(Tensor input, int dim) => input.cummax(dim);
    public static ValuesIndices cummin(Tensor input, int dim) => input.cummin(dim);
    public static Tensor logcumsumexp(Tensor input, int dim) => input.logcumsumexp(dim);
    public static Tensor diff(Tensor input, long n = 1, int dim = -1, Tensor? prepend = null, Tensor? append = null) => input.diff(n, dim, prepend, append);
}
