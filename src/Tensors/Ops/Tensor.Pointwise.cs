using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// One-input math, comparisons, logical ops, where, clamp, maximum/minimum.
public sealed partial class Tensor
{
    /// <summary>A floating-point unary op: integer inputs compute in the default float dtype, as in PyTorch.</summary>
    internal Tensor FloatUnary(UnaryOp op, Derivative d) => d.Record(UnaryRaw(op, Promotion.ToFloating(dtype)), this);

    /// <summary>A unary op that keeps the dtype (abs, sign, rounding on any numeric type).</summary>
    private Tensor SameTypeUnary(UnaryOp op, Derivative d) => d.Record(UnaryRaw(op), this);

    /// <summary>e^x element-wise.</summary>
    public Tensor exp() => FloatUnary(UnaryOp.Exp, D.Exp);
    public Tensor exp2() => FloatUnary(UnaryOp.Exp2, D.Exp2);
    public Tensor expm1() => FloatUnary(UnaryOp.Expm1, D.Expm1);
    public Tensor log() => FloatUnary(UnaryOp.Log, D.Log);
    public Tensor log2() => FloatUnary(UnaryOp.Log2, D.Log2);
    public Tensor log10() => FloatUnary(UnaryOp.Log10, D.Log10);
    public Tensor log1p() => FloatUnary(UnaryOp.Log1p, D.Log1p);
    public Tensor sqrt() => FloatUnary(UnaryOp.Sqrt, D.Sqrt);
    public Tensor rsqrt() => FloatUnary(UnaryOp.Rsqrt, D.Rsqrt);
    public Tensor reciprocal() => FloatUnary(UnaryOp.Reciprocal, D.Reciprocal);
    public Tensor sin() => FloatUnary(UnaryOp.Sin, D.Sin);
    public Tensor cos() => FloatUnary(UnaryOp.Cos, D.Cos);
    public Tensor tan() => FloatUnary(UnaryOp.Tan, D.Tan);
    public Tensor asin() => FloatUnary(UnaryOp.Asin, D.Asin);
    public Tensor acos() => FloatUnary(UnaryOp.Acos, D.Acos);
    public Tensor atan() => FloatUnary(UnaryOp.Atan, D.Atan);
    public Tensor arcsin() => asin();
    public Tensor arccos() => acos();
    public Tensor arctan() => atan();
    public Tensor sinh() => FloatUnary(UnaryOp.Sinh, D.Sinh);
    public Tensor cosh() => FloatUnary(UnaryOp.Cosh, D.Cosh);
    /// <summary>Hyperbolic tangent element-wise.</summary>
    public Tensor tanh() => FloatUnary(UnaryOp.Tanh, D.Tanh);
    /// <summary>1 / (1 + e^-x) element-wise.</summary>
    public Tensor sigmoid() => FloatUnary(UnaryOp.Sigmoid, D.Sigmoid);
    public Tensor erf() => FloatUnary(UnaryOp.Erf, D.Erf);
    public Tensor erfc() => FloatUnary(UnaryOp.Erfc, D.Erfc);

    /// <summary>Absolute value element-wise.</summary>
    public Tensor abs() => SameTypeUnary(UnaryOp.Abs, D.Abs);
    public Tensor absolute() => abs();
    public Tensor sign() => SameTypeUnary(UnaryOp.Sign, D.Sign);
    public Tensor floor() => SameTypeUnary(UnaryOp.Floor, D.Floor);
    public Tensor ceil() => SameTypeUnary(UnaryOp.Ceil, D.Ceil);
    public Tensor trunc() => SameTypeUnary(UnaryOp.Trunc, D.Trunc);
    public Tensor frac() => SameTypeUnary(UnaryOp.Frac, D.Frac);

    public Tensor round(int decimals = 0)
    {
        if (decimals == 0) return SameTypeUnary(UnaryOp.Round, D.Round);
        var scale = Math.Pow(10, decimals);
        Tensor r;
        using (new NoGradScope()) r = (this * scale).round() / scale;
        // Recorded outside the no-grad scope (it used to sit inside, so round(decimals) lost its RoundBackward1).
        return D.RoundDecimals.Record(r, this);
    }

