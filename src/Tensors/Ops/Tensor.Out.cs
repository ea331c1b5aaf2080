using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

// resize_ and the rules every `out=` argument follows (torch.add(a, b, @out: c)): the out= overloads themselves are in
// torch.Out.cs; what they share is here, so the rules are written once.
public sealed partial class Tensor
{
    /// <summary>
    /// Gives this tensor a new shape in place, contiguous from its storage offset; the storage grows (contents
    /// unspecified) when it is too small. PyTorch's <c>resize_</c>: refused on a tensor that requires grad.
    /// </summary>
    /// <param name="size">The new shape; <c>resize_(0)</c> empties a tensor so it can be reused as an out= argument.</param>
    public Tensor resize_(params long[] size)
    {
        // torch/csrc/autograd/VariableTypeManual.cpp resize_.
        if (_requiresGrad && GradMode.Enabled) throw new InvalidOperationException("cannot resize variables that require grad");
        foreach (var s in size)
            if (s < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: [{string.Join(", ", size)}]");
        ResizeRaw((long[])size.Clone());
        return this;
    }

    internal void ResizeRaw(long[] shape)
    {
        var n = Shapes.Numel(shape);
        var storage = _storage;
        long offset = _offset;
        if (offset + n > storage.Count)
        {
            storage = Backend.Backends.For(device).Allocate(dtype, Geometry.AllocationNumel(shape, dtype.itemsize));
            offset = 0;
        }
        SetWindow(storage, shape, Shapes.ContiguousStrides(shape), offset);
        Geometry.CheckInBounds(_storage, _shape, _strides, _offset);
    }
}

/// <summary>
/// PyTorch's rules for an <c>out=</c> argument: autograd refuses it when anything requires grad (the generated
/// VariableType's throw_error_out_requires_grad), the result must be castable to out's dtype (TensorIterator's
/// canCast check), out is resized to the result's shape with a UserWarning when it held elements
/// (ATen/native/Resize.cpp resize_output_check), then the result is written into out's memory.
/// </summary>
internal static class OutArgument
{
    /// <summary>Computes <paramref name="compute"/> without recording and writes it into <paramref name="out"/>.</summary>
    public static Tensor Into(string op, Tensor @out, Func<Tensor> compute, params Tensor[] inputs)
    {
        RefuseGrad(op, @out, inputs);
        Tensor r;
        using (new NoGradScope()) r = compute();
        return Write(@out, r);
    }

    /// <summary>torch/csrc/autograd/VariableTypeUtils.h throw_error_out_requires_grad, checked before anything runs.</summary>
    public static void RefuseGrad(string op, Tensor @out, params Tensor[] inputs)
    {
        if (!GradMode.Enabled) return;
        bool any = @out._requiresGrad;
        foreach (var t in inputs) any |= t._requiresGrad;
        if (any)
            throw new InvalidOperationException(
                $"{op}(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.");
    }

    /// <summary>Casts (where allowed), resizes and copies <paramref name="result"/> into <paramref name="out"/>.</summary>
    public static Tensor Write(Tensor @out, Tensor result)
    {
        if (@out.device != result.device)
            throw new InvalidOperationException(Tensor.MixedDevicesMessage(result.device, @out.device));
        if (!CanCast(result.dtype, @out.dtype))
            throw new InvalidOperationException(
                $"result type {Tensor.DTypeTitle(result.dtype)} can't be cast to the desired output type {Tensor.DTypeTitle(@out.dtype)}");
        Resize(@out, result._shape);
        @out.Kernels.Copy((result.dtype == @out.dtype ? result : result.CastRaw(@out.dtype)).Buffer, @out.Buffer);
        @out._version.Bump();
        return @out;
    }

    /// <summary>at::native::resize_output: a same-shaped out is kept; a non-empty one of another shape warns first.</summary>
    public static void Resize(Tensor @out, long[] shape)
    {
        if (Shapes.SameShape(@out._shape, shape)) return;
        if (@out.numel() != 0)
            warnings.warn(
                $"An output with one or more elements was resized since it had shape [{string.Join(", ", @out._shape)}], " +
                $"which does not match the required output shape [{string.Join(", ", shape)}]. This behavior is deprecated, " +
                "and in a future PyTorch release outputs will not be resized unless they have zero elements. You can " +
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).");
        @out.ResizeRaw((long[])shape.Clone());
    }

    /// <summary>
    /// A structured kernel's resize_out: an out whose dtype the op fixes (max's values keep the input's dtype, its
    /// indices are int64) must have it. The dtype is printed as c10's TypeMeta names it (C++ type names).
    /// </summary>
    public static void RequireDType(Tensor @out, DType expected)
    {
        if (@out.dtype != expected)
            throw new InvalidOperationException($"Expected out tensor to have dtype {TypeMetaName(expected)}, but got {TypeMetaName(@out.dtype)} instead");
    }

    /// <summary>c10::canCast: no float to integral, nothing but bool to bool.</summary>
    public static bool CanCast(DType from, DType to) =>
        !(from.is_floating_point && !to.is_floating_point) && !(!from.IsBool && to.IsBool);

    // c10/util/typeid.h: TypeMeta's name is the C++ type's name, as gcc spells it.
    private static string TypeMetaName(DType d) => d.Kind switch
    {
        ScalarType.Float32 => "float", ScalarType.Float64 => "double", ScalarType.Float16 => "c10::Half",
        ScalarType.BFloat16 => "c10::BFloat16", ScalarType.Int64 => "long int", ScalarType.Int32 => "int",
        ScalarType.Int16 => "short int", ScalarType.Int8 => "signed char", ScalarType.UInt8 => "unsigned char",
        _ => "bool",
    };
}
