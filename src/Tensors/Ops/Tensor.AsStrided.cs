using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

// as_strided: a view with any geometry over this tensor's storage, checked before it exists.
public sealed partial class Tensor
{
    /// <summary>
    /// A view of this tensor's storage with the given sizes, strides and storage offset (this tensor's offset when
    /// null), as <c>torch.as_strided</c>. Checked as ATen's setStrided/checkInBoundsForStorage: strides must be
    /// non-negative, the offset too, and every element must lie inside the storage.
    /// </summary>
    public Tensor as_strided(long[] size, long[] stride, long? storage_offset = null)
    {
        ArgumentNullException.ThrowIfNull(size);
        ArgumentNullException.ThrowIfNull(stride);
        if (size.Length != stride.Length)
            throw new ArgumentException("mismatch in length of strides and shape");
        foreach (var s in stride)
            if (s < 0)
                throw new ArgumentException($"as_strided: Negative strides are not supported at the moment, got strides: {Shapes.Format(stride)}");
        long offset = storage_offset ?? _offset;
        var shape = (long[])size.Clone();
        var strides = (long[])stride.Clone();
        // The constructor inside MakeView checks sizes, offset and bounds with ATen's wording.
        var v = MakeView(shape, strides, offset, t => t.as_strided(shape, strides, offset));
        return GradMode.ShouldRecord(this)
            ? Derivatives.AsStrided.Record(v, this, state: new AsStridedGeometry(_shape, _strides, _offset, shape, strides, offset))
            : v;
    }

    public Tensor as_strided(Size size, long[] stride, long? storage_offset = null) => as_strided(size.ToArray(), stride, storage_offset);

    /// <summary>The storage positions of every element of a geometry, as an int64 tensor of its shape.</summary>
    internal static Tensor StoragePositions(long[] shape, long[] strides, long offset, Device device)
    {
        var pos = torch.full([], offset, dtype: DType.Int64, device: device);
        for (int i = 0; i < shape.Length; i++)
        {
            var view = new long[shape.Length];
            Array.Fill(view, 1L);
            view[i] = shape[i];
            pos = pos + torch.arange(shape[i], dtype: DType.Int64, device: device).mul(strides[i]).view(view);
        }
        return pos.expand(shape);
    }
}

public static partial class torch
{
    /// <inheritdoc cref="Tensor.as_strided(long[], long[], long?)"/>
    public static Tensor as_strided(Tensor input, long[] size, long[] stride, long? storage_offset = null) =>
        input.as_strided(size, stride, storage_offset);
}
