namespace Notebooks.Tensors;

/// <summary>Bounds checks of index tensors before any element moves, so a bad index raises instead of touching memory.</summary>
internal static class IndexBounds
{
    /// <summary>
    /// The first value (row-major) of <paramref name="index"/> outside [lo, hi), or null. On a device the check is a
    /// compare and an any() with a one-byte download; the values come down only to name the offender.
    /// </summary>
    public static long? FirstOutOfRange(Tensor index, long lo, long hi)
    {
        if (index.is_cuda)
        {
            bool bad;
            using (torch.no_grad()) bad = index.lt(lo).logical_or(index.ge(hi)).any().item<bool>();
            if (!bad) return null;
        }
        foreach (var v in index.ToArray<long>())
            if (v < lo || v >= hi) return v;
        return null;
    }
}
