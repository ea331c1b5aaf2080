using System.Numerics;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>The CPU backend: managed arrays and JIT-specialised strided loops.</summary>
internal sealed partial class CpuBackend : IBackend
{
    public Storage Allocate(DType dtype, long count) => CpuStorage.Allocate(dtype, count);

    internal static CpuStorage S(Tensor t) => (CpuStorage)t._storage;

    private static void Loop<K>(Tensor shapeOf, ref K k, params ReadOnlySpan<Tensor> ops) where K : struct, IInnerLoop
    {
        Span<long> offs = stackalloc long[ops.Length];
        // The stride arrays are gathered on the stack: this runs once per op, so it must not allocate.
        var strides = new StrideArrays();
        for (int i = 0; i < ops.Length; i++) { offs[i] = ops[i]._offset; strides[i] = ops[i]._strides; }
        StridedLoop.Run(shapeOf._shape, ((ReadOnlySpan<long[]>)strides)[..ops.Length], offs, ref k);
    }

    /// <summary>
    /// <see cref="Loop"/> for element-wise kernels (the output last): dims may be visited in the output's memory order,
    /// unless an input shares the output's memory with another layout (its result would depend on the visiting order)
    /// or <paramref name="orderFree"/> is false (a kernel whose vector path may round differently).
    /// </summary>
    private static void LoopElementwise<K>(Tensor shapeOf, ref K k, bool orderFree, params ReadOnlySpan<Tensor> ops) where K : struct, IInnerLoop
    {
        Span<long> offs = stackalloc long[ops.Length];
        var strides = new StrideArrays();
        bool reorder = Gather(ops, offs, ref strides) && orderFree;
        if (OneRun(ops, out long n))
        {
            if (n > 0) k.Run(offs, UnitStrides[..ops.Length], n);
            return;
        }
        StridedLoop.Run(shapeOf._shape, ((ReadOnlySpan<long[]>)strides)[..ops.Length], offs, ref k, reorder);
    }

    /// <summary><see cref="LoopElementwise"/> for kernels that take blocks of rows.</summary>
    private static void LoopRows<K>(Tensor shapeOf, ref K k, params ReadOnlySpan<Tensor> ops) where K : struct, IRowsLoop
    {
        Span<long> offs = stackalloc long[ops.Length];
        var strides = new StrideArrays();
        bool reorder = Gather(ops, offs, ref strides);
        if (OneRun(ops, out long n))
        {
            if (n > 0) k.Run(offs, UnitStrides[..ops.Length], n);
            return;
        }
        StridedLoop.RunRows(shapeOf._shape, ((ReadOnlySpan<long[]>)strides)[..ops.Length], offs, ref k, reorder);
    }

    private static ReadOnlySpan<long> UnitStrides => [1, 1, 1, 1];

    /// <summary>
    /// The common case, every operand laid out as a contiguous output (stride arrays are shared between results of one
    /// shape, so one reference check per operand): a single run over all elements, without the dim analysis.
    /// </summary>
    private static bool OneRun(ReadOnlySpan<Tensor> ops, out long n)
    {
        n = 0;
        var dst = ops[^1];
        var ds = dst._strides;
        for (int i = 0; i < ops.Length - 1; i++)
            if (!ReferenceEquals(ops[i]._strides, ds)) return false;
        if (!Shapes.IsContiguous(dst._shape, ds)) return false;
        n = Shapes.Numel(dst._shape);
        return true;
    }

    /// <summary>Offsets and strides of the operands; false when an input shares the output's memory with another layout.</summary>
    private static bool Gather(ReadOnlySpan<Tensor> ops, Span<long> offs, ref StrideArrays strides)
    {
        var dst = ops[^1];
        bool free = true;
        for (int i = 0; i < ops.Length; i++)
        {
            var t = ops[i];
            offs[i] = t._offset; strides[i] = t._strides;
            if (free && i < ops.Length - 1 && ReferenceEquals(t._storage, dst._storage) &&
                !(t._offset == dst._offset && (ReferenceEquals(t._strides, dst._strides) || t._strides.AsSpan().SequenceEqual(dst._strides))))
                free = false;
        }
        return free;
    }

