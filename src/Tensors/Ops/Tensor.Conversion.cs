using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

// Moving between dtypes and devices, and reading values out to .NET.
public sealed partial class Tensor
{
    /// <summary>Converts to a dtype (a copy, differentiable: ToCopyBackward0); returns this if nothing changes.</summary>
    public Tensor to(DType dtype, bool copy = false)
    {
        if (dtype == this.dtype && !copy) return this;
        var r = CastRaw(dtype);
        if (ReferenceEquals(r, this)) r = CloneDetached();
        return dtype.is_floating_point ? D.ToCopy.Record(r, this) : r;
    }

    public Tensor to(Device device, DType? dtype = null, bool copy = false)
    {
        var r = dtype is { } d ? to(d, copy) : this;
        if (device.type == this.device.type && (device.index is null || device.index == (this.device.index ?? 0)))
            return r;
        return r.ToDevice(device);
    }

    public Tensor to(string device) => to(Device.Parse(device));
    public Tensor to(Tensor other) => to(other.device, other.dtype);

    /// <summary>A copy on another device (differentiable: the gradient goes back to this tensor's device).</summary>
    private Tensor ToDevice(Device device)
    {
        var r = ToDeviceRaw(device);
        return dtype.is_floating_point ? D.ToCopy.Record(r, this, state: this.device) : r;
    }

    /// <summary>This tensor on the CPU (itself when already there).</summary>
    public Tensor cpu() => to(Device.CPU);
    /// <summary>This tensor on a CUDA device.</summary>
    public Tensor cuda(int device = 0) => to(new Device("cuda", device));

    /// <summary>This tensor converted to dtype.</summary>
    public Tensor type(DType dtype) => to(dtype);
    public Tensor @float() => to(DType.Float32);
    public Tensor @double() => to(DType.Float64);
    public Tensor half() => to(DType.Float16);
    public Tensor bfloat16() => to(DType.BFloat16);
    public Tensor @long() => to(DType.Int64);
    public Tensor @int() => to(DType.Int32);
    public Tensor @short() => to(DType.Int16);
    public Tensor @char() => to(DType.Int8);
    public Tensor @byte() => to(DType.UInt8);
    public Tensor @bool() => to(DType.Bool);

    /// <summary>The single value of a one-element tensor, converted to <typeparamref name="T"/>.</summary>
    public T item<T>() where T : unmanaged
    {
        if (numel() != 1)
            throw new InvalidOperationException($"a Tensor with {numel()} elements cannot be converted to Scalar");
        var one = new Tensor(_storage, [], [], _offset);
        var host = new T[1];
        if (dtype == DType.Of<T>()) Kernels.Download<T>(one.Buffer, host);
        else
        {
            var c = Empty([], DType.Of<T>(), Device.CPU);
            Kernels.Copy(one.Buffer, c.Buffer);
            c.Kernels.Download<T>(c.Buffer, host);
        }
        return host[0];
    }

    /// <summary>
    /// The one value as Python's number (Python's <c>item()</c>): a <see cref="Scalar"/> that is a double in arithmetic
    /// and comparisons (<c>loss.item() &lt; 1e-3</c>), converts explicitly to long/int/float/bool, prints as Python
    /// prints it (<c>2.0</c>, <c>3</c>, <c>True</c>) and formats with Python's mini-language.
    /// </summary>
    public Scalar item()
    {
        if (dtype.is_floating_point) return item<double>();
        if (dtype.IsBool) return item<bool>();
        return item<long>();
    }

    /// <summary>A flat row-major copy of the values.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var n = numel();
        var r = new T[n];
        if (dtype == DType.Of<T>()) { Kernels.Download<T>(Buffer, r); return r; }
        var c = CastRaw(DType.Of<T>());
        c.Kernels.Download<T>(c.Buffer, r);
        return r;
    }

    /// <summary>Nested lists of values (PyTorch's <c>tolist()</c>): a scalar for 0-dim tensors.</summary>
    public object tolist()
    {
        if (_shape.Length == 0)
        {
            var v = item();
            return v.IsFloating ? v.Double : v.IsBool ? v.Long != 0 : v.Long;
        }
        var list = new List<object>();
        for (long i = 0; i < _shape[0]; i++) list.Add(Narrowed(0, i, i + 1, 1).SqueezeFirst().tolist());
        return list;
    }

    private Tensor SqueezeFirst() => new(_storage, _shape[1..], _strides[1..], _offset, _version);

    /// <summary>The values as a span over the storage (the <c>numpy()</c> analogue): contiguous CPU tensors only.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (!is_cpu) throw new InvalidOperationException($"can't convert {device} device type tensor to a span. Use Tensor.cpu() to copy the tensor to host memory first.");
        if (_requiresGrad) throw new InvalidOperationException("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
        if (!is_contiguous()) throw new InvalidOperationException("AsSpan needs a contiguous tensor; call contiguous() first");
        if (DType.Of<T>() != dtype) throw new InvalidOperationException($"AsSpan<{typeof(T).Name}> on a tensor of {dtype}");
        // The span may outlive this tensor in the caller's hands: its memory must never be lent to another tensor.
        Backend.HostMemory.Array(Buffer);
        return Backend.HostMemory.Elements<T>(Buffer);
    }

    /// <summary>A copy as a rectangular .NET array of the tensor's rank (e.g. <c>float[,]</c>).</summary>
    public Array ToMultiArray()
    {
        var lengths = Array.ConvertAll(_shape.Length == 0 ? [1L] : _shape, d => (int)d);
        var arr = Array.CreateInstance(dtype.ClrType, lengths);
        var t = new Tensor(Backend.HostMemory.Wrap(dtype, arr), _shape, Shapes.ContiguousStrides(_shape), 0);
        Kernels.Copy(Buffer, t.Buffer);
        return arr;
    }

    public static explicit operator double(Tensor t) => t.item<double>();
    public static explicit operator float(Tensor t) => t.item<float>();
    public static explicit operator long(Tensor t) => t.item<long>();
    public static explicit operator int(Tensor t) => t.item<int>();
    public static explicit operator bool(Tensor t) => t.__bool__();
}
