using System.Collections;

namespace Notebooks.Tensors;

// torch.tensor (copies, infers dtype as PyTorch does for Python lists) and torch.from_array (shares memory).
public static partial class torch
{
    public static Tensor tensor(double value, DType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar0(value, dtype ?? _defaultDType, device, requires_grad);
    public static Tensor tensor(float value, DType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar0(value, dtype ?? _defaultDType, device, requires_grad);
    public static Tensor tensor(long value, DType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar0(value, dtype ?? DType.Int64, device, requires_grad);
    public static Tensor tensor(int value, DType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar0(value, dtype ?? DType.Int64, device, requires_grad);
    public static Tensor tensor(bool value, DType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar0(value, dtype ?? DType.Bool, device, requires_grad);

    private static Tensor Scalar0(Scalar v, DType dt, Device? device, bool requires_grad)
    {
        var t = Tensor.Empty([], dt, Dev(device));
        t.Kernels.Fill(t.Buffer, v);
        return Finish(t, requires_grad);
    }

    // Typed overloads so C# collection expressions ([1.0, 2.0], [[1, 2], [3, 4]]) pick an element type.
    public static Tensor tensor(double[] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(float[] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(long[] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(int[] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(bool[] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(double[][] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(float[][] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(long[][] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(int[][] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(bool[][] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(double[][][] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);
    public static Tensor tensor(int[][][] data, DType? dtype = null, Device? device = null, bool requires_grad = false) => tensor((Array)data, dtype, device, requires_grad);

    /// <summary>
    /// Copies a .NET array (1-D, rectangular like <c>int[,]</c>, or jagged) into a new tensor. As PyTorch does with
    /// Python lists: integers become int64, floating-point values the default float dtype, unless <paramref name="dtype"/> says otherwise.
    /// </summary>
    public static Tensor tensor(Array data, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var shape = new List<long>();
        var leafType = InferShape(data, shape);
        var values = new List<double>();
        var longs = new List<long>();
        bool isFloat = leafType == typeof(double) || leafType == typeof(float) || leafType == typeof(Half) || leafType == typeof(BFloat16);
        bool isBool = leafType == typeof(bool);
        if (leafType == typeof(Tensor)) return FromTensors(data, dtype, device, requires_grad);
        if (!isFloat && !isBool && !IsIntegerType(leafType))
            throw new ArgumentException($"Could not infer dtype of {leafType.Name}");
        var dt = dtype ?? (isFloat ? _defaultDType : isBool ? DType.Bool : DType.Int64);
        var shp = shape.ToArray();
        var t = Tensor.Empty(shp, dt, Dev(device));
        if (isFloat)
        {
            var buf = new double[t.numel()]; int i = 0;
            Flatten(data, o => buf[i++] = Convert.ToDouble(o is Half h ? (double)h : o is BFloat16 b ? (double)b : o, System.Globalization.CultureInfo.InvariantCulture));
            UploadConverted(t, buf);
        }
        else
        {
            var buf = new long[t.numel()]; int i = 0;
            Flatten(data, o => buf[i++] = o is bool b ? (b ? 1 : 0) : Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture));
            UploadConverted(t, buf);
        }
        return Finish(t, requires_grad);
    }

    private static bool IsIntegerType(Type t) =>
        t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) ||
        t == typeof(ulong) || t == typeof(uint) || t == typeof(ushort);

    /// <summary>
    /// Walks a (possibly jagged) array for its shape, checking every row has the length of the first at its depth, as
    /// PyTorch's recursive_store checks nested lists (torch/csrc/utils/tensor_new.cpp): "expected sequence of length 2
    /// at dim 2 (got 1)" counts dims from the outermost list. A null row is Python's None in a list, whose dtype
    /// cannot be inferred.
    /// </summary>
    private static Type InferShape(Array a, List<long> shape, int depth = 0)
    {
        for (int r = 0; r < a.Rank; r++) shape.Add(a.GetLength(r));
        var et = a.GetType().GetElementType()!;
        if (!et.IsArray) return et;
        if (a.Length == 0) return et.GetElementType()!;
        foreach (var o in a)
            if (o is null) throw new ArgumentException("Could not infer dtype of NoneType");
        Array first = (Array)a.GetValue(FirstIndex(a))!;
        int childDepth = depth + a.Rank;
        var sub = new List<long>();
        var leaf = InferShape(first, sub, childDepth);
        foreach (var o in a) CheckLengths((Array)o, sub, childDepth);
        shape.AddRange(sub);
        return leaf;
    }

    /// <summary>Checks a row against the sizes the first row gave, depth first as recursive_store visits them.</summary>
    private static void CheckLengths(Array a, List<long> sizes, int depth, int at = 0)
    {
        for (int r = 0; r < a.Rank; r++)
            if (a.GetLength(r) != sizes[at + r])
                throw new ArgumentException($"expected sequence of length {sizes[at + r]} at dim {depth + r} (got {a.GetLength(r)})");
        if (!a.GetType().GetElementType()!.IsArray) return;
        foreach (var o in a)
        {
            if (o is null) throw new ArgumentException("Could not infer dtype of NoneType");
            CheckLengths((Array)o, sizes, depth + a.Rank, at + a.Rank);
        }
    }

    private static int[] FirstIndex(Array a) => new int[a.Rank];

    private static void Flatten(Array a, Action<object> sink)
    {
        foreach (var o in a)
        {
            if (o is Array child) Flatten(child, sink);
            else sink(o!);
        }
    }

    private static Tensor FromTensors(Array data, DType? dtype, Device? device, bool requires_grad)
    {
        var parts = new List<Tensor>();
        foreach (var o in data) parts.Add(o is Array a ? FromTensors(a, dtype, device, false) : ((Tensor)o!).detach());
        var r = stack(parts.ToArray());
        if (dtype is { } d) r = r.to(d);
        return Finish(r.detach().CloneDetached(), requires_grad);
    }

    /// <summary>
    /// The <c>torch.from_numpy</c> analogue: wraps a .NET array (any rank) without copying. The element type is kept
    /// and writes through either the array or the tensor are seen by the other.
    /// </summary>
    public static Tensor from_array(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var et = array.GetType().GetElementType()!;
        var dt = DType.FromClr(et) ?? throw new ArgumentException(
            $"can't convert an array of {et.Name}. The only supported types are: double, float, Half, long, int, short, sbyte, byte, and bool.");
        var shape = new long[array.Rank];
        for (int r = 0; r < array.Rank; r++) shape[r] = array.GetLength(r);
        return new Tensor(Backend.HostMemory.Wrap(dt, array), shape, Shapes.ContiguousStrides(shape), 0);
    }

    public static Tensor as_tensor(Array data, DType? dtype = null)
    {
        var t = from_array(data);
        return dtype is null || dtype == t.dtype ? t : t.to(dtype);
    }
}