    /// <summary>max(x, 0) element-wise.</summary>
    public Tensor relu()
    {
        // ReluBackward0 keeps the result, not the zero: the scratch scalar may stand in for the wrapped 0.
        if (ScalarOpFast(BinaryOp.Maximum, 0, recording: true) is { } fast) return D.Relu.Record(fast, this);
        return D.Relu.Record(BinaryRaw(BinaryOp.Maximum, this, Wrap(0), dtype), this);
    }

    /// <summary>
    /// ReLU's backward, where(y &gt; 0, g, 0), without the wrapped zero and the zeros_like operand when nothing records
    /// and g, y are CPU float32/float64 tensors of one dtype and shape. Null otherwise.
    /// </summary>
    internal static Tensor? ReluBackwardRaw(Tensor g, Tensor y)
    {
        if (!SameCpuFloat(g, y)) return null;
        // One kernel picks g or +0 per element: the values where(y > 0, g, 0) gives, without the bool mask.
        var r = EmptyForWrite(g._shape, g.dtype, Device.CPU);
        return r.Kernels.TryReluBackward(g.Buffer, y.Buffer, r.Buffer) ? r : null;
    }

    /// <summary>
    /// pow(x, 2)'s backward, g · (x · 2), as one kernel when nothing records and g, x are CPU float32/float64 tensors of
    /// one dtype and shape: x · 2 is exact, so the single product rounds as the two-step formula does. Null otherwise.
    /// </summary>
    internal static Tensor? SquareBackwardRaw(Tensor g, Tensor x)
    {
        if (!SameCpuFloat(g, x)) return null;
        var r = EmptyForWrite(g._shape, g.dtype, Device.CPU);
        return r.Kernels.TrySquareBackward(g.Buffer, x.Buffer, r.Buffer) ? r : null;
    }

    private static bool SameCpuFloat(Tensor g, Tensor y) =>
        !GradMode.Enabled && g.is_cpu && y.is_cpu && g.dtype == y.dtype && g.dtype.Kind is ScalarType.Float32 or ScalarType.Float64 &&
        Shapes.SameShape(g._shape, y._shape);

    // ---- comparisons (bool results, never differentiable) ----
    private Tensor Compare(BinaryOp op, Tensor other) => BinaryRaw(op, this, other, Promotion.ResultType(this, other));

    /// <summary>Element-wise equality as a bool tensor (what == gives).</summary>
    public Tensor eq(Tensor other) => Compare(BinaryOp.Eq, other);
    /// <summary>Element-wise equality as a bool tensor (what == gives).</summary>
    public Tensor eq(Scalar other) => Compare(BinaryOp.Eq, Wrap(other));
    public Tensor ne(Tensor other) => Compare(BinaryOp.Ne, other);
    public Tensor ne(Scalar other) => Compare(BinaryOp.Ne, Wrap(other));
    public Tensor lt(Tensor other) => Compare(BinaryOp.Lt, other);
    public Tensor lt(Scalar other) => Compare(BinaryOp.Lt, Wrap(other));
    public Tensor le(Tensor other) => Compare(BinaryOp.Le, other);
    public Tensor le(Scalar other) => Compare(BinaryOp.Le, Wrap(other));
    public Tensor gt(Tensor other) => Compare(BinaryOp.Gt, other);
    public Tensor gt(Scalar other) => Compare(BinaryOp.Gt, Wrap(other));
    public Tensor ge(Tensor other) => Compare(BinaryOp.Ge, other);
    public Tensor ge(Scalar other) => Compare(BinaryOp.Ge, Wrap(other));

    public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
    public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
    public static Tensor operator <(Tensor a, Scalar b) => a.lt(b);
    public static Tensor operator >(Tensor a, Scalar b) => a.gt(b);
    public static Tensor operator <=(Tensor a, Scalar b) => a.le(b);
    public static Tensor operator >=(Tensor a, Scalar b) => a.ge(b);
    public static Tensor operator <(Scalar a, Tensor b) => b.gt(a);
    public static Tensor operator >(Scalar a, Tensor b) => b.lt(a);
    public static Tensor operator <=(Scalar a, Tensor b) => b.ge(a);
    public static Tensor operator >=(Scalar a, Tensor b) => b.le(a);