    // ---------------- copy and fill ----------------

    public void Copy(Tensor src, Tensor dst)
    {
        switch (src.dtype.Kind)
        {
            case ScalarType.Float32: CopyFrom<float>(src, dst); break;
            case ScalarType.Float64: CopyFrom<double>(src, dst); break;
            case ScalarType.Int64: CopyFrom<long>(src, dst); break;
            case ScalarType.Int32: CopyFrom<int>(src, dst); break;
            case ScalarType.Int16: CopyFrom<short>(src, dst); break;
            case ScalarType.Int8: CopyFrom<sbyte>(src, dst); break;
            case ScalarType.UInt8: CopyFrom<byte>(src, dst); break;
            case ScalarType.Bool: CopyFrom<bool>(src, dst); break;
            case ScalarType.Float16: CopyFrom<Half>(src, dst); break;
            case ScalarType.BFloat16: CopyFrom<BFloat16>(src, dst); break;
        }
    }

    private static void CopyFrom<TS>(Tensor src, Tensor dst) where TS : unmanaged
    {
        switch (dst.dtype.Kind)
        {
            case ScalarType.Float32: CopyTo<TS, float>(src, dst); break;
            case ScalarType.Float64: CopyTo<TS, double>(src, dst); break;
            case ScalarType.Int64: CopyTo<TS, long>(src, dst); break;
            case ScalarType.Int32: CopyTo<TS, int>(src, dst); break;
            case ScalarType.Int16: CopyTo<TS, short>(src, dst); break;
            case ScalarType.Int8: CopyTo<TS, sbyte>(src, dst); break;
            case ScalarType.UInt8: CopyTo<TS, byte>(src, dst); break;
            case ScalarType.Bool: CopyTo<TS, bool>(src, dst); break;
            case ScalarType.Float16: CopyTo<TS, Half>(src, dst); break;
            case ScalarType.BFloat16: CopyTo<TS, BFloat16>(src, dst); break;
        }
    }

    private static void CopyTo<TS, TD>(Tensor src, Tensor dst) where TS : unmanaged where TD : unmanaged
    {
        var k = new CopyKernel<TS, TD> { Src = S(src), Dst = S(dst) };
        LoopElementwise(dst, ref k, true, src, dst);
    }

    public void Fill(Tensor dst, Scalar value)
    {
        switch (dst.dtype.Kind)
        {
            case ScalarType.Float32: FillT(dst, value.As<float>()); break;
            case ScalarType.Float64: FillT(dst, value.As<double>()); break;
            case ScalarType.Int64: FillT(dst, value.As<long>()); break;
            case ScalarType.Int32: FillT(dst, value.As<int>()); break;
            case ScalarType.Int16: FillT(dst, value.As<short>()); break;
            case ScalarType.Int8: FillT(dst, value.As<sbyte>()); break;
            case ScalarType.UInt8: FillT(dst, value.As<byte>()); break;
            case ScalarType.Bool: FillT(dst, value.As<bool>()); break;
            case ScalarType.Float16: FillT(dst, value.As<Half>()); break;
            case ScalarType.BFloat16: FillT(dst, value.As<BFloat16>()); break;
        }
    }

    private static void FillT<T>(Tensor dst, T v) where T : unmanaged
    {
        var k = new FillKernel<T> { Dst = S(dst), Value = v };
        LoopElementwise(dst, ref k, true, dst);
    }

    public void Upload<T>(ReadOnlySpan<T> src, Tensor dst) where T : unmanaged =>
        src.CopyTo(S(dst).Span<T>().Slice((int)dst._offset, src.Length));

