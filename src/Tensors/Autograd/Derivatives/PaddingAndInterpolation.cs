namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for F.pad (formulas in nn/functional/Padding.cs).
internal static partial class Derivatives
{
    private static readonly InputDerivative IndexedPad = (Saves.None, Padding.IndexedBackward);

    public static readonly Derivative
        // ints: the pad amounts; the gradient is the opposite pad (a crop).
        ConstantPadNd = new("ConstantPadNdBackward0", (Saves.None, static c => Padding.Constant(c.grad, Array.ConvertAll(c.ints, p => -p), 0))),
        // state: (dim, source positions) per padded dim.
        ReflectionPad1D = new("ReflectionPad1DBackward0", IndexedPad), ReflectionPad2D = new("ReflectionPad2DBackward0", IndexedPad),
        ReflectionPad3D = new("ReflectionPad3DBackward0", IndexedPad), ReplicationPad1D = new("ReplicationPad1DBackward0", IndexedPad),
        ReplicationPad2D = new("ReplicationPad2DBackward0", IndexedPad), ReplicationPad3D = new("ReplicationPad3DBackward0", IndexedPad),
        CircularPad1D = new("CircularPad1DBackward0", IndexedPad), CircularPad2D = new("CircularPad2DBackward0", IndexedPad),
        CircularPad3D = new("CircularPad3DBackward0", IndexedPad);
}

// derivatives.yaml's rows for F.interpolate (formulas in nn/functional/Interpolate.cs).
internal static partial class Derivatives
{
    public static readonly Derivative
        // state: (row indices, column indices)
        UpsampleNearest2D = new("UpsampleNearest2DBackward0", (Saves.None, Interpolation.NearestBackward)),
        // state: BilinearArgs
        UpsampleBilinear2D = new("UpsampleBilinear2DBackward0", (Saves.None, Interpolation.BilinearBackward));
}