    /// <summary>Element-wise equality of all values and shapes (PyTorch's <c>torch.equal</c>).</summary>
    public bool equal(Tensor other) => Shapes.SameShape(_shape, other._shape) && eq(other).all().item<bool>();

    /// <summary>True when |self - other| &lt;= atol + rtol·|other| everywhere.</summary>
    public bool allclose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) =>
        isclose(other, rtol, atol, equal_nan).all().item<bool>();

    public Tensor isclose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false)
    {
        using var _ = torch.no_grad();
        var dt = Promotion.ToFloating(Promotion.ResultType(this, other));
        var a = CastRaw(dt); var b = other.CastRaw(dt);
        var close = (a - b).abs().le((b.abs() * rtol) + atol).logical_or(a.eq(b));
        if (equal_nan) close = close.logical_or(a.isnan().logical_and(b.isnan()));
        return close;
    }

    // ---- logical and bitwise ----
    public Tensor logical_and(Tensor other) => BinaryRaw(BinaryOp.LogicalAnd, this, other, Promotion.ResultType(this, other));
    public Tensor logical_or(Tensor other) => BinaryRaw(BinaryOp.LogicalOr, this, other, Promotion.ResultType(this, other));
    public Tensor logical_xor(Tensor other) => BinaryRaw(BinaryOp.LogicalXor, this, other, Promotion.ResultType(this, other));
    public Tensor logical_not() => eq(Wrap(false).CastRaw(dtype));

    private Tensor Bitwise(BinaryOp op, Tensor other)
    {
        var dt = Promotion.ResultType(this, other);
        if (dt.is_floating_point)
            throw new NotSupportedException($"\"bitwise_{op.ToString()[7..].ToLowerInvariant()}_cpu\" not implemented for '{(dt == DType.Float64 ? "Double" : "Float")}'");
        return BinaryRaw(op, this, other, dt);
    }

    public Tensor bitwise_and(Tensor other) => Bitwise(BinaryOp.BitwiseAnd, other);
    public Tensor bitwise_or(Tensor other) => Bitwise(BinaryOp.BitwiseOr, other);
    public Tensor bitwise_xor(Tensor other) => Bitwise(BinaryOp.BitwiseXor, other);
    public Tensor bitwise_and(Scalar other) => Bitwise(BinaryOp.BitwiseAnd, Wrap(other));
    public Tensor bitwise_or(Scalar other) => Bitwise(BinaryOp.BitwiseOr, Wrap(other));
    public Tensor bitwise_xor(Scalar other) => Bitwise(BinaryOp.BitwiseXor, Wrap(other));
    public Tensor bitwise_left_shift(Tensor other) => Bitwise(BinaryOp.LeftShift, other);
    public Tensor bitwise_right_shift(Tensor other) => Bitwise(BinaryOp.RightShift, other);

    public Tensor bitwise_not()
    {
        if (dtype.is_floating_point) throw new NotSupportedException($"\"bitwise_not_cpu\" not implemented for '{(dtype == DType.Float64 ? "Double" : "Float")}'");
        return UnaryRaw(UnaryOp.BitwiseNot);
    }

    public static Tensor operator &(Tensor a, Tensor b) => a.bitwise_and(b);
    public static Tensor operator |(Tensor a, Tensor b) => a.bitwise_or(b);
    public static Tensor operator ^(Tensor a, Tensor b) => a.bitwise_xor(b);
    public static Tensor operator ~(Tensor a) => a.bitwise_not();
    public static Tensor operator !(Tensor a) => a.logical_not();

    public Tensor isnan() => ne(this);
    public Tensor isinf() => dtype.is_floating_point ? abs().eq(double.PositiveInfinity) : torch.zeros_like(this, dtype: torch.@bool);
    public Tensor isfinite() => dtype.is_floating_point ? isnan().logical_or(isinf()).logical_not() : torch.ones_like(this, dtype: torch.@bool);
    public Tensor isposinf() => eq(double.PositiveInfinity);
    public Tensor isneginf() => eq(double.NegativeInfinity);

    // ---- maximum, minimum, clamp, atan2, lerp ----
    public Tensor maximum(Tensor other) => D.Maximum.Record(BinaryRaw(BinaryOp.Maximum, this, other, Promotion.ResultType(this, other)), this, other);
    public Tensor minimum(Tensor other) => D.Minimum.Record(BinaryRaw(BinaryOp.Minimum, this, other, Promotion.ResultType(this, other)), this, other);

    /// <summary>Each element limited to [min, max] (either bound may be omitted).</summary>
    public Tensor clamp(Scalar? min = null, Scalar? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        var dt = dtype;
        if (min is { IsFloating: true } || max is { IsFloating: true }) dt = Promotion.ToFloating(dt);
        var r = CastRaw(dt);
        if (min is { } lo) r = BinaryRaw(BinaryOp.Maximum, r, Wrap(lo), dt);
        if (max is { } hi) r = BinaryRaw(BinaryOp.Minimum, r, Wrap(hi), dt);
        if (ReferenceEquals(r, this)) r = r.CloneDetached();
        if (!GradMode.ShouldRecord(this)) return r;
        var row = min is not null && max is not null ? D.Clamp : min is not null ? D.ClampMin : D.ClampMax;
        return row.Record(r, this, state: (min, max));
    }

    /// <summary>Each element limited to [min, max] (either bound may be omitted).</summary>
    public Tensor clamp(Tensor? min = null, Tensor? max = null)
    {
        var r = this;
        if (min is not null) r = r.maximum(min);
        if (max is not null) r = r.minimum(max);
        return r;
    }

    public Tensor clip(Scalar? min = null, Scalar? max = null) => clamp(min, max);
    public Tensor clamp_min(Scalar min) => clamp(min, null);
    public Tensor clamp_max(Scalar max) => clamp(null, max);

    public Tensor atan2(Tensor other)
    {
        var dt = Promotion.ToFloating(Promotion.ResultType(this, other));
        return D.Atan2.Record(BinaryRaw(BinaryOp.Atan2, this, other, dt), this, other);
    }

    public Tensor arctan2(Tensor other) => atan2(other);

    /// <summary>
    /// ATen's lerp (ATen/native/Lerp.h): self + w·(end − self) for |w| &lt; 0.5, else end − (end − self)·(1 − w), each a
    /// single fused multiply-add (lerp_vec's vec::fmadd; GCC contracts the scalar form the same way), with the weight
    /// held in the tensors' precision. Gradients as derivatives.yaml: grad·(1 − w) and grad·w (and grad·(end − self)
    /// for a tensor weight).
    /// </summary>
    public Tensor lerp(Tensor end, Scalar weight)
    {
        var dt = Promotion.ResultType(this, end);
        double w = dt == DType.Float64 ? weight.ToDouble() : (float)weight.ToDouble();
        double oneMinus = dt == DType.Float64 ? 1 - w : 1f - (float)w;
        var diff = BinaryRaw(BinaryOp.Sub, end, this, dt);
        var r = Math.Abs(w) < 0.5 ? MulAddRaw(Wrap(w), diff, this, dt) : MulAddRaw(Wrap(-oneMinus), diff, end, dt);
        return D.LerpScalar.Record(r, this, end, scalar: w, state: oneMinus);
    }

    public Tensor lerp(Tensor end, Tensor weight)
    {
        var dt = Promotion.ResultType([this, end, weight]);
        Tensor r;
        using (torch.no_grad())
        {
            var diff = BinaryRaw(BinaryOp.Sub, end, this, dt);
            var small = MulAddRaw(weight, diff, this, dt);
            var large = MulAddRaw(BinaryRaw(BinaryOp.Sub, weight, Wrap(1), dt), diff, end, dt);
            r = torch.where(weight.abs() < 0.5, small, large);
        }
        return D.LerpTensor.Record(r, [this, end, weight]);
    }
}
