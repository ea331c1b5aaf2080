namespace Notebooks.Tensors;

/// <summary>
/// The memory-safety checks of a tensor's geometry (sizes, strides, storage offset), with ATen's wording. Every tensor
/// is made by <see cref="Tensor"/>'s constructor, which calls <see cref="CheckInBounds"/>: so no tensor whose
/// elements lie outside its storage (or whose element count overflows) can exist, and the unchecked kernels, which
/// trust a tensor's geometry, never see one. Allocation checks its sizes first (<see cref="AllocationNumel"/>).
/// </summary>
internal static class Geometry
{
    /// <summary>
    /// The element count of a new contiguous tensor, refusing negative sizes (ATen's <c>check_size_nonnegative</c>,
    /// aten/src/ATen/EmptyTensor.h) and sizes whose byte count overflows (<c>computeStorageNbytesContiguous</c>,
    /// aten/src/ATen/EmptyTensor.cpp: the product, then times the itemsize, must fit in int64).
    /// </summary>
    public static long AllocationNumel(ReadOnlySpan<long> shape, int itemsize)
    {
        CheckNonNegative(shape);
        ulong n = 1;
        bool overflow = false;
        foreach (var d in shape) overflow |= MulOverflows(n, (ulong)d, out n);
        overflow |= MulOverflows(n, (ulong)itemsize, out var bytes) || bytes > long.MaxValue;
        if (overflow) throw new ArgumentException($"Storage size calculation overflowed with sizes={Shapes.Format(shape)}");
        return (long)n;
    }

    public static void CheckNonNegative(ReadOnlySpan<long> shape)
    {
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {d}: {Shapes.Format(shape)}");
    }

    /// <summary>
    /// The tensor invariant: non-negative sizes, an element count that fits in int64 (TensorImpl's
    /// <c>safe_compute_numel</c>: "numel: integer multiplication overflow"), a non-negative storage offset and every
    /// element inside the storage (ATen's <c>checkInBoundsForStorage</c>, aten/src/ATen/native/Resize.h). An empty
    /// tensor may have any strides and offset, as in ATen. Internal views may have negative strides (flip's window);
    /// they must stay inside the storage too.
    /// </summary>
    public static void CheckInBounds(Storage storage, long[] shape, long[] strides, long offset)
    {
        if (shape.Length != strides.Length)
            throw new ArgumentException("mismatch in length of strides and shape");
        ulong n = 1;
        bool overflow = false, reachOverflow = false, empty = false;
        long lo = offset, hi = offset;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = shape[i];
            if (d < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {d}: {Shapes.Format(shape)}");
            overflow |= MulOverflows(n, (ulong)d, out n);
            if (d == 0) { empty = true; continue; }
            long s = strides[i];
            if (s == 0 || d == 1) continue;
            // The farthest element along this dim: (d - 1) * s, which must not overflow.
            if (Math.BigMul(d - 1, s, out long reach) != (reach >> 63)) reachOverflow = true;
            else if (s > 0) reachOverflow |= AddOverflows(hi, reach, out hi);
            else reachOverflow |= AddOverflows(lo, reach, out lo);
        }
        if (overflow || n > long.MaxValue) throw new ArgumentException("numel: integer multiplication overflow");
        if (empty) return;
        // computeStorageNbytes (aten/src/ATen/EmptyTensor.cpp) refuses strides whose reach overflows.
        if (reachOverflow)
            throw new ArgumentException($"Storage size calculation overflowed with sizes={Shapes.Format(shape)} and strides={Shapes.Format(strides)}");
        if (offset < 0) throw new ArgumentException($"Tensor: invalid storage offset {offset}");
        if (lo < 0 || hi >= storage.Count) throw OutOfBounds(storage, shape, strides, offset);
    }

    /// <summary>ATen's setStorage error: the bytes the geometry needs (computeStorageNbytes) against the storage's.</summary>
    internal static ArgumentException OutOfBounds(Storage storage, long[] shape, long[] strides, long offset)
    {
        int item = storage.dtype.itemsize;
        // computeStorageNbytes: itemsize * (1 + sum((size - 1) * stride)), plus the offset's bytes; in 128 bits, so an
        // absurd geometry still prints its real requirement.
        Int128 span = 1;
        for (int i = 0; i < shape.Length; i++) span += (Int128)(shape[i] - 1) * strides[i];
        var need = span * item + (Int128)offset * item;
        return new ArgumentException(
            $"setStorage: sizes {Shapes.Format(shape)}, strides {Shapes.Format(strides)}, storage offset {offset}, and itemsize {item} " +
            $"requiring a storage size of {need} are out of bounds for storage of size {storage.Count * item}");
    }

    private static bool MulOverflows(ulong a, ulong b, out ulong product)
    {
        var hi = Math.BigMul(a, b, out product);
        return hi != 0;
    }

    private static bool AddOverflows(long a, long b, out long sum)
    {
        sum = unchecked(a + b);
        return ((a ^ sum) & (b ^ sum)) < 0;
    }
}
