namespace Notebooks.Tensors;

// torch.xxx forms of unique, unique_consecutive, searchsorted and bucketize (Ops/Tensor.Unique.cs).
public static partial class torch
{
    public static Tensor unique(Tensor input) => input.unique();
    public static Tensor unique_consecutive(Tensor input) => input.unique_consecutive();

    public static UniqueResult unique(Tensor input, bool sorted = true, bool return_inverse = false, bool return_counts = false, int? dim = null) =>
        input.unique(sorted, return_inverse, return_counts, dim);

    public static UniqueResult unique_consecutive(Tensor input, bool return_inverse = false, bool return_counts = false, int? dim = null) =>
        input.unique_consecutive(return_inverse, return_counts, dim);

    public static Tensor searchsorted(Tensor sorted_sequence, Tensor input, bool out_int32 = false, bool right = false, string? side = null, Tensor? sorter = null) =>
        sorted_sequence.SearchSorted(input, out_int32, right, side, sorter);

    public static Tensor searchsorted(Tensor sorted_sequence, Scalar input, bool out_int32 = false, bool right = false, string? side = null, Tensor? sorter = null) =>
        sorted_sequence.SearchSorted(Tensor.Wrap(input, sorted_sequence.device), out_int32, right, side, sorter);

    public static Tensor bucketize(Tensor input, Tensor boundaries, bool out_int32 = false, bool right = false) => input.bucketize(boundaries, out_int32, right);

    public static Tensor bucketize(Scalar input, Tensor boundaries, bool out_int32 = false, bool right = false) =>
        Tensor.Wrap(input, boundaries.device).bucketize(boundaries, out_int32, right);
}
