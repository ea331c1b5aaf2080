using System.Runtime.CompilerServices;
using System.Numerics;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>The CPU backend: managed arrays and JIT-specialised strided loops.</summary>
internal sealed partial class CpuBackend : IBackend
{
    public Storage Allocate(DType dtype, long count) => CpuStorage.Allocate(dtype, count);

    internal static CpuStorage S(in StridedBuffer t) => (CpuStorage)t._storage;

    private static void Loop<K>(StridedBuffer shapeOf, ref K k, params ReadOnlySpan<StridedBuffer> ops) where K : struct, IInnerLoop
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
    private static void LoopElementwise<K>(in StridedBuffer shapeOf, ref K k, bool orderFree, params ReadOnlySpan<StridedBuffer> ops) where K : struct, IInnerLoop
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
    private static void LoopRows<K>(in StridedBuffer shapeOf, ref K k, params ReadOnlySpan<StridedBuffer> ops) where K : struct, IRowsLoop
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

    // The common case (see OneRun) tested before the loop driver, on the buffers where they lie: the driver's operand
    // list copies each 32-byte buffer (three GC references) per call, which measured on 1-element ops. An input may
    // also be a broadcast number (every stride 0, x * 2.0's scratch): the driver would merge its dims into the same
    // single run with stride 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool RanAsOne<K>(ref K k, in StridedBuffer a, in StridedBuffer dst) where K : struct, IInnerLoop
    {
        var ds = dst._strides;
        if (!RunStride(a._strides, ds, out long sa) || !Shapes.IsContiguous(dst._shape, ds)) return false;
        long n = Shapes.Numel(dst._shape);
        if (n > 0) k.Run([a._offset, dst._offset], [sa, 1], n);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool RanAsOne<K>(ref K k, in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst) where K : struct, IInnerLoop
    {
        var ds = dst._strides;
        if (!RunStride(a._strides, ds, out long sa) || !RunStride(b._strides, ds, out long sb) || !Shapes.IsContiguous(dst._shape, ds)) return false;
        long n = Shapes.Numel(dst._shape);
        if (n > 0) k.Run([a._offset, b._offset, dst._offset], [sa, sb, 1], n);
        return true;
    }

    /// <summary>An input's stride in a single run over a contiguous output: 1 when laid out as the output, 0 when broadcast from one element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool RunStride(long[] strides, long[] outStrides, out long stride)
    {
        stride = 1;
        if (ReferenceEquals(strides, outStrides)) return true;
        stride = 0;
        foreach (var s in strides) if (s != 0) return false;
        return true;
    }

    /// <summary>
    /// The common case, every operand laid out as a contiguous output (stride arrays are shared between results of one
    /// shape, so one reference check per operand): a single run over all elements, without the dim analysis.
    /// </summary>
    private static bool OneRun(ReadOnlySpan<StridedBuffer> ops, out long n)
    {
        n = 0;
        ref readonly var dst = ref ops[^1];
        var ds = dst._strides;
        for (int i = 0; i < ops.Length - 1; i++)
            if (!ReferenceEquals(ops[i]._strides, ds)) return false;
        if (!Shapes.IsContiguous(dst._shape, ds)) return false;
        n = Shapes.Numel(dst._shape);
        return true;
    }

    /// <summary>Offsets and strides of the operands; false when an input shares the output's memory with another layout.</summary>
    private static bool Gather(ReadOnlySpan<StridedBuffer> ops, Span<long> offs, ref StrideArrays strides)
    {
        ref readonly var dst = ref ops[^1];
        bool free = true;
        for (int i = 0; i < ops.Length; i++)
        {
            ref readonly var t = ref ops[i];
            offs[i] = t._offset; strides[i] = t._strides;
            if (free && i < ops.Length - 1 && ReferenceEquals(t._storage, dst._storage) &&
                !(t._offset == dst._offset && (ReferenceEquals(t._strides, dst._strides) || t._strides.AsSpan().SequenceEqual(dst._strides))))
                free = false;
        }
        return free;
    }

    // ---------------- copy and fill ----------------

    public void Copy(in StridedBuffer src, in StridedBuffer dst)
    {
        var from = new CopyFrom(in src, in dst);
        DTypeSwitch.Any(src.dtype, ref from);
    }

    // The visitors below are ref structs holding the buffers by reference: as values they copied 32 bytes per
    // operand into the visitor and again through the dtype switch, on every op.
    private readonly ref struct CopyFrom(ref readonly StridedBuffer src, ref readonly StridedBuffer dst) : IAnyTypeUser
    {
        private readonly ref readonly StridedBuffer _src = ref src, _dst = ref dst;

        public void Use<TS>() where TS : unmanaged
        {
            var to = new CopyInto<TS>(in _src, in _dst);
            DTypeSwitch.Any(_dst.dtype, ref to);
        }
    }

    private readonly ref struct CopyInto<TS>(ref readonly StridedBuffer src, ref readonly StridedBuffer dst) : IAnyTypeUser where TS : unmanaged
    {
        private readonly ref readonly StridedBuffer _src = ref src, _dst = ref dst;
        public void Use<TD>() where TD : unmanaged => CopyTo<TS, TD>(_src, _dst);
    }

    private static void CopyTo<TS, TD>(in StridedBuffer src, in StridedBuffer dst) where TS : unmanaged where TD : unmanaged
    {
        var k = new CopyKernel<TS, TD> { Src = S(src), Dst = S(dst) };
        if (!RanAsOne(ref k, src, dst)) LoopElementwise(dst, ref k, true, src, dst);
    }

    public void Fill(in StridedBuffer dst, Scalar value)
    {
        var fill = new FillWith(in dst, value);
        DTypeSwitch.Any(dst.dtype, ref fill);
    }

    private readonly ref struct FillWith(ref readonly StridedBuffer dst, Scalar value) : IAnyTypeUser
    {
        private readonly ref readonly StridedBuffer _dst = ref dst;
        private readonly Scalar _value = value;
        public void Use<T>() where T : unmanaged => FillT(_dst, _value.As<T>());
    }

    private static void FillT<T>(in StridedBuffer dst, T v) where T : unmanaged
    {
        var k = new FillKernel<T> { Dst = S(dst), Value = v };
        if (!RanAsOne(ref k, dst, dst)) LoopElementwise(dst, ref k, true, dst);
    }

    public void Upload<T>(ReadOnlySpan<T> src, StridedBuffer dst) where T : unmanaged =>
        src.CopyTo(S(dst).Span<T>().Slice((int)dst._offset, src.Length));

    public void Download<T>(StridedBuffer src, Span<T> dst) where T : unmanaged
    {
        if (src.is_contiguous())
        {
            S(src).Span<T>().Slice((int)src._offset, dst.Length).CopyTo(dst);
            return;
        }
        var tmp = new StridedBuffer(CpuStorage.Allocate<T>(dst.Length), src._shape, Shapes.ContiguousStrides(src._shape), 0);
        Copy(src, tmp);
        S(tmp).Span<T>().CopyTo(dst);
    }

    // ---------------- reduced-precision floats compute through float32 ----------------

    /// <summary>Runs <paramref name="body"/> on float32 copies of half/bfloat16 operands and writes the result back.</summary>
    private void ThroughFloat(StridedBuffer dst, StridedBuffer[] inputs, Action<StridedBuffer[], StridedBuffer> body)
    {
        var f = new StridedBuffer[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) f[i] = ToFloat(inputs[i]);
        var fd = dst.dtype.is_floating_point ? StridedBuffer.Empty(dst._shape, DType.Float32, Device.CPU) : StridedBuffer.Empty(dst._shape, dst.dtype, Device.CPU);
        body(f, fd);
        Copy(fd, dst);
    }

    // Separate methods, not lambdas in the dispatch switch: a lambda capturing a parameter makes the compiler allocate
    // its closure on entry to the whole method, so every float32 op would pay for the half-precision branch.
    private void UnaryThroughFloat(UnaryOp op, StridedBuffer src, StridedBuffer dst) => ThroughFloat(dst, [src], (i, o) => Unary(op, i[0], o));
    private void BinaryThroughFloat(BinaryOp op, StridedBuffer a, StridedBuffer b, StridedBuffer dst) =>
        ThroughFloat(dst, [a, b], (i, o) => Binary(op, i[0], i[1], o));
    private void ReduceThroughFloat(ReduceOp op, StridedBuffer src, StridedBuffer dst) => ThroughFloat(dst, [src], (i, o) => Reduce(op, i[0], o, null));
    private void ScanThroughFloat(ScanOp op, StridedBuffer src, int dim, StridedBuffer dst) => ThroughFloat(dst, [src], (i, o) => Scan(op, i[0], dim, o));

    private StridedBuffer ToFloat(StridedBuffer t)
    {
        if (t.dtype != DType.Float16 && t.dtype != DType.BFloat16) return t;
        var r = StridedBuffer.Empty(t._shape, DType.Float32, Device.CPU);
        Copy(t, r);
        return r;
    }

    private static bool IsReduced(DType d) => d == DType.Float16 || d == DType.BFloat16;

    private static Exception Unsupported(string op, DType dtype) =>
        new NotSupportedException($"\"{op.ToLowerInvariant()}_cpu\" not implemented for '{dtype.Title}'");

    // ---------------- unary ----------------

    public void Unary(UnaryOp op, in StridedBuffer src, in StridedBuffer dst)
    {
        // As Binary: the dtype visit only picks the cached kernel, the buffers go to it by reference.
        var u = new UnaryKernelFor(op);
        DTypeSwitch.Visit(src.dtype, ref u);
        u.Kernel!(src, dst);
    }

    private struct UnaryKernelFor(UnaryOp op) : IDTypeUser
    {
        public UnaryKernel? Kernel;
        public void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> =>
            Kernel = OpKernels<T, UnaryKernel>.Get(op) ?? FloatUnaryKernel<T>(op);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> =>
            Kernel = OpKernels<T, UnaryKernel>.Get(op) ?? IntUnaryKernel<T>(op);
        public void Reduced<T>() where T : unmanaged => Kernel = OpKernels<T, UnaryKernel>.Get(op) ?? ThroughFloatUnaryKernel<T>(op);
        public void Bool() => Kernel = OpKernels<bool, UnaryKernel>.Get(op) ?? BoolUnaryKernel(op);
    }

    private static UnaryKernel ThroughFloatUnaryKernel<T>(UnaryOp op) =>
        OpKernels<T, UnaryKernel>.Set(op, (in StridedBuffer s, in StridedBuffer d) => Backends.Cpu.UnaryThroughFloat(op, s, d));

    private static UnaryKernel BoolUnaryKernel(UnaryOp op) => OpKernels<bool, UnaryKernel>.Set(op, op.LogicalNotOnBool
        ? (in StridedBuffer s, in StridedBuffer d) => Backends.Cpu.LogicalNot(s, d)
        : (in StridedBuffer s, in StridedBuffer _) => throw op.NotImplemented("cpu", s.dtype));

    /// <summary>~b on bool is logical not: a comparison with a broadcast False.</summary>
    private void LogicalNot(in StridedBuffer src, in StridedBuffer dst)
    {
        var no = StridedBuffer.Empty([], DType.Bool, Device.CPU);
        Compare(BinaryOp.Eq, src, new StridedBuffer(no._storage, src._shape, new long[src._shape.Length], 0), dst);
    }

    private static void RunUnary<T, F>(in StridedBuffer src, in StridedBuffer dst) where T : unmanaged where F : IUnaryFn<T>
    {
        var k = new UnaryKernel<T, F> { Src = S(src), Dst = S(dst) };
        if (!RanAsOne(ref k, src, dst)) LoopElementwise(dst, ref k, F.ContigExact, src, dst);
    }

    private static UnaryKernel FloatUnaryKernel<T>(UnaryOp op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var make = new MakeUnary<T>();
        return OpKernels<T, UnaryKernel>.Set(op, op.Floating<T, MakeUnary<T>>(ref make) ? make.Kernel! : (in StridedBuffer s, in StridedBuffer _) => throw op.NotImplemented("cpu", s.dtype));
    }

    private static UnaryKernel IntUnaryKernel<T>(UnaryOp op) where T : unmanaged, IBinaryInteger<T>
    {
        var make = new MakeUnary<T>();
        // Rounding an integer is the identity.
        var kernel = op.IdentityOnIntegers ? (in StridedBuffer s, in StridedBuffer d) => Backends.Cpu.Copy(s, d)
            : op.Integer<T, MakeUnary<T>>(ref make) ? make.Kernel! : (in StridedBuffer s, in StridedBuffer _) => throw op.NotImplemented("cpu", s.dtype);
        return OpKernels<T, UnaryKernel>.Set(op, kernel);
    }

    private struct MakeUnary<T> : IUnaryUser<T> where T : unmanaged
    {
        public UnaryKernel? Kernel;
        public bool Use<F>() where F : struct, IUnaryFn<T> { Kernel = RunUnary<T, F>; return true; }
    }

    // ---------------- binary ----------------

    public void Binary(BinaryOp op, in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst)
    {
        if (op.IsComparison) { Compare(op, a, b, dst); return; }
        // The dtype visit only picks the cached kernel; the operands go to it by reference (a buffer is 32 bytes:
        // copying three of them into a visitor measured on the 1-element a + b).
        var u = new BinaryKernelFor(op);
        DTypeSwitch.Visit(a.dtype, ref u);
        u.Kernel!(a, b, dst);
    }

    private struct BinaryKernelFor(BinaryOp op) : IDTypeUser
    {
        public BinaryKernel? Kernel;
        public void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> =>
            Kernel = OpKernels<T, BinaryKernel>.Get(op) ?? FloatBinaryKernel<T>(op);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> =>
            Kernel = OpKernels<T, BinaryKernel>.Get(op) ?? IntBinaryKernel<T>(op);
        public void Reduced<T>() where T : unmanaged => Kernel = OpKernels<T, BinaryKernel>.Get(op) ?? ThroughFloatKernel<T>(op);
        public void Bool() => Kernel = OpKernels<bool, BinaryKernel>.Get(op) ?? BoolKernel(op);
    }

    private static BinaryKernel ThroughFloatKernel<T>(BinaryOp op) =>
        OpKernels<T, BinaryKernel>.Set(op, (in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst) => Backends.Cpu.BinaryThroughFloat(op, a, b, dst));

    // bool arithmetic: + is or, * is and (as PyTorch's bool add/mul); bitwise ops act on the bit.
    private static BinaryKernel BoolKernel(BinaryOp op) => OpKernels<bool, BinaryKernel>.Set(op, op.OnBool is { } logical
        ? (in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst) => Backends.Cpu.Compare(logical, a, b, dst)
        : (in StridedBuffer a, in StridedBuffer _, in StridedBuffer _) => throw op.NotImplemented("cpu", a.dtype));

    private static void RunBinary<T, F>(in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst) where T : unmanaged where F : IBinaryFn<T>
    {
        var k = new BinaryKernel<T, F> { A = S(a), B = S(b), Dst = S(dst) };
        if (!RanAsOne(ref k, a, b, dst)) LoopRows(dst, ref k, a, b, dst);
    }

    private static BinaryKernel FloatBinaryKernel<T>(BinaryOp op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var make = new MakeBinary<T>();
        return OpKernels<T, BinaryKernel>.Set(op, op.Floating<T, MakeBinary<T>>(ref make) ? make.Kernel! : (in StridedBuffer x, in StridedBuffer _, in StridedBuffer _) => throw op.NotImplemented("cpu", x.dtype));
    }

    private static BinaryKernel IntBinaryKernel<T>(BinaryOp op) where T : unmanaged, IBinaryInteger<T>
    {
        var make = new MakeIntBinary<T> { Check = op.IntegerCheck };
        return OpKernels<T, BinaryKernel>.Set(op, op.Integer<T, MakeIntBinary<T>>(ref make) ? make.Kernel! : (in StridedBuffer x, in StridedBuffer _, in StridedBuffer _) => throw op.NotImplemented("cpu", x.dtype));
    }

    private struct MakeBinary<T> : IBinaryUser<T> where T : unmanaged
    {
        public BinaryKernel? Kernel;
        public bool Use<F>() where F : struct, IBinaryFn<T> { Kernel = RunBinary<T, F>; return true; }
    }

    /// <summary>Integers raise where ATen's CPU kernels do (<see cref="NonzeroDivisor{T,F}"/>, <see cref="NonNegativeExponent{T,F}"/>).</summary>
    private struct MakeIntBinary<T> : IBinaryUser<T> where T : unmanaged, IBinaryInteger<T>
    {
        public IntegerCheck Check;
        public BinaryKernel? Kernel;

        public bool Use<F>() where F : struct, IBinaryFn<T>
        {
            Kernel = Check switch
            {
                IntegerCheck.NonzeroDivisor => RunBinary<T, NonzeroDivisor<T, F>>,
                IntegerCheck.NonNegativeExponent => RunBinary<T, NonNegativeExponent<T, F>>,
                _ => RunBinary<T, F>,
            };
            return true;
        }
    }

    private static void RunCompare<T, F>(in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst) where T : unmanaged where F : ICompareFn<T>
    {
        var k = new CompareKernel<T, F> { A = S(a), B = S(b), Dst = S(dst) };
        if (!RanAsOne(ref k, a, b, dst)) LoopElementwise(dst, ref k, true, a, b, dst);
    }

    private void Compare(BinaryOp op, in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst)
    {
        var u = new CompareOn(this, op, in a, in b, in dst);
        DTypeSwitch.Visit(a.dtype, ref u);
    }

    private readonly ref struct CompareOn(CpuBackend cpu, BinaryOp op, ref readonly StridedBuffer a, ref readonly StridedBuffer b,
        ref readonly StridedBuffer dst) : IDTypeUser
    {
        private readonly ref readonly StridedBuffer _a = ref a, _b = ref b, _dst = ref dst;
        private readonly CpuBackend _cpu = cpu;
        private readonly BinaryOp _op = op;

        public void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> => CompareT<T>(_op, _a, _b, _dst);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => CompareT<T>(_op, _a, _b, _dst);
        public void Reduced<T>() where T : unmanaged => _cpu.Compare(_op, _cpu.ToFloat(_a), _cpu.ToFloat(_b), _dst);
        public void Bool() => _cpu.Compare(_op, _cpu.AsByte(_a), _cpu.AsByte(_b), _dst);
    }

    private StridedBuffer AsByte(StridedBuffer t)
    {
        var r = StridedBuffer.Empty(t._shape, DType.UInt8, Device.CPU);
        Copy(t, r);
        return r;
    }

    private static void CompareT<T>(BinaryOp op, in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst) where T : unmanaged, INumber<T> =>
        (OpKernels<T, BinaryKernel>.Get(op) ?? CompareKernel<T>(op))(a, b, dst);

    private static BinaryKernel CompareKernel<T>(BinaryOp op) where T : unmanaged, INumber<T>
    {
        var make = new MakeCompare<T>();
        return OpKernels<T, BinaryKernel>.Set(op, op.Compare<T, MakeCompare<T>>(ref make) ? make.Kernel! : (in StridedBuffer x, in StridedBuffer _, in StridedBuffer _) => throw op.NotImplemented("cpu", x.dtype));
    }

    private struct MakeCompare<T> : ICompareUser<T> where T : unmanaged
    {
        public BinaryKernel? Kernel;
        public bool Use<F>() where F : struct, ICompareFn<T> { Kernel = RunCompare<T, F>; return true; }
    }

    /// <summary>ReLU's backward in one pass, where(y &gt; 0, g, 0), for float32/float64 (no bool mask in between).</summary>
    internal static void ReluBackward(StridedBuffer g, StridedBuffer y, StridedBuffer dst)
    {
        if (dst.dtype.Kind == ScalarType.Float32) RunBinary<float, ReluGradFn<float>>(g, y, dst);
        else RunBinary<double, ReluGradFn<double>>(g, y, dst);
    }

    /// <summary>The gradient of x ** 2, g·(2x), in one pass for float32/float64.</summary>
    internal static void SquareBackward(StridedBuffer g, StridedBuffer x, StridedBuffer dst)
    {
        if (dst.dtype.Kind == ScalarType.Float32) RunBinary<float, SquareGradFn<float>>(g, x, dst);
        else RunBinary<double, SquareGradFn<double>>(g, x, dst);
    }

    // ---------------- fused multiply-add ----------------

    public void MulAdd(in StridedBuffer a, in StridedBuffer b, in StridedBuffer c, in StridedBuffer dst)
    {
        var u = new MulAddOn(this, in a, in b, in c, in dst);
        DTypeSwitch.Visit(dst.dtype, ref u);
    }

    private readonly ref struct MulAddOn(CpuBackend cpu, ref readonly StridedBuffer a, ref readonly StridedBuffer b, ref readonly StridedBuffer c,
        ref readonly StridedBuffer dst) : IDTypeUser
    {
        private readonly ref readonly StridedBuffer _a = ref a, _b = ref b, _c = ref c, _dst = ref dst;
        private readonly CpuBackend _cpu = cpu;

        public void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> => MulAddT<T>(_a, _b, _c, _dst);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => MulAddT<T>(_a, _b, _c, _dst);
        public void Reduced<T>() where T : unmanaged => _cpu.MulAddThroughFloat(_a, _b, _c, _dst);
        public void Bool()
        {
            var t = StridedBuffer.Empty(_dst._shape, _dst.dtype, Device.CPU);
            _cpu.Binary(BinaryOp.Mul, _a, _b, t);
            _cpu.Binary(BinaryOp.Add, t, _c, _dst);
        }
    }

    private void MulAddThroughFloat(StridedBuffer a, StridedBuffer b, StridedBuffer c, StridedBuffer dst) => ThroughFloat(dst, [a, b, c], (i, o) => MulAdd(i[0], i[1], i[2], o));

    private static void MulAddT<T>(in StridedBuffer a, in StridedBuffer b, in StridedBuffer c, in StridedBuffer dst) where T : unmanaged, INumber<T>
    {
        var k = new MulAddKernel<T> { A = S(a), B = S(b), C = S(c), Dst = S(dst) };
        LoopElementwise(dst, ref k, true, a, b, c, dst);
    }

    // ---------------- where ----------------

    public void Where(StridedBuffer cond, StridedBuffer a, StridedBuffer b, StridedBuffer dst)
    {
        var u = new WhereOn(cond, a, b, dst);
        DTypeSwitch.Any(dst.dtype, ref u);
    }

    private readonly struct WhereOn(StridedBuffer cond, StridedBuffer a, StridedBuffer b, StridedBuffer dst) : IAnyTypeUser
    {
        public void Use<T>() where T : unmanaged => WhereT<T>(cond, a, b, dst);
    }

    private static void WhereT<T>(StridedBuffer c, StridedBuffer a, StridedBuffer b, StridedBuffer dst) where T : unmanaged
    {
        var k = new WhereKernel<T> { C = S(c), A = S(a), B = S(b), Dst = S(dst) };
        LoopElementwise(dst, ref k, true, c, a, b, dst);
    }
}
