namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for sorting and selection: the gradient goes back to the positions the forward picked
// (value_selecting_reduction_backward: zeros of self's shape, the gradient scattered at the saved indices, extra 0;
// ints = [dim]; keepdim says whether the output kept the dim), or, for the all-element medians, evenly to every
// element equal to the result (evenly_distribute_backward, NaN counting as equal to a NaN result).
internal static partial class Derivatives
{
    public static readonly Derivative
        Sort = new("SortBackward0", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        SortStable = new("SortBackward1", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        Topk = new("TopkBackward0", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        Kthvalue = new("KthvalueBackward0", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        MedianDim = new("MedianBackward1", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        NanmedianDim = new("NanmedianBackward1", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        Mode = new("ModeBackward0", (Saves.Self | Saves.Extra0, ToSelectedIndices)),
        MedianAll = new("MedianBackward0", (Saves.Self | Saves.Result, EvenlyDistribute)),
        NanmedianAll = new("NanmedianBackward0", (Saves.Self | Saves.Result, EvenlyDistribute));

    /// <summary>FunctionsManual.cpp's evenly_distribute_backward: grad / count over the elements equal to the result.</summary>
    private static Tensor EvenlyDistribute(BackwardContext c)
    {
        var x = c.self; var value = c.result;
        var mask = x.eq(value).logical_or(x.isnan().logical_and(value.isnan()));
        return mask.to(c.grad.dtype) * (c.grad / mask.sum());
    }
}
