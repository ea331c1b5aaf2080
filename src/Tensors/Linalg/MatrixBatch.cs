using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors.Linalg;

/// <summary>
/// A tensor's trailing matrices as one float64 host array, for the factorisations in this folder. Every device goes
/// through here: a cuda tensor is downloaded (through its backend) and the results uploaded again, the host round trip
/// PyTorch's MAGMA path also makes for small matrices; the factorisations themselves are sequential by nature.
/// </summary>
internal sealed class MatrixBatch
{
    public readonly double[] Data;
    public readonly long[] BatchShape;
    public readonly int Count, Rows, Cols;

    private MatrixBatch(double[] data, long[] batchShape, int rows, int cols)
    {
        Data = data; BatchShape = batchShape; Rows = rows; Cols = cols;
        Count = checked((int)Shapes.Numel(batchShape));
    }

    public int Size => Rows * Cols;
    public Span<double> this[int b] => Data.AsSpan(b * Size, Size);

    /// <summary>The values of <paramref name="t"/> (…, rows, cols) in float64, whatever its device, strides or dtype.</summary>
    public static MatrixBatch Of(Tensor t)
    {
        double[] data;
        using (new NoGradScope()) data = t.detach().contiguous().ToArray<double>();
        return new MatrixBatch(data, t._shape[..^2], checked((int)t._shape[^2]), checked((int)t._shape[^1]));
    }

    /// <summary>A zeroed batch of <paramref name="rows"/>×<paramref name="cols"/> matrices.</summary>
    public static MatrixBatch Zeros(long[] batchShape, int rows, int cols) =>
        new(new double[checked((int)Shapes.Numel(batchShape) * rows * cols)], batchShape, rows, cols);

    /// <summary>Row-major float64 values of shape <paramref name="shape"/> as a tensor of <paramref name="like"/>'s dtype and device.</summary>
    public static Tensor ToTensor(double[] values, long[] shape, Tensor like) => ToTensor(values, shape, like.dtype, like.device);

    public static Tensor ToTensor(double[] values, long[] shape, DType dtype, Device device)
    {
        using (new NoGradScope())
        {
            var t = torch.tensor(values, dtype: torch.float64).reshape(shape);
            if (dtype != torch.float64) t = t.to(dtype);
            return device.type == "cpu" ? t : t.to(device);
        }
    }

    public Tensor ToTensor(Tensor like) => ToTensor(Data, [.. BatchShape, Rows, Cols], like);

    /// <summary>Integers (info codes, pivots, ranks) as an int32 or int64 tensor on <paramref name="device"/>.</summary>
    public static Tensor Ints(int[] values, long[] shape, DType dtype, Device device)
    {
        using (new NoGradScope())
        {
            var t = torch.tensor(values, dtype: dtype).reshape(shape);
            return device.type == "cpu" ? t : t.to(device);
        }
    }
}
