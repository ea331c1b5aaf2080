namespace Notebooks.Tensors;

// torch.xxx forms of the indexing ops, and the index helpers (ellipsis, stepped slices).
public static partial class torch
{
    /// <summary>Python's <c>...</c> in an index: <c>x[torch.ellipsis, 0]</c>.</summary>
    public static readonly TensorIndex ellipsis = TensorIndex.Ellipsis;

    /// <summary>Python's <c>start:stop:step</c> in an index: <c>x[torch.slice(null, null, 2)]</c> is <c>x[::2]</c>.</summary>
    public static TensorIndex slice(long? start, long? stop, long step = 1) => TensorIndex.Slice(start, stop, step);

    public static Tensor nonzero(Tensor input) => input.nonzero();
    public static Tensor[] nonzero(Tensor input, bool as_tuple) => input.nonzero(as_tuple);
    public static Tensor argwhere(Tensor input) => input.nonzero();

    /// <summary><c>torch.where(condition)</c> with one argument: <c>nonzero(condition, as_tuple=True)</c>.</summary>
    public static Tensor[] where(Tensor condition) => condition.nonzero(as_tuple: true);

    public static Tensor masked_select(Tensor input, Tensor mask) => input.masked_select(mask);
    public static Tensor masked_fill(Tensor input, Tensor mask, Scalar value) => input.masked_fill(mask, value);
    public static Tensor masked_scatter(Tensor input, Tensor mask, Tensor source) => input.masked_scatter(mask, source);
    public static Tensor take(Tensor input, Tensor index) => input.take(index);
    public static Tensor index_select(Tensor input, int dim, Tensor index) => input.index_select(dim, index);
    public static Tensor index_add(Tensor input, int dim, Tensor index, Tensor source, Scalar? alpha = null) => input.index_add(dim, index, source, alpha);
    public static Tensor gather(Tensor input, int dim, Tensor index, bool sparse_grad = false) => input.gather(dim, index, sparse_grad);
    public static Tensor scatter(Tensor input, int dim, Tensor index, Tensor src) => input.scatter(dim, index, src);
    public static Tensor scatter(Tensor input, int dim, Tensor index, Scalar value) => input.scatter(dim, index, value);
    public static Tensor scatter_add(Tensor input, int dim, Tensor index, Tensor src) => input.scatter_add(dim, index, src);
    public static Tensor index_put(Tensor input, Tensor?[] indices, Tensor values, bool accumulate = false) => input.index_put(indices, values, accumulate);
    public static Tensor index_put_(Tensor input, Tensor?[] indices, Tensor values, bool accumulate = false) => input.index_put_(indices, values, accumulate);
}
