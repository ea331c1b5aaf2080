namespace Notebooks.Tensors;

internal enum MemOverlap { No, Yes, TooHard }

internal enum MemOverlapStatus { Full, Partial, No, TooHard }

/// <summary>
/// ATen's aten/src/ATen/MemoryOverlap.cpp, decision for decision. The rules are deliberately weak (a tensor that is
/// not non-overlapping-and-dense answers TooHard, which raises nothing): a stronger check would reject programs that
/// PyTorch runs. Everything is O(rank) and allocation-free, since in-place ops call it on every write.
/// </summary>
internal static class MemoryOverlap
{
    internal const string InternalOverlapMessage =
        "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";

    internal const string PartialOverlapMessage =
        "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";

    /// <summary>at::has_internal_overlap: only a size &gt; 1 dim with stride 0 is a sure Yes.</summary>
    internal static MemOverlap HasInternalOverlap(Tensor t)
    {
        if (IsNonOverlappingAndDense(t._shape, t._strides)) return MemOverlap.No;
        var shape = t._shape; var strides = t._strides;
        for (int i = 0; i < shape.Length; i++)
            if (shape[i] > 1 && strides[i] == 0) return MemOverlap.Yes;
        return MemOverlap.TooHard;
    }

    /// <summary>at::get_overlap_status: only two dense tensors of one storage are compared, by their memory ranges.</summary>
    internal static MemOverlapStatus GetOverlapStatus(Tensor a, Tensor b)
    {
        if (ReferenceEquals(a, b)) return MemOverlapStatus.Full;
        // Different storages cannot overlap; asked first because it is the answer for almost every call.
        if (!ReferenceEquals(a._storage, b._storage)) return MemOverlapStatus.No;
        long an = Shapes.Numel(a._shape), bn = Shapes.Numel(b._shape);
        if (an == 0 || bn == 0) return MemOverlapStatus.No;
        if (!IsNonOverlappingAndDense(a._shape, a._strides) || !IsNonOverlappingAndDense(b._shape, b._strides))
            return MemOverlapStatus.TooHard;
        // One storage holds one dtype here, so element offsets order the same way as ATen's byte pointers.
        long aBegin = a._offset, aEnd = aBegin + an, bBegin = b._offset, bEnd = bBegin + bn;
        if (aBegin == bBegin && aEnd == bEnd)
            return a._strides.AsSpan().SequenceEqual(b._strides) ? MemOverlapStatus.Full : MemOverlapStatus.Partial;
        if (aBegin < bEnd && bBegin < aEnd) return MemOverlapStatus.Partial;
        return MemOverlapStatus.No;
    }

    /// <summary>
    /// The TORCH_WARN that masked_fill_ and index_put_ give where other writes raise: writing an expanded tensor
    /// through them is deprecated, not refused.
    /// </summary>
    internal static void WarnIfExpanded(Tensor t, string op, string example)
    {
        if (HasInternalOverlap(t) == MemOverlap.Yes)
            warnings.warn(
                $"Use of {op} on expanded tensors is deprecated. Please clone() the tensor before performing this operation. This also applies to advanced indexing e.g. {example}");
    }

    internal static void AssertNoInternalOverlap(Tensor t)
    {
        if (HasInternalOverlap(t) == MemOverlap.Yes) throw new InvalidOperationException(InternalOverlapMessage);
    }

    internal static void AssertNoPartialOverlap(Tensor a, Tensor b)
    {
        if (GetOverlapStatus(a, b) == MemOverlapStatus.Partial) throw new InvalidOperationException(PartialOverlapMessage);
    }

    /// <summary>at::assert_no_overlap: full overlap is refused too (index ops that read while they write elsewhere).</summary>
    internal static void AssertNoOverlap(Tensor a, Tensor b)
    {
        if (GetOverlapStatus(a, b) is MemOverlapStatus.Partial or MemOverlapStatus.Full)
            throw new InvalidOperationException(PartialOverlapMessage);
    }

    /// <summary>
    /// TensorIteratorBase::compute_mem_overlaps for an in-place op: the output must not overlap itself, and each input
    /// other than the output itself must overlap it fully or not at all.
    /// </summary>
    internal static void CheckElementwise(Tensor output, Tensor? input = null)
    {
        AssertNoInternalOverlap(output);
        if (input is not null && !ReferenceEquals(input, output)) AssertNoPartialOverlap(output, input);
    }

    /// <summary>
    /// c10's _compute_non_overlapping_and_dense: dims of size &lt; 2 are ignored, the rest sorted by stride must
    /// stride 1, size, size·size... Insertion sort on the stack: ranks are small and this allocates nothing.
    /// </summary>
    internal static bool IsNonOverlappingAndDense(long[] shape, long[] strides)
    {
        int dim = shape.Length;
        if (dim == 1) return shape[0] < 2 || strides[0] == 1;
        if (Shapes.IsContiguous(shape, strides)) return true;
        Span<int> perm = dim <= 16 ? stackalloc int[dim] : new int[dim];
        int n = 0;
        for (int i = 0; i < dim; i++)
        {
            if (shape[i] < 2) continue;
            int j = n++;
            while (j > 0 && strides[perm[j - 1]] > strides[i]) { perm[j] = perm[j - 1]; j--; }
            perm[j] = i;
        }
        long require = 1;
        for (int k = 0; k < n; k++)
        {
            if (strides[perm[k]] != require) return false;
            require *= shape[perm[k]];
        }
        return true;
    }
}
