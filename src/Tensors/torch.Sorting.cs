namespace Notebooks.Tensors;

// torch.xxx forms of sorting and selection (Ops/Tensor.Sorting.cs).
public static partial class torch
{
    public static ValuesIndices sort(Tensor input, int dim = -1, bool descending = false, bool? stable = null) => input.sort(dim, descending, stable);
    public static ValuesIndices sort(Tensor input, bool stable, int dim = -1, bool descending = false) => input.sort(stable, dim, descending);
    public static Tensor argsort(Tensor input, int dim = -1, bool descending = false, bool stable = false) => input.argsort(dim, descending, stable);
    public static Tensor msort(Tensor input) => input.msort();
    public static ValuesIndices topk(Tensor input, long k, int dim = -1, bool largest = true, bool sorted = true) => input.topk(k, dim, largest, sorted);
    public static ValuesIndices kthvalue(Tensor input, long k, int dim = -1, bool keepdim = false) => input.kthvalue(k, dim, keepdim);
    public static Tensor median(Tensor input) => input.median();
    public static ValuesIndices median(Tensor input, int dim, bool keepdim = false) => input.median(dim, keepdim);
    public static Tensor nanmedian(Tensor input) => input.nanmedian();
    public static ValuesIndices nanmedian(Tensor input, int dim, bool keepdim = false) => input.nanmedian(dim, keepdim);
    public static ValuesIndices mode(Tensor input, int dim = -1, bool keepdim = false) => input.mode(dim, keepdim);
}
