using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// add, sub, mul, div, pow, neg and their operators. Each forward records its node from Autograd/Derivatives.
public sealed partial class Tensor
{
    public Tensor add(Tensor other, Scalar? alpha = null)
    {
        var dt = Promotion.ResultType(this, other);
        // With alpha, ATen's add is fmadd(other, alpha, self): one rounding.
        var r = alpha is { } a && a.ToDouble() != 1 ? MulAddRaw(other, Wrap(a), this, dt) : BinaryRaw(BinaryOp.Add, this, other, dt);
        return D.Add.Record(r, this, other, scalar: alpha ?? 1);
    }

    public Tensor add(Scalar other, Scalar? alpha = null)
    {
        // AddBackward0 keeps only the number's shape and dtype (it needs no gradient), so the scratch may stand in.
        if ((alpha is null || alpha.Value.ToDouble() == 1) && ScalarOpFast(BinaryOp.Add, other, recording: true) is { } r)
        {
            return GradMode.ShouldRecord(this) ? D.Add.Record(r, this, ScratchScalar(other, dtype, 0)!, scalar: alpha ?? 1) : r;
        }
        return add(Wrap(other), alpha);
    }

    public Tensor sub(Tensor other, Scalar? alpha = null)
    {
        if (dtype.IsBool && other.dtype.IsBool)
            throw new InvalidOperationException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
        var dt = Promotion.ResultType(this, other);
        // sub(self, other, alpha) is add(self, other, -alpha) in ATen: fmadd(other, -alpha, self).
        var r = alpha is { } a && a.ToDouble() != 1
            ? MulAddRaw(other, Wrap(a.IsFloating ? (Scalar)(-a.Double) : -a.Long), this, dt)
            : BinaryRaw(BinaryOp.Sub, this, other, dt);
        return D.Sub.Record(r, this, other, scalar: alpha ?? 1);
    }

    public Tensor sub(Scalar other, Scalar? alpha = null)
    {
        if ((alpha is null || alpha.Value.ToDouble() == 1) && ScalarOpFast(BinaryOp.Sub, other, recording: true) is { } r)
        {
            return GradMode.ShouldRecord(this) ? D.Sub.Record(r, this, ScratchScalar(other, dtype, 0)!, scalar: alpha ?? 1) : r;
        }
        return sub(Wrap(other), alpha);
    }

    public Tensor mul(Tensor other)
    {
        // A wrapped number (a backward formula's saved scalar): the number fed straight to the kernel, as mul(Scalar) does.
        if (other._isWrappedNumber && !_isWrappedNumber && !GradMode.ShouldRecord(this, other) && WrappedValue(other) is { } s && ScalarOpFast(BinaryOp.Mul, s) is { } fast)
            return fast;
        return D.Mul.Record(BinaryRaw(BinaryOp.Mul, this, other, Promotion.ResultType(this, other)), this, other);
    }

    public Tensor mul(Scalar other)
    {
        if (!GradMode.ShouldRecord(this)) return ScalarOpFast(BinaryOp.Mul, other) ?? mul(Wrap(other));
        // Recording: the product through the fast kernel, and MulBackward0 keeping the wrapped number as PyTorch does
        // (the scratch scalar is reused, so it cannot be what the node saves).
        if (ScalarOpFast(BinaryOp.Mul, other, recording: true) is { } r)
            return D.Mul.Record(r, this, Wrap(other));
        return mul(Wrap(other));
    }

    /// <summary>True division: integers give the default float dtype. <paramref name="rounding_mode"/>: "trunc" or "floor".</summary>
    public Tensor div(Tensor other, string? rounding_mode = null)
    {
        var dt = Promotion.ResultType(this, other);
        if (rounding_mode is null)
        {
            var ft = Promotion.ToFloating(dt);
            return D.Div.Record(BinaryRaw(BinaryOp.Div, this, other, ft), this, other);
        }
        Tensor q = rounding_mode switch
        {
            "floor" => BinaryRaw(BinaryOp.FloorDivide, this, other, dt),
            "trunc" => dt.is_floating_point ? BinaryRaw(BinaryOp.Div, this, other, dt).UnaryRaw(UnaryOp.Trunc) : BinaryRaw(BinaryOp.Div, this, other, dt),
            _ => throw new ArgumentException($"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"),
        };
        return D.DivRounding.Record(q, this, other);
    }

    public Tensor div(Scalar other, string? rounding_mode = null) =>
        (rounding_mode is null ? ScalarOpFast(BinaryOp.Div, other) : null) ?? div(Wrap(other), rounding_mode);
    public Tensor true_divide(Tensor other) => div(other);
    public Tensor floor_divide(Tensor other) => div(other, "floor");
    public Tensor floor_divide(Scalar other) => div(other, "floor");

    public Tensor neg()
    {
        if (dtype.IsBool)
            throw new InvalidOperationException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        return D.Neg.Record(UnaryRaw(UnaryOp.Neg), this);
    }

    public Tensor negative() => neg();

    /// <summary>self raised to exponent element-wise.</summary>
    public Tensor pow(Scalar exponent)
    {
        // PowBackward0 keeps the number itself, not its wrapped tensor.
        if (ScalarOpFast(BinaryOp.Pow, exponent, recording: true) is { } fast) return D.PowScalar.Record(fast, this, scalar: exponent);
        var e = Wrap(exponent);
        var dt = Promotion.ResultType(this, e);
        return D.PowScalar.Record(BinaryRaw(BinaryOp.Pow, this, e, dt), this, scalar: exponent);
    }

    /// <summary>self raised to exponent element-wise.</summary>
    public Tensor pow(Tensor exponent)
    {
        var dt = Promotion.ResultType(this, exponent);
        return D.PowTensor.Record(BinaryRaw(BinaryOp.Pow, this, exponent, dt), this, exponent);
    }

