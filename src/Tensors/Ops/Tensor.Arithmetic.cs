using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// add, sub, mul, div, pow, neg and their operators. Each forward records its node from Autograd/Derivatives.
public sealed partial class Tensor
{
    public Tensor add(Tensor other, Scalar? alpha = null)
    {
        var dt = Promotion.ResultType(this, other);
        // With alpha, ATen's add is fmadd(other, alpha, self): one rounding.
        var r = alpha is { } a && a.ToDouble() != 1 ? MulAddRaw(other, Wrap(a), this, dt) : BinaryRaw(BinaryOp.Add, this, other, dt);
        if (GradMode.ShouldRecord(this, other)) r.WithGrad(new AddBackward0(this, other, alpha ?? 1));
        return r;
    }

    public Tensor add(Scalar other, Scalar? alpha = null)
    {
        // AddBackward0 keeps only the number's shape and dtype (it needs no gradient), so the scratch may stand in.
        if ((alpha is null || alpha.Value.ToDouble() == 1) && ScalarOpFast(BinaryOp.Add, other, recording: true) is { } r)
        {
            if (GradMode.ShouldRecord(this)) r.WithGrad(new AddBackward0(this, ScratchScalar(other, dtype, 0)!, alpha ?? 1));
            return r;
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
        if (GradMode.ShouldRecord(this, other)) r.WithGrad(new SubBackward0(this, other, alpha ?? 1));
        return r;
    }

    public Tensor sub(Scalar other, Scalar? alpha = null)
    {
        if ((alpha is null || alpha.Value.ToDouble() == 1) && ScalarOpFast(BinaryOp.Sub, other, recording: true) is { } r)
        {
            if (GradMode.ShouldRecord(this)) r.WithGrad(new SubBackward0(this, ScratchScalar(other, dtype, 0)!, alpha ?? 1));
            return r;
        }
        return sub(Wrap(other), alpha);
    }

    public Tensor mul(Tensor other)
    {
        // A wrapped number (a backward formula's saved scalar): the number fed straight to the kernel, as mul(Scalar) does.
        if (other._isWrappedNumber && !_isWrappedNumber && !GradMode.ShouldRecord(this, other) && WrappedValue(other) is { } s && ScalarOpFast(BinaryOp.Mul, s) is { } fast)
            return fast;
        var r = BinaryRaw(BinaryOp.Mul, this, other, Promotion.ResultType(this, other));
        if (GradMode.ShouldRecord(this, other)) r.WithGrad(new MulBackward0(this, other));
        return r;
    }

    public Tensor mul(Scalar other)
    {
        if (!GradMode.ShouldRecord(this)) return ScalarOpFast(BinaryOp.Mul, other) ?? mul(Wrap(other));
        // Recording: the product through the fast kernel, and MulBackward0 keeping the wrapped number as PyTorch does
        // (the scratch scalar is reused, so it cannot be what the node saves).
        if (ScalarOpFast(BinaryOp.Mul, other, recording: true) is { } r)
            return r.WithGrad(new MulBackward0(this, Wrap(other)));
        return mul(Wrap(other));
    }

    /// <summary>True division: integers give the default float dtype. <paramref name="rounding_mode"/>: "trunc" or "floor".</summary>
    public Tensor div(Tensor other, string? rounding_mode = null)
    {
        var dt = Promotion.ResultType(this, other);
        if (rounding_mode is null)
        {
            var ft = Promotion.ToFloating(dt);
            var r = BinaryRaw(BinaryOp.Div, this, other, ft);
            if (GradMode.ShouldRecord(this, other)) r.WithGrad(new DivBackward0(this, other));
            return r;
        }
        Tensor q = rounding_mode switch
        {
            "floor" => BinaryRaw(BinaryOp.FloorDivide, this, other, dt),
            "trunc" => dt.is_floating_point ? BinaryRaw(BinaryOp.Div, this, other, dt).UnaryRaw(UnaryOp.Trunc) : BinaryRaw(BinaryOp.Div, this, other, dt),
            _ => throw new ArgumentException($"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"),
        };
        if (GradMode.ShouldRecord(this, other)) q.WithGrad(new ZeroGradBackward("DivBackward1", this, other));
        return q;
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
        var r = UnaryRaw(UnaryOp.Neg);
        if (GradMode.ShouldRecord(this)) r.WithGrad(new NegBackward0(this));
        return r;
    }

    public Tensor negative() => neg();

    public Tensor pow(Scalar exponent)
    {
        // PowBackward0 keeps the number itself, not its wrapped tensor.
        if (ScalarOpFast(BinaryOp.Pow, exponent, recording: true) is { } fast)
        {
            if (GradMode.ShouldRecord(this)) fast.WithGrad(new PowBackward0(this, exponent));
            return fast;
        }
        var e = Wrap(exponent);
        var dt = Promotion.ResultType(this, e);
        var r = BinaryRaw(BinaryOp.Pow, this, e, dt);
        if (GradMode.ShouldRecord(this)) r.WithGrad(new PowBackward0(this, exponent));
        return r;
    }

    public Tensor pow(Tensor exponent)
    {
        var dt = Promotion.ResultType(this, exponent);
        var r = BinaryRaw(BinaryOp.Pow, this, exponent, dt);
        if (GradMode.ShouldRecord(this, exponent)) r.WithGrad(new PowBackward1(this, exponent, r));
        return r;
    }

    public Tensor square() => pow(2);

    public Tensor remainder(Tensor other) => NonDiffBinary(BinaryOp.Remainder, other, "RemainderBackward0");
    public Tensor remainder(Scalar other) => remainder(Wrap(other));
    public Tensor fmod(Tensor other) => NonDiffBinary(BinaryOp.Fmod, other, "FmodBackward0");
    public Tensor fmod(Scalar other) => fmod(Wrap(other));

    // remainder/fmod: d/dself = 1, d/dother = -floor(self/other) (or trunc); kept simple through composites.
    private Tensor NonDiffBinary(BinaryOp op, Tensor other, string name)
    {
        var dt = Promotion.ResultType(this, other);
        var r = BinaryRaw(op, this, other, dt);
        if (GradMode.ShouldRecord(this, other)) r.WithGrad(new RemainderBackward(name, this, other, op == BinaryOp.Fmod));
        return r;
    }

    /// <summary>The number a CPU wrapped-number tensor holds; null for other tensors and for bools.</summary>
    private static Scalar? WrappedValue(Tensor t)
    {
        if (!t._isWrappedNumber || t._storage is not Backend.Cpu.CpuStorage cs) return null;
        return t.dtype.Kind switch
        {
            ScalarType.Float64 => (Scalar)cs.Span<double>()[(int)t._offset],
            ScalarType.Int64 => (Scalar)cs.Span<long>()[(int)t._offset],
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
        if (reversed) Backends.Cpu.Binary(op, se, this, r);
        else Backends.Cpu.Binary(op, this, se, r);
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
        Backends.Cpu.Binary(BinaryOp.Mul, e, s.ExpandRaw(inShape), r);
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
        if (ScalarOpFast(BinaryOp.Sub, other, reversed: true, recording: true) is { } fast)
        {
            if (GradMode.ShouldRecord(this)) fast.WithGrad(new RsubBackward1(this));
            return fast;
        }
        var o = Wrap(other);
        var r = BinaryRaw(BinaryOp.Sub, o, this, Promotion.ResultType(this, o));
        if (GradMode.ShouldRecord(this)) r.WithGrad(new RsubBackward1(this));
        return r;
    }
}

/// <summary>Ops whose gradient is zero almost everywhere (rounding, integer-valued results).</summary>
internal sealed class ZeroGradBackward : Node
{
    private readonly string _name;
    private readonly InputMeta[] _meta;
    public ZeroGradBackward(string name, params Tensor[] inputs) : base(inputs)
    {
        _name = name;
        _meta = Array.ConvertAll(inputs, InputMeta.Of);
    }
    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var r = new Tensor?[_meta.Length];
        for (int i = 0; i < r.Length; i++)
            if (NeedsGrad(i)) r[i] = torch.zeros(_meta[i].Shape, dtype: _meta[i].DType, device: g[0]!.device);
        return r;
    }
}

internal sealed class RemainderBackward : Node
{
    private readonly string _name;
    private readonly InputMeta _a, _b;
    private SavedTensor _sa, _sb;
    private readonly bool _trunc;
    public RemainderBackward(string name, Tensor a, Tensor b, bool trunc) : base([a, b])
    {
        _name = name; _trunc = trunc; _a = InputMeta.Of(a); _b = InputMeta.Of(b);
        _sa = new SavedTensor(a, this); _sb = new SavedTensor(b, this);
    }
    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        Tensor? gb = null;
        if (NeedsGrad(1))
        {
            var q = _sa.Unpack().div(_sb.Unpack(), _trunc ? "trunc" : "floor");
            gb = _b.Fit(-gr * q);
        }
        return [NeedsGrad(0) ? _a.Fit(gr) : null, gb];
    }
    protected override void ReleaseSaved() { _sa.Release(); _sb.Release(); }
}