    public void Download<T>(Tensor src, Span<T> dst) where T : unmanaged
    {
        if (src.is_contiguous())
        {
            S(src).Span<T>().Slice((int)src._offset, dst.Length).CopyTo(dst);
            return;
        }
        var tmp = new Tensor(CpuStorage.Allocate<T>(dst.Length), src._shape, Shapes.ContiguousStrides(src._shape), 0);
        Copy(src, tmp);
        S(tmp).Span<T>().CopyTo(dst);
    }

    // ---------------- reduced-precision floats compute through float32 ----------------

    /// <summary>Runs <paramref name="body"/> on float32 copies of half/bfloat16 operands and writes the result back.</summary>
    private void ThroughFloat(Tensor dst, Tensor[] inputs, Action<Tensor[], Tensor> body)
    {
        var f = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) f[i] = ToFloat(inputs[i]);
        var fd = dst.dtype.is_floating_point ? Tensor.Empty(dst._shape, DType.Float32, Device.CPU) : Tensor.Empty(dst._shape, dst.dtype, Device.CPU);
        body(f, fd);
        Copy(fd, dst);
    }

    // Separate methods, not lambdas in the dispatch switch: a lambda capturing a parameter makes the compiler allocate
    // its closure on entry to the whole method, so every float32 op would pay for the half-precision branch.
    private void UnaryThroughFloat(UnaryOp op, Tensor src, Tensor dst) => ThroughFloat(dst, [src], (i, o) => Unary(op, i[0], o));
    private void BinaryThroughFloat(BinaryOp op, Tensor a, Tensor b, Tensor dst) =>
        ThroughFloat(dst, [a, b], (i, o) => Binary(op, i[0], i[1], o));
    private void ReduceThroughFloat(ReduceOp op, Tensor src, Tensor dst) => ThroughFloat(dst, [src], (i, o) => Reduce(op, i[0], o, null));
    private void ScanThroughFloat(ScanOp op, Tensor src, int dim, Tensor dst) => ThroughFloat(dst, [src], (i, o) => Scan(op, i[0], dim, o));

    private Tensor ToFloat(Tensor t)
    {
        if (t.dtype != DType.Float16 && t.dtype != DType.BFloat16) return t;
        var r = Tensor.Empty(t._shape, DType.Float32, Device.CPU);
        Copy(t, r);
        return r;
    }

    private static bool IsReduced(DType d) => d == DType.Float16 || d == DType.BFloat16;

    // ---------------- unary ----------------

    public void Unary(UnaryOp op, Tensor src, Tensor dst)
    {
        switch (src.dtype.Kind)
        {
            case ScalarType.Float32: FloatUnary<float>(op, src, dst); return;
            case ScalarType.Float64: FloatUnary<double>(op, src, dst); return;
            case ScalarType.Float16:
            case ScalarType.BFloat16: UnaryThroughFloat(op, src, dst); return;
            case ScalarType.Int64: IntUnary<long>(op, src, dst); return;
            case ScalarType.Int32: IntUnary<int>(op, src, dst); return;
            case ScalarType.Int16: IntUnary<short>(op, src, dst); return;
            case ScalarType.Int8: IntUnary<sbyte>(op, src, dst); return;
            case ScalarType.UInt8: IntUnary<byte>(op, src, dst); return;
            case ScalarType.Bool:
                if (op != UnaryOp.BitwiseNot) throw Unsupported(op, src.dtype);
                // ~b on bool is logical not: compare with a broadcast False.
                var no = Tensor.Empty([], DType.Bool, Device.CPU);
                Compare(BinaryOp.Eq, src, new Tensor(no._storage, src._shape, new long[src._shape.Length], 0), dst);
                return;
        }
    }

    private static Exception Unsupported(object op, DType dtype) =>
        new NotSupportedException($"\"{op.ToString()!.ToLowerInvariant()}_cpu\" not implemented for '{dtype.Name switch { "float32" => "Float", "float64" => "Double", "int64" => "Long", "int32" => "Int", "int16" => "Short", "int8" => "Char", "uint8" => "Byte", "bool" => "Bool", "float16" => "Half", _ => "BFloat16" }}'");

    private static void RunUnary<T, F>(Tensor src, Tensor dst) where T : unmanaged where F : IUnaryFn<T>
    {
        var k = new UnaryKernel<T, F> { Src = S(src), Dst = S(dst) };
        LoopElementwise(dst, ref k, F.ContigExact, src, dst);
    }

    private static void FloatUnary<T>(UnaryOp op, Tensor src, Tensor dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: RunUnary<T, NegFn<T>>(src, dst); break;
            case UnaryOp.Abs: RunUnary<T, AbsFn<T>>(src, dst); break;
            case UnaryOp.Sign: RunUnary<T, SignFn<T>>(src, dst); break;
            case UnaryOp.Square: RunUnary<T, SquareFn<T>>(src, dst); break;
            case UnaryOp.Exp: RunUnary<T, ExpFn<T>>(src, dst); break;
            case UnaryOp.Exp2: RunUnary<T, Exp2Fn<T>>(src, dst); break;
            case UnaryOp.Expm1: RunUnary<T, Expm1Fn<T>>(src, dst); break;
            case UnaryOp.Log: RunUnary<T, LogFn<T>>(src, dst); break;
            case UnaryOp.Log2: RunUnary<T, Log2Fn<T>>(src, dst); break;
            case UnaryOp.Log10: RunUnary<T, Log10Fn<T>>(src, dst); break;
            case UnaryOp.Log1p: RunUnary<T, Log1pFn<T>>(src, dst); break;
            case UnaryOp.Sqrt: RunUnary<T, SqrtFn<T>>(src, dst); break;
            case UnaryOp.Rsqrt: RunUnary<T, RsqrtFn<T>>(src, dst); break;
            case UnaryOp.Reciprocal: RunUnary<T, ReciprocalFn<T>>(src, dst); break;
            case UnaryOp.Sin: RunUnary<T, SinFn<T>>(src, dst); break;
            case UnaryOp.Cos: RunUnary<T, CosFn<T>>(src, dst); break;
            case UnaryOp.Tan: RunUnary<T, TanFn<T>>(src, dst); break;
            case UnaryOp.Asin: RunUnary<T, AsinFn<T>>(src, dst); break;
            case UnaryOp.Acos: RunUnary<T, AcosFn<T>>(src, dst); break;
            case UnaryOp.Atan: RunUnary<T, AtanFn<T>>(src, dst); break;
            case UnaryOp.Sinh: RunUnary<T, SinhFn<T>>(src, dst); break;
            case UnaryOp.Cosh: RunUnary<T, CoshFn<T>>(src, dst); break;
            case UnaryOp.Tanh: RunUnary<T, TanhFn<T>>(src, dst); break;
            case UnaryOp.Sigmoid: RunUnary<T, SigmoidFn<T>>(src, dst); break;
            case UnaryOp.Erf: RunUnary<T, ErfFn<T>>(src, dst); break;
            case UnaryOp.Erfc: RunUnary<T, ErfcFn<T>>(src, dst); break;
            case UnaryOp.Floor: RunUnary<T, FloorFn<T>>(src, dst); break;
            case UnaryOp.Ceil: RunUnary<T, CeilFn<T>>(src, dst); break;
            case UnaryOp.Round: RunUnary<T, RoundFn<T>>(src, dst); break;
            case UnaryOp.Trunc: RunUnary<T, TruncFn<T>>(src, dst); break;
            case UnaryOp.Frac: RunUnary<T, FracFn<T>>(src, dst); break;
            default: throw Unsupported(op, src.dtype);
        }
    }

    private static void IntUnary<T>(UnaryOp op, Tensor src, Tensor dst) where T : unmanaged, IBinaryInteger<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: RunUnary<T, NegFn<T>>(src, dst); break;
            case UnaryOp.Abs: RunUnary<T, AbsFn<T>>(src, dst); break;
            case UnaryOp.Sign: RunUnary<T, SignFn<T>>(src, dst); break;
            case UnaryOp.Square: RunUnary<T, SquareFn<T>>(src, dst); break;
            case UnaryOp.BitwiseNot: RunUnary<T, BitwiseNotFn<T>>(src, dst); break;
            // Rounding an integer is the identity.
            case UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round or UnaryOp.Trunc: new CpuBackend().Copy(src, dst); break;
            default: throw Unsupported(op, src.dtype);
        }
    }

    // ---------------- binary ----------------

    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor dst)
    {
        if (OpInfo.IsComparison(op)) { Compare(op, a, b, dst); return; }
        switch (a.dtype.Kind)
        {
            case ScalarType.Float32: FloatBinary<float>(op, a, b, dst); return;
            case ScalarType.Float64: FloatBinary<double>(op, a, b, dst); return;
            case ScalarType.Float16:
            case ScalarType.BFloat16: BinaryThroughFloat(op, a, b, dst); return;
            case ScalarType.Int64: IntBinary<long>(op, a, b, dst); return;
            case ScalarType.Int32: IntBinary<int>(op, a, b, dst); return;
            case ScalarType.Int16: IntBinary<short>(op, a, b, dst); return;
            case ScalarType.Int8: IntBinary<sbyte>(op, a, b, dst); return;
            case ScalarType.UInt8: IntBinary<byte>(op, a, b, dst); return;
            case ScalarType.Bool:
                // bool arithmetic: + is or, * is and (as PyTorch's bool add/mul); bitwise ops act on the bit.
                var bop = op switch
                {
                    BinaryOp.Add or BinaryOp.BitwiseOr or BinaryOp.Maximum => BinaryOp.LogicalOr,
                    BinaryOp.Mul or BinaryOp.BitwiseAnd or BinaryOp.Minimum => BinaryOp.LogicalAnd,
                    BinaryOp.BitwiseXor => BinaryOp.LogicalXor,
                    _ => throw Unsupported(op, a.dtype),
                };
                Compare(bop, a, b, dst);
                return;
        }
    }

    private static void RunBinary<T, F>(Tensor a, Tensor b, Tensor dst) where T : unmanaged where F : IBinaryFn<T>
    {
        var k = new BinaryKernel<T, F> { A = S(a), B = S(b), Dst = S(dst) };
        LoopRows(dst, ref k, a, b, dst);
    }

    private static void FloatBinary<T>(BinaryOp op, Tensor a, Tensor b, Tensor dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.Add: RunBinary<T, AddFn<T>>(a, b, dst); break;
            case BinaryOp.Sub: RunBinary<T, SubFn<T>>(a, b, dst); break;
            case BinaryOp.Mul: RunBinary<T, MulFn<T>>(a, b, dst); break;
            case BinaryOp.Div: RunBinary<T, FloatDivFn<T>>(a, b, dst); break;
            case BinaryOp.FloorDivide: RunBinary<T, FloorDivideFn<T>>(a, b, dst); break;
            case BinaryOp.Remainder: RunBinary<T, RemainderFn<T>>(a, b, dst); break;
            case BinaryOp.Fmod: RunBinary<T, FmodFn<T>>(a, b, dst); break;
            case BinaryOp.Pow: RunBinary<T, PowFn<T>>(a, b, dst); break;
            case BinaryOp.Atan2: RunBinary<T, Atan2Fn<T>>(a, b, dst); break;
            case BinaryOp.Maximum: RunBinary<T, MaximumFn<T>>(a, b, dst); break;
            case BinaryOp.Minimum: RunBinary<T, MinimumFn<T>>(a, b, dst); break;
            default: throw Unsupported(op, a.dtype);
        }
    }

    private static void IntBinary<T>(BinaryOp op, Tensor a, Tensor b, Tensor dst) where T : unmanaged, IBinaryInteger<T>
    {
        switch (op)
        {
            case BinaryOp.Add: RunBinary<T, AddFn<T>>(a, b, dst); break;
            case BinaryOp.Sub: RunBinary<T, SubFn<T>>(a, b, dst); break;
            case BinaryOp.Mul: RunBinary<T, MulFn<T>>(a, b, dst); break;
            case BinaryOp.Div: RunBinary<T, DivFn<T>>(a, b, dst); break;
            case BinaryOp.FloorDivide: RunBinary<T, FloorDivideFn<T>>(a, b, dst); break;
            case BinaryOp.Remainder: RunBinary<T, RemainderFn<T>>(a, b, dst); break;
            case BinaryOp.Fmod: RunBinary<T, FmodFn<T>>(a, b, dst); break;
            case BinaryOp.Pow: RunBinary<T, PowFn<T>>(a, b, dst); break;
            case BinaryOp.Maximum: RunBinary<T, MaximumFn<T>>(a, b, dst); break;
            case BinaryOp.Minimum: RunBinary<T, MinimumFn<T>>(a, b, dst); break;
            case BinaryOp.BitwiseAnd: RunBinary<T, BitAndFn<T>>(a, b, dst); break;
            case BinaryOp.BitwiseOr: RunBinary<T, BitOrFn<T>>(a, b, dst); break;
            case BinaryOp.BitwiseXor: RunBinary<T, BitXorFn<T>>(a, b, dst); break;
            case BinaryOp.LeftShift: RunBinary<T, ShlFn<T>>(a, b, dst); break;
            case BinaryOp.RightShift: RunBinary<T, ShrFn<T>>(a, b, dst); break;
            default: throw Unsupported(op, a.dtype);
        }
    }

    private static void RunCompare<T, F>(Tensor a, Tensor b, Tensor dst) where T : unmanaged where F : ICompareFn<T>
    {
        var k = new CompareKernel<T, F> { A = S(a), B = S(b), Dst = S(dst) };
        LoopElementwise(dst, ref k, true, a, b, dst);
    }

    private void Compare(BinaryOp op, Tensor a, Tensor b, Tensor dst)
    {
        switch (a.dtype.Kind)
        {
            case ScalarType.Float32: CompareT<float>(op, a, b, dst); break;
            case ScalarType.Float64: CompareT<double>(op, a, b, dst); break;
            case ScalarType.Int64: CompareT<long>(op, a, b, dst); break;
            case ScalarType.Int32: CompareT<int>(op, a, b, dst); break;
            case ScalarType.Int16: CompareT<short>(op, a, b, dst); break;
            case ScalarType.Int8: CompareT<sbyte>(op, a, b, dst); break;
            case ScalarType.UInt8: CompareT<byte>(op, a, b, dst); break;
            case ScalarType.Float16:
            case ScalarType.BFloat16: Compare(op, ToFloat(a), ToFloat(b), dst); break;
            case ScalarType.Bool: Compare(op, AsByte(a), AsByte(b), dst); break;
        }
    }

    private Tensor AsByte(Tensor t)
    {
        var r = Tensor.Empty(t._shape, DType.UInt8, Device.CPU);
        Copy(t, r);
        return r;
    }

    private static void CompareT<T>(BinaryOp op, Tensor a, Tensor b, Tensor dst) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Eq: RunCompare<T, EqFn<T>>(a, b, dst); break;
            case BinaryOp.Ne: RunCompare<T, NeFn<T>>(a, b, dst); break;
            case BinaryOp.Lt: RunCompare<T, LtFn<T>>(a, b, dst); break;
            case BinaryOp.Le: RunCompare<T, LeFn<T>>(a, b, dst); break;
            case BinaryOp.Gt: RunCompare<T, GtFn<T>>(a, b, dst); break;
            case BinaryOp.Ge: RunCompare<T, GeFn<T>>(a, b, dst); break;
            case BinaryOp.LogicalAnd: RunCompare<T, LogicalAndFn<T>>(a, b, dst); break;
            case BinaryOp.LogicalOr: RunCompare<T, LogicalOrFn<T>>(a, b, dst); break;
            case BinaryOp.LogicalXor: RunCompare<T, LogicalXorFn<T>>(a, b, dst); break;
            default: throw Unsupported(op, a.dtype);
        }
    }

    /// <summary>ReLU's backward in one pass, where(y &gt; 0, g, 0), for float32/float64 (no bool mask in between).</summary>
    internal static void ReluBackward(Tensor g, Tensor y, Tensor dst)
    {
        if (dst.dtype.Kind == ScalarType.Float32) RunBinary<float, ReluGradFn<float>>(g, y, dst);
        else RunBinary<double, ReluGradFn<double>>(g, y, dst);
    }

    /// <summary>The gradient of x ** 2, g·(2x), in one pass for float32/float64.</summary>
    internal static void SquareBackward(Tensor g, Tensor x, Tensor dst)
    {
        if (dst.dtype.Kind == ScalarType.Float32) RunBinary<float, SquareGradFn<float>>(g, x, dst);
        else RunBinary<double, SquareGradFn<double>>(g, x, dst);
    }

    // ---------------- fused multiply-add ----------------

    public void MulAdd(Tensor a, Tensor b, Tensor c, Tensor dst)
    {
        switch (dst.dtype.Kind)
        {
            case ScalarType.Float32: MulAddT<float>(a, b, c, dst); break;
            case ScalarType.Float64: MulAddT<double>(a, b, c, dst); break;
            case ScalarType.Int64: MulAddT<long>(a, b, c, dst); break;
            case ScalarType.Int32: MulAddT<int>(a, b, c, dst); break;
            case ScalarType.Int16: MulAddT<short>(a, b, c, dst); break;
            case ScalarType.Int8: MulAddT<sbyte>(a, b, c, dst); break;
            case ScalarType.UInt8: MulAddT<byte>(a, b, c, dst); break;
            case ScalarType.Float16 or ScalarType.BFloat16: ThroughFloat(dst, [a, b, c], (i, o) => MulAdd(i[0], i[1], i[2], o)); break;
            default:
                var t = Tensor.Empty(dst._shape, dst.dtype, Device.CPU);
                Binary(BinaryOp.Mul, a, b, t);
                Binary(BinaryOp.Add, t, c, dst);
                break;
        }
    }

    private static void MulAddT<T>(Tensor a, Tensor b, Tensor c, Tensor dst) where T : unmanaged, INumber<T>
    {
        var k = new MulAddKernel<T> { A = S(a), B = S(b), C = S(c), Dst = S(dst) };
        LoopElementwise(dst, ref k, true, a, b, c, dst);
    }

    // ---------------- where ----------------

    public void Where(Tensor cond, Tensor a, Tensor b, Tensor dst)
    {
        switch (dst.dtype.Kind)
        {
            case ScalarType.Float32: WhereT<float>(cond, a, b, dst); break;
            case ScalarType.Float64: WhereT<double>(cond, a, b, dst); break;
            case ScalarType.Int64: WhereT<long>(cond, a, b, dst); break;
            case ScalarType.Int32: WhereT<int>(cond, a, b, dst); break;
            case ScalarType.Int16: WhereT<short>(cond, a, b, dst); break;
            case ScalarType.Int8: WhereT<sbyte>(cond, a, b, dst); break;
            case ScalarType.UInt8: WhereT<byte>(cond, a, b, dst); break;
            case ScalarType.Bool: WhereT<bool>(cond, a, b, dst); break;
            case ScalarType.Float16: WhereT<Half>(cond, a, b, dst); break;
            case ScalarType.BFloat16: WhereT<BFloat16>(cond, a, b, dst); break;
        }
    }

    private static void WhereT<T>(Tensor c, Tensor a, Tensor b, Tensor dst) where T : unmanaged
    {
        var k = new WhereKernel<T> { C = S(c), A = S(a), B = S(b), Dst = S(dst) };
        LoopElementwise(dst, ref k, true, c, a, b, dst);
    }
}