    public Tensor square() => pow(2);

    public Tensor remainder(Tensor other) => D.Remainder.Record(BinaryRaw(BinaryOp.Remainder, this, other, Promotion.ResultType(this, other)), this, other);
    public Tensor remainder(Scalar other) => remainder(Wrap(other));
    public Tensor fmod(Tensor other) => D.Fmod.Record(BinaryRaw(BinaryOp.Fmod, this, other, Promotion.ResultType(this, other)), this, other);
    public Tensor fmod(Scalar other) => fmod(Wrap(other));

    /// <summary>The number a CPU wrapped-number tensor holds; null for other tensors and for bools.</summary>
    private static Scalar? WrappedValue(Tensor t)
    {
        if (!t._isWrappedNumber || !Backend.HostMemory.IsHost(t.Buffer)) return null;
        return t.dtype.Kind switch
        {
            ScalarType.Float64 => (Scalar)Backend.HostMemory.Storage<double>(t.Buffer)[(int)t._offset],
            ScalarType.Int64 => (Scalar)Backend.HostMemory.Storage<long>(t.Buffer)[(int)t._offset],
            _ => null,
        };
    }

    /// <summary>
    /// op(self, number) without wrapping the number, when autograd does not record and self is a CPU float32/float64
    /// tensor: the number, cast once to self's dtype (as the wrapped float64/int64 number would be), feeds the same
    /// kernel with a stride-0 operand. Null when the wrapped path must run. With <paramref name="recording"/> the
    /// caller attaches a node that keeps no reference to the number's tensor (the scratch is reused).
    /// </summary>
    private Tensor? ScalarOpFast(BinaryOp op, Scalar other, bool reversed = false, bool recording = false)
    {
        if (!recording && GradMode.Enabled && _requiresGrad) return null;
        if (!is_cpu || dtype.Kind is not (ScalarType.Float32 or ScalarType.Float64)) return null;
        if (ScratchScalar(other, dtype, 0) is not { } s) return null;
        var r = EmptyForWrite(_shape, dtype, device);
        var se = s.ExpandRaw(_shape);
        if (reversed) Backends.Cpu.Binary(op, se.Buffer, Buffer, r.Buffer);
        else Backends.Cpu.Binary(op, Buffer, se.Buffer, r.Buffer);
        return r;
    }

    /// <summary>
    /// expand(g reshaped to the kept-dims shape, inShape) · scale for a contiguous CPU float32/float64 g: the product
    /// <c>ExpandBack(g) * scale</c> computes, read through a raw broadcast view. Null where that path must run.
    /// </summary>
    internal static Tensor? ExpandScaleRaw(Tensor g, long[] inShape, long[] dims, bool keepdim, double scale)
    {
        if (!g.is_cpu || g.dtype.Kind is not (ScalarType.Float32 or ScalarType.Float64) || !g.is_contiguous()) return null;
        long[] keep;
        if (!keepdim && inShape.Length > 0)
        {
            keep = (long[])inShape.Clone();
            if (dims.Length == 0) Array.Fill(keep, 1L);
            else foreach (var d in dims) keep[Shapes.WrapDim(d, inShape.Length)] = 1;
        }
        else keep = g._shape;
        if (Shapes.Numel(keep) != g.numel() || ScratchScalar(scale, g.dtype, 0) is not { } s) return null;
        var e = new Tensor(g._storage, keep, Shapes.ContiguousStrides(keep), g._offset).ExpandRaw(inShape);
        var r = EmptyForWrite(inShape, g.dtype, Device.CPU);
        Backends.Cpu.Binary(BinaryOp.Mul, e.Buffer, s.ExpandRaw(inShape).Buffer, r.Buffer);
        return r;
    }

    // ---- operators ----
    public static Tensor operator +(Tensor a, Tensor b) => ParameterUpdates.Remember(a.add(b), a, '+', b);
    public static Tensor operator +(Tensor a, Scalar b) => ParameterUpdates.Remember(a.add(b), a, '+', b);
    public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => ParameterUpdates.Remember(a.sub(b), a, '-', b);
    public static Tensor operator -(Tensor a, Scalar b) => ParameterUpdates.Remember(a.sub(b), a, '-', b);
    public static Tensor operator -(Scalar a, Tensor b) => b.rsub(a);
    public static Tensor operator *(Tensor a, Tensor b) => ParameterUpdates.Remember(a.mul(b), a, '*', b);
    public static Tensor operator *(Tensor a, Scalar b) => ParameterUpdates.Remember(a.mul(b), a, '*', b);
    public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => ParameterUpdates.Remember(a.div(b), a, '/', b);
    public static Tensor operator /(Tensor a, Scalar b) => ParameterUpdates.Remember(a.div(b), a, '/', b);
    // Python's Tensor.__rtruediv__ is `self.reciprocal() * other`: 2 / x rounds twice and records MulBackward0.
    public static Tensor operator /(Scalar a, Tensor b) => b.reciprocal().mul(a);
    public static Tensor operator %(Tensor a, Tensor b) => a.remainder(b);
    public static Tensor operator %(Tensor a, Scalar b) => a.remainder(b);
    public static Tensor operator -(Tensor a) => a.neg();
    public static Tensor operator +(Tensor a) => a;

    /// <summary><c>other - self</c> for a number (PyTorch's rsub, as in <c>1 - x</c>).</summary>
    public Tensor rsub(Scalar other)
    {
        if (ScalarOpFast(BinaryOp.Sub, other, reversed: true, recording: true) is { } fast) return D.Rsub.Record(fast, this);
        var o = Wrap(other);
        return D.Rsub.Record(BinaryRaw(BinaryOp.Sub, o, this, Promotion.ResultType(this, o)), this);
    }
}
