using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors;

// In-place ops: they write into this tensor's memory (so every view sees it), bump the version counter that
// saved tensors check, and move this tensor to the new node in the graph (through CopySlices for views).
public sealed partial class Tensor
{
    internal void CheckInPlaceAllowed()
    {
        if (GradMode.Enabled)
        {
            if (_requiresGrad && is_leaf)
                throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
            if (_base is { } b && b._requiresGrad && b.is_leaf && _requiresGrad)
                throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        }
        if (_isInference && !GradMode.InferenceMode)
            throw new InvalidOperationException(
                "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
    }

    private void CheckCastable(DType result)
    {
        bool ok = dtype.is_floating_point || (!result.is_floating_point && (dtype.IsIntegral || result.IsBool));
        if (!ok)
            throw new InvalidOperationException($"result type {DTypeTitle(result)} can't be cast to the desired output type {DTypeTitle(dtype)}");
    }

    /// <summary>
    /// Runs the out-of-place <paramref name="op"/> and stores its result here. When autograd records, op runs on a
    /// snapshot that stands where this tensor stood in the graph, so formulas keep the pre-write value.
    /// <paramref name="elementwiseOverlap"/>: TensorIterator's overlap rules (self/other); ops whose ATen kernel
    /// checks differently (or not at all, as fill_) pass false and check for themselves.
    /// </summary>
    internal Tensor InPlace(Func<Tensor, Tensor> op, Tensor? other = null, bool checkCast = true, bool elementwiseOverlap = true)
    {
        CheckInPlaceAllowed();
        // Before the op runs, as TensorIterator's build() checks overlaps before shapes and dtypes.
        if (elementwiseOverlap) MemoryOverlap.CheckElementwise(this, other);
        bool record = GradMode.Enabled && (_requiresGrad || other is { _requiresGrad: true });
        if (!record)
        {
            Tensor r;
            using (torch.no_grad()) r = op(this);
            if (checkCast) CheckCastable(r.dtype);
            if (!Shapes.SameShape(r._shape, _shape) && !CanBroadcastTo(r._shape, _shape))
                throw new ArgumentException($"output with shape [{string.Join(", ", _shape)}] doesn't match the broadcast shape [{string.Join(", ", r._shape)}]");
            CopyFromRaw(r);
            return this;
        }
        var snap = CloneDetached();
        snap._gradFn = _gradFn; snap._outputNr = _outputNr; snap._requiresGrad = _requiresGrad;
        snap._gradAccumulator = _gradAccumulator;
        var res = op(snap);
        if (checkCast) CheckCastable(res.dtype);
        if (!Shapes.SameShape(res._shape, _shape))
            throw new ArgumentException($"output with shape [{string.Join(", ", _shape)}] doesn't match the broadcast shape [{string.Join(", ", res._shape)}]");
        if (res.dtype != dtype) res = res.to(dtype);
        Kernels.Copy(res.Buffer, Buffer);
        _version.Bump();
        Rebase(res);
        return this;
    }

    private static bool CanBroadcastTo(long[] from, long[] to)
    {
        try { return Shapes.SameShape(Shapes.Broadcast(from, to), to); } catch (ArgumentException) { return false; }
    }

    /// <summary>Moves this tensor's place in the graph to <paramref name="r"/>'s node (through CopySlices when a view).</summary>
    private void Rebase(Tensor r)
    {
        if (_base is null || _viewFn is null)
        {
            _gradFn = r._gradFn; _outputNr = r._outputNr; _requiresGrad = r._requiresGrad;
            return;
        }
        var b = _base;
        var node = new CopySlices(Node.EdgeTo(b), b._shape, b.dtype, _viewFn, r._gradFn!);
        b._gradFn = node; b._outputNr = 0; b._requiresGrad = true;
        using (torch.enable_grad())
        {
            var v = _viewFn(b);
            _gradFn = v._gradFn; _outputNr = v._outputNr; _requiresGrad = true;
        }
    }

    // ---- Direct in-place kernels for the common non-recording case ----
    // When autograd does not record and nothing needs a cast or a temporary (float32/float64 on any device, the
    // operand of self's dtype and shape or 0-dim, no partial overlap with self), op(self, other) is written straight into self's
    // memory by the same kernel the out-of-place op runs: same values, no result tensor, no copy. The checks that can
    // fail (leaf/inference rules) run first, as in InPlace; the version counter is bumped as InPlace does.

    /// <summary>Can op(self, other) be written straight into self (see above)? Checks the leaf/inference rules first.</summary>
    private bool CanWriteDirect(Tensor? other)
    {
        if (GradMode.Enabled && (_requiresGrad || other is { _requiresGrad: true })) return false;
        if (!IsDirectFloat(this)) return false;
        if (other is null) return true;
        // On self's device, or a CPU scalar, which every backend takes as a kernel argument.
        if (other.dtype != dtype || other.device != device && !(other.is_cpu && other._shape.Length == 0)) return false;
        if (other._shape.Length != 0 && !Shapes.SameShape(other._shape, _shape)) return false;
        // Exactly self is fine (element i reads and writes the same place); any other alias of self's memory is not.
        if (ReferenceEquals(other._storage, _storage) &&
            !(other._offset == _offset && other._shape.Length == _shape.Length && other._strides.AsSpan().SequenceEqual(_strides)))
            return false;
        return true;
    }

    private static bool IsDirectFloat(Tensor t) =>
        t.dtype.Kind is ScalarType.Float32 or ScalarType.Float64 && t.is_contiguous();

    /// <summary>
    /// A C# number as a 0-dim CPU tensor of <paramref name="dt"/>, reused per thread (kernel input only: it never
    /// escapes). Null where filling dt directly could round differently from wrapping as float64/int64 and casting.
    /// </summary>
    private static Tensor? ScratchScalar(Scalar s, DType dt, int slot)
    {
        if (!s.IsFloating && !(s.IsIntegral && Math.Abs(s.Long) <= 1L << 24)) return null;
        var cache = t_scratch ??= new Tensor?[2 * 16];
        int i = 2 * (int)dt.Kind + slot;
        var t = cache[i] ??= Empty([], dt, Device.CPU);
        Backends.Cpu.Fill(t.Buffer, s);
        return t;
    }

    [ThreadStatic] private static Tensor?[]? t_scratch;

    private static Scalar Negated(Scalar a) => a.IsFloating ? (Scalar)(-a.Double) : -a.Long;

    /// <summary>self = self + alpha·other (alpha ≠ 1: one rounding, as ATen's fmadd) or self = op(self, other), in place.</summary>
    private bool TryDirect(BinaryOp op, Tensor other, Scalar? alpha = null)
    {
        var b = other.ExpandRaw(_shape);
        if (alpha is { } a && a.ToDouble() != 1)
        {
            if (ScratchScalar(a, dtype, 1) is not { } at) return false;
            Kernels.MulAdd(b.Buffer, at.ExpandRaw(_shape).Buffer, Buffer, Buffer);
        }
        else Kernels.Binary(op, Buffer, b.Buffer, Buffer);
        _version.Bump();
        return true;
    }

    private bool TryDirectScalar(BinaryOp op, Scalar other, Scalar? alpha = null)
    {
        if (!CanWriteDirect(null) || ScratchScalar(other, dtype, 0) is not { } o) return false;
        return TryDirect(op, o, alpha);
    }

    /// <summary>In place: self += alpha·other.</summary>
    public Tensor add_(Tensor other, Scalar? alpha = null)
    {
        CheckInPlaceAllowed();
        if (CanWriteDirect(other) && TryDirect(BinaryOp.Add, other, alpha)) return this;
        return AddThroughGraph(other, alpha);
    }

    /// <summary>In place: self += alpha·other.</summary>
    public Tensor add_(Scalar other, Scalar? alpha = null)
    {
        CheckInPlaceAllowed();
        if (TryDirectScalar(BinaryOp.Add, other, alpha)) return this;
        return AddThroughGraph(other, alpha);
    }

    /// <summary>In place: self -= alpha·other (what Python's -= does on a tensor).</summary>
    public Tensor sub_(Tensor other, Scalar? alpha = null)
    {
        CheckInPlaceAllowed();
        // sub(self, other, alpha) is fmadd(other, -alpha, self) in ATen.
        if (CanWriteDirect(other) && TryDirect(BinaryOp.Sub, other, alpha is { } a && a.ToDouble() != 1 ? Negated(a) : null)) return this;
        return SubThroughGraph(other, alpha);
    }

    /// <summary>In place: self -= alpha·other (what Python's -= does on a tensor).</summary>
    public Tensor sub_(Scalar other, Scalar? alpha = null)
    {
        CheckInPlaceAllowed();
        if (TryDirectScalar(BinaryOp.Sub, other, alpha is { } a && a.ToDouble() != 1 ? Negated(a) : null)) return this;
        return SubThroughGraph(other, alpha);
    }

    /// <summary>In place: self *= other.</summary>
    public Tensor mul_(Tensor other)
    {
        CheckInPlaceAllowed();
        if (CanWriteDirect(other) && TryDirect(BinaryOp.Mul, other)) return this;
        return MulThroughGraph(other);
    }

    /// <summary>In place: self *= other.</summary>
    public Tensor mul_(Scalar other)
    {
        CheckInPlaceAllowed();
        if (TryDirectScalar(BinaryOp.Mul, other)) return this;
        return MulThroughGraph(other);
    }

    public Tensor div_(Tensor other, string? rounding_mode = null)
    {
        CheckInPlaceAllowed();
        if (rounding_mode is null && CanWriteDirect(other) && TryDirect(BinaryOp.Div, other)) return this;
        return DivThroughGraph(other, rounding_mode);
    }

    public Tensor div_(Scalar other, string? rounding_mode = null)
    {
        CheckInPlaceAllowed();
        if (rounding_mode is null && TryDirectScalar(BinaryOp.Div, other)) return this;
        return DivThroughGraph(other, rounding_mode);
    }
    // The general paths sit in their own methods: a lambda capturing a parameter allocates its closure on entry to
    // the method that holds it, so the direct writes above would pay for it on every call.
    private Tensor AddThroughGraph(Tensor other, Scalar? alpha) => InPlace(s => s.add(other, alpha), other);
    private Tensor AddThroughGraph(Scalar other, Scalar? alpha) => InPlace(s => s.add(other, alpha));
    private Tensor SubThroughGraph(Tensor other, Scalar? alpha) => InPlace(s => s.sub(other, alpha), other);
    private Tensor SubThroughGraph(Scalar other, Scalar? alpha) => InPlace(s => s.sub(other, alpha));
    private Tensor MulThroughGraph(Tensor other) => InPlace(s => s.mul(other), other);
    private Tensor MulThroughGraph(Scalar other) => InPlace(s => s.mul(other));
    private Tensor DivThroughGraph(Tensor other, string? rounding_mode) => InPlace(s => s.div(other, rounding_mode), other);
    private Tensor DivThroughGraph(Scalar other, string? rounding_mode) => InPlace(s => s.div(other, rounding_mode));

    public Tensor pow_(Scalar exponent) => InPlace(s => s.pow(exponent));
    public Tensor pow_(Tensor exponent) => InPlace(s => s.pow(exponent), exponent);
    public Tensor neg_() => InPlace(s => s.neg());
    public Tensor abs_() => InPlace(s => s.abs());
    public Tensor exp_() => InPlace(s => s.exp());
    public Tensor log_() => InPlace(s => s.log());
    public Tensor sqrt_() => InPlace(s => s.sqrt());
    public Tensor sin_() => InPlace(s => s.sin());
    public Tensor cos_() => InPlace(s => s.cos());
    public Tensor tanh_() => InPlace(s => s.tanh());
    public Tensor sigmoid_() => InPlace(s => s.sigmoid());
    /// <summary>In place: max(self, 0). Where autograd doesn't record, one pass over self (nn.ReLU(inplace=True) in eval or
    /// no_grad), not relu into a new tensor and a copy back.</summary>
    public Tensor relu_()
    {
        CheckInPlaceAllowed();
        if (TryDirectScalar(BinaryOp.Maximum, 0)) return this;
        return InPlace(s => s.relu());
    }
    public Tensor floor_() => InPlace(s => s.floor());
    public Tensor ceil_() => InPlace(s => s.ceil());
    public Tensor round_() => InPlace(s => s.round());
    public Tensor trunc_() => InPlace(s => s.trunc());
    public Tensor clamp_(Scalar? min = null, Scalar? max = null) => InPlace(s => s.clamp(min, max));
    public Tensor clamp_min_(Scalar min) => clamp_(min, null);
    public Tensor clamp_max_(Scalar max) => clamp_(null, max);
    public Tensor clip_(Scalar? min = null, Scalar? max = null) => clamp_(min, max);
    public Tensor lerp_(Tensor end, Scalar weight) => InPlace(s => s.lerp(end, weight), end);
    public Tensor remainder_(Scalar other) => InPlace(s => s.remainder(other));
    public Tensor square_() => InPlace(s => s.square());

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor fill_(Scalar value)
    {
        CheckInPlaceAllowed();
        ScalarConversion.Check(value, dtype);
        if (!(GradMode.Enabled && _requiresGrad))
        {
            // Not recording: the backend's fill writes straight into self (zero_ for any dtype; other values for
            // float32/float64, where casting the number once is what the composite below computes).
            bool zero = !value.IsFloating && value.Long == 0 && !value.IsBool;
            if (zero || dtype.Kind is ScalarType.Float32 or ScalarType.Float64 && ScratchScalarExact(value))
            {
                Kernels.Fill(Buffer, value);
                _version.Bump();
                return this;
            }
        }
        return FillComposite(value);
    }

    private static bool ScratchScalarExact(Scalar s) => s.IsFloating && s.Double != 0 || s.IsIntegral && Math.Abs(s.Long) <= 1L << 24;

    // ATen's fill_out builds its TensorIterator with set_check_mem_overlap(false) ("Fill is idempotent"): filling an
    // expanded tensor is allowed, so neither fill_ form checks overlap.
    private Tensor FillComposite(Scalar value) =>
        InPlace(s => torch.zeros_like(s).add(value).to(s.dtype).ZeroGradOf(s), checkCast: false, elementwiseOverlap: false);
    public Tensor fill_(Tensor value) =>
        InPlace(s => torch.zeros_like(s) + value.expand(s._shape), value, checkCast: false, elementwiseOverlap: false);
    /// <summary>In place: fills self with zeros.</summary>
    public Tensor zero_() => fill_(0);

    /// <summary>Copies <paramref name="src"/> (broadcast, any dtype) into this tensor.</summary>
    public Tensor copy_(Tensor src)
    {
        Shapes.ExpandStrides(src._shape, src._strides, _shape);
        CheckInPlaceAllowed();
        // at::native::copy_impl: a copy onto itself (same tensor, or the same view of the same data) returns at once;
        // anything else goes through a TensorIterator, whose default overlap checks apply.
        // Autograd still records the copy (VariableType runs before the kernel), so only the unrecorded copy returns.
        bool record = GradMode.Enabled && (_requiresGrad || src._requiresGrad);
        bool sameData = ReferenceEquals(src, this) || IsSameData(src);
        if (sameData && !record) { _version.Bump(); return this; }
        if (!sameData) MemoryOverlap.CheckElementwise(this, src);
        if (!(GradMode.Enabled && (_requiresGrad || src._requiresGrad)) && src.device == device && src.is_cpu &&
            !ReferenceEquals(src._storage, _storage) && src.dtype == dtype)
        {
            // Not recording, same dtype, separate memory: one copy straight into self.
            CopyFromRaw(src);
            return this;
        }
        return InPlace(s =>
        {
            Tensor r;
            using (torch.no_grad()) r = src.CastRaw(s.dtype).ExpandRaw(s._shape).CloneDetached();
            return D.Copy.Record(r, s, src);
        }, src, checkCast: false, elementwiseOverlap: false);
    }

    private bool IsSameData(Tensor src) =>
        ReferenceEquals(src._storage, _storage) && src._offset == _offset && src.dtype == dtype &&
        src._shape.AsSpan().SequenceEqual(_shape) && src._strides.AsSpan().SequenceEqual(_strides);

    /// <summary>A value with s's shape whose gradient to s is zero (fill_ overwrites).</summary>
    private Tensor ZeroGradOf(Tensor s)
    {
        return GradMode.ShouldRecord(s) ? D.Fill.Record(CloneDetached(), s) : this;
    }

    public Tensor masked_fill_(Tensor mask, Scalar value)
    {
        // masked_fill_impl_cpu: an expanded self only warns (deprecated), so no internal-overlap error; the mask must
        // not partly overlap self. The dtype check comes first there.
        CheckInPlaceAllowed();
        if (!mask.dtype.IsBool) throw new ArgumentException($"masked_fill_ only supports boolean masks, but got mask with dtype {DTypeTitle(mask.dtype)}");
        MemoryOverlap.WarnIfExpanded(this, "masked_fill_", "tensor[mask] = scalar");
        MemoryOverlap.AssertNoPartialOverlap(this, mask);
        return InPlace(s => s.masked_fill(mask, value), elementwiseOverlap: false);
    }

    public Tensor masked_fill(Tensor mask, Scalar value)
    {
        if (!mask.dtype.IsBool) throw new ArgumentException($"masked_fill_ only supports boolean masks, but got mask with dtype {DTypeTitle(mask.dtype)}");
        ScalarConversion.Check(value, dtype);
        return torch.where(mask, Wrap(value).CastRaw(dtype).DetachedScalarAsWrapped(), this);
    }

    public Tensor masked_fill(Tensor mask, Tensor value) => torch.where(mask, value, this);

    private Tensor DetachedScalarAsWrapped() { _isWrappedNumber = true; return this; }

    // ---- C# 14 compound assignment: `w -= lr * g` mutates w itself, as in PyTorch ----
    public void operator +=(Tensor other) => add_(other);
    public void operator +=(Scalar other) => add_(other);
    public void operator -=(Tensor other) => sub_(other);
    public void operator -=(Scalar other) => sub_(other);
    public void operator *=(Tensor other) => mul_(other);
    public void operator *=(Scalar other) => mul_(other);
    public void operator /=(Tensor other) => div_(other);
    public void operator /=(Scalar other) => div_(other);
    public void operator %=(Scalar other) => remainder_(other);
}
