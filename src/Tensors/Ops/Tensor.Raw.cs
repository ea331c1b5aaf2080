using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors;

// Graph-free building blocks the differentiable ops are made of: casting, broadcasting views, raw kernels.
public sealed partial class Tensor
{
    /// <summary>A contiguous copy in <paramref name="dt"/> (or this, if it already is that dtype).</summary>
    internal Tensor CastRaw(DType dt)
    {
        if (dt == dtype) return this;
        var r = EmptyForWrite(_shape, dt, device);
        Kernels.Copy(Buffer, r.Buffer);
        return r;
    }

    /// <summary>A broadcast view reading this tensor as <paramref name="shape"/> (stride 0 where expanded).</summary>
    internal Tensor ExpandRaw(long[] shape)
    {
        if (Shapes.SameShape(shape, _shape)) return this;
        return new Tensor(_storage, shape, Shapes.ExpandStrides(_shape, _strides, shape), _offset, _version);
    }

    internal Tensor ContiguousRaw()
    {
        if (is_contiguous()) return this;
        var r = EmptyForWrite(_shape, dtype, device);
        Kernels.Copy(Buffer, r.Buffer);
        return r;
    }

    /// <summary>A C# number as a 0-dim tensor that promotes like a Python scalar.</summary>
    internal static Tensor Wrap(Scalar s, Device? device = null)
    {
        var dt = s.IsFloating ? DType.Float64 : s.IsBool ? DType.Bool : DType.Int64;
        var t = Empty([], dt, device ?? Device.CPU);
        t.Kernels.Fill(t.Buffer, s);
        t._isWrappedNumber = true;
        return t;
    }

    internal static void CheckSameDevice(Tensor a, Tensor b)
    {
        if (a.device == b.device) return;
        // PyTorch lets a CPU scalar (0-dim) take part in an op on another device.
        if (a._shape.Length == 0 && a.is_cpu || b._shape.Length == 0 && b.is_cpu) return;
        throw new InvalidOperationException(MixedDevicesMessage(a.device, b.device));
    }

    /// <summary>
    /// The device check ATen's generated wrappers run before ops that are not TensorIterator ones (index_select,
    /// gather, scatter, index_add: check_and_update_common_device in c10/core/op_registration/adaption.cpp): each
    /// tensor argument against self's device, CPU scalars included. An op with a CUDA argument dispatches to its CUDA
    /// kernel, so a CPU self fails there too. <paramref name="method"/> is the wrapper's op part, e.g.
    /// "_index_select" (not structured) or "scatter__src" (structured, in place).
    /// </summary>
    internal static void CheckArgumentDevice(Tensor self, Tensor argument, string argumentName, string method)
    {
        if (self.device == argument.device) return;
        var key = self.is_cuda || argument.is_cuda ? "CUDA" : "CPU";
        throw new InvalidOperationException(
            $"Expected all tensors to be on the same device, but got {argumentName} is on {argument.device}, different from other tensors on {self.device} (when checking argument in method wrapper_{key}_{method})");
    }

    internal static string MixedDevicesMessage(Device a, Device b) =>
        $"Expected all tensors to be on the same device, but found at least two devices, {a} and {b}!";

    /// <summary>op(a, b) computed in <paramref name="compute"/>, broadcast; comparisons give bool.</summary>
    internal static Tensor BinaryRaw(BinaryOp op, Tensor a, Tensor b, DType compute)
    {
        CheckSameDevice(a, b);
        // Shape arrays are never written after construction, so an operand's can be the result's.
        var shape = b._shape.Length == 0 || Shapes.SameShape(a._shape, b._shape) ? a._shape
            : a._shape.Length == 0 ? b._shape : Shapes.BroadcastShared(a._shape, b._shape);
        var dev = a._shape.Length == 0 && a.is_cpu ? b.device : a.device;
        var outType = op.IsComparison ? DType.Bool : compute;
        var r = EmptyForWrite(shape, outType, dev);
        r.Kernels.Binary(op, a.OperandRaw(compute, dev).ExpandRaw(shape).Buffer, b.OperandRaw(compute, dev).ExpandRaw(shape).Buffer, r.Buffer);
        return r;
    }

    /// <summary>
    /// An element-wise op's input, cast to the compute dtype and moved to the op's device; a CPU scalar (0-dim) stays
    /// on the host, for the backend takes it as a value (PyTorch's CPU-scalar kernel argument): no upload per `x * 2`.
    /// </summary>
    private Tensor OperandRaw(DType compute, Device dev)
    {
        var c = CastRaw(compute);
        return c.is_cpu && c._shape.Length == 0 ? c : c.ToDeviceRaw(dev);
    }

    /// <summary>a·b + c in <paramref name="compute"/>, broadcast, rounded once (ATen's fmadd).</summary>
    internal static Tensor MulAddRaw(Tensor a, Tensor b, Tensor c, DType compute)
    {
        CheckSameDevice(a, c); CheckSameDevice(b, c);
        var shape = Shapes.BroadcastShared(Shapes.BroadcastShared(a._shape, b._shape), c._shape);
        var dev = c._shape.Length == 0 && c.is_cpu ? a.device : c.device;
        var r = EmptyForWrite(shape, compute, dev);
        r.Kernels.MulAdd(a.OperandRaw(compute, dev).ExpandRaw(shape).Buffer, b.OperandRaw(compute, dev).ExpandRaw(shape).Buffer,
            c.OperandRaw(compute, dev).ExpandRaw(shape).Buffer, r.Buffer);
        return r;
    }

    internal Tensor UnaryRaw(UnaryOp op, DType? compute = null)
    {
        var src = CastRaw(compute ?? dtype);
        var r = EmptyForWrite(_shape, src.dtype, device);
        Kernels.Unary(op, src.Buffer, r.Buffer);
        return r;
    }

    /// <summary>A contiguous copy on device <paramref name="d"/> (or this, if it is already there).</summary>
    internal Tensor ToDeviceRaw(Device d)
    {
        if (d == device || d.type == device.type && d.index is null) return this;
        var r = Empty(_shape, dtype, d);
        // The non-CPU side's backend knows how to cross to and from host memory.
        (r.is_cpu ? Kernels : r.Kernels).Copy(Buffer, r.Buffer);
        return r;
    }

    /// <summary>Writes <paramref name="src"/> (broadcast, any dtype) into this tensor's memory and bumps its version.</summary>
    internal void CopyFromRaw(Tensor src)
    {
        // Like PyTorch's copy_, this may cross devices.
        if (src.device != device) src = src.ToDeviceRaw(device);
        Kernels.Copy(src.ExpandRaw(_shape).Buffer, Buffer);
        _version.Bump();
    }
}
