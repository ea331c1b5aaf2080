using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// The CUDA backend: storages live in device memory (through ILGPU, on a CudaAccelerator, or on its CPU accelerator in
/// tests) and every op is a kernel; values only cross to the host through Download (item, ToArray, printing) and
/// Copy to or from a CPU tensor.
/// </summary>
internal sealed partial class GpuBackend : IBackend
{
    public static readonly GpuBackend Instance = new();
    internal static readonly Device Cuda0 = new("cuda", 0);

    /// <summary>The backend for a <c>cuda</c> device; throws, saying why, when there is no usable GPU.</summary>
    public static GpuBackend For(Device device)
    {
        GpuRuntime.CheckIndex(device.index);
        return Instance;
    }

    public Storage Allocate(DType dtype, long count)
    {
        var s = new GpuStorage(dtype, Cuda0, count);
        // Tensor.Empty promises zeroed memory (the CPU's arrays are); cached blocks hold old values.
        s.Bytes.MemSetToZero();
        return s;
    }

    internal static GpuStorage S(StridedBuffer t) => (GpuStorage)t._storage;
    internal static ArrayView<T> V<T>(StridedBuffer t) where T : unmanaged => S(t).View<T>();

    private static Index1D Count(long[] shape)
    {
        var n = Shapes.Numel(shape);
        if (n > int.MaxValue) throw new NotSupportedException($"the CUDA backend launches at most {int.MaxValue} threads per op, got {n}");
        return new Index1D((int)n);
    }

    /// <summary>A CPU operand (e.g. a wrapped 0-dim number) uploaded so the kernel can read it.</summary>
    private StridedBuffer OnDevice(StridedBuffer t)
    {
        if (!t.is_cpu) return t;
        var r = StridedBuffer.Empty(t._shape, t.dtype, Cuda0);
        Copy(t, r);
        return r;
    }

    // ---------------- copy and fill ----------------

    public void Copy(in StridedBuffer src, in StridedBuffer dst)
    {
        if (dst.is_cpu) { CopyToHost(src, dst); return; }
        if (src.is_cpu) { CopyFromHost(src, dst); return; }
        if (Shapes.Numel(dst._shape) == 0) return;
        if (src.dtype == dst.dtype) { Move(src, dst); return; }
        Dispatch.On(src.dtype, new CopyFrom(src, dst));
    }

    private sealed class CopyFrom(StridedBuffer src, StridedBuffer dst) : IElemAction
    {
        public void Run<TS, ES>() where TS : unmanaged where ES : struct, IElem<TS> => Dispatch.On(dst.dtype, new CopyTo<TS, ES>(src, dst));
    }

    private sealed class CopyTo<TS, ES>(StridedBuffer src, StridedBuffer dst) : IElemAction where TS : unmanaged where ES : struct, IElem<TS>
    {
        public void Run<TD, ED>() where TD : unmanaged where ED : struct, IElem<TD>
        {
            var (d, s) = Layouts.Make(dst._shape, src, dst);
            KernelCache.Get<ArrayView<TS>, ArrayView<TD>, Dims, Strd, Strd>(Kernels.Copy<TS, ES, TD, ED>)(Count(dst._shape), V<TS>(src), V<TD>(dst), d, s[0], s[1]);
        }
    }

    /// <summary>Same-dtype copy: moves raw elements by their size.</summary>
    private static void Move(StridedBuffer src, StridedBuffer dst)
    {
        switch (src.dtype.itemsize)
        {
            case 1: MoveT<byte>(src, dst); break;
            case 2: MoveT<ushort>(src, dst); break;
            case 4: MoveT<int>(src, dst); break;
            default: MoveT<long>(src, dst); break;
        }
    }

    private static void MoveT<T>(StridedBuffer src, StridedBuffer dst) where T : unmanaged
    {
        var (d, s) = Layouts.Make(dst._shape, src, dst);
        KernelCache.Get<ArrayView<T>, ArrayView<T>, Dims, Strd, Strd>(Kernels.Move<T>)(Count(dst._shape), V<T>(src), V<T>(dst), d, s[0], s[1]);
    }

    private static StridedBuffer ContiguousOnDevice(StridedBuffer t)
    {
        if (t.is_contiguous()) return t;
        var r = StridedBuffer.Empty(t._shape, t.dtype, Cuda0);
        Move(t, r);
        return r;
    }

    private static ArrayView<byte> ByteWindow(StridedBuffer contiguous) =>
        S(contiguous).Bytes.SubView(contiguous._offset * contiguous.dtype.itemsize, Shapes.Numel(contiguous._shape) * contiguous.dtype.itemsize);

    /// <summary>
    /// Copies between host and device so far (each a synchronising driver call on a GPU): tests use them to show that a
    /// training step moves nothing but what the user asks for (item, printing, .cpu()).
    /// </summary>
    internal static long HostToDeviceCopies => Interlocked.Read(ref s_hostToDevice);

    internal static long DeviceToHostCopies => Interlocked.Read(ref s_deviceToHost);

    private static long s_hostToDevice, s_deviceToHost;

    private void CopyToHost(StridedBuffer src, StridedBuffer dst)
    {
        Interlocked.Increment(ref s_deviceToHost);
        var host = StridedBuffer.Empty(src._shape, src.dtype, Device.CPU);
        if (Shapes.Numel(src._shape) > 0)
        {
            var c = ContiguousOnDevice(src);
            ByteWindow(c).CopyToCPU(((Cpu.CpuStorage)host._storage).Bytes);
        }
        Backends.Cpu.Copy(host, dst);
    }

    private void CopyFromHost(StridedBuffer src, StridedBuffer dst)
    {
        if (Shapes.Numel(dst._shape) == 0) return;
        Interlocked.Increment(ref s_hostToDevice);
        var host = StridedBuffer.Empty(dst._shape, dst.dtype, Device.CPU);
        Backends.Cpu.Copy(src, host);
        var bytes = ((Cpu.CpuStorage)host._storage).Bytes;
        if (dst.is_contiguous()) { ByteWindow(dst).CopyFromCPU(bytes); return; }
        var staged = StridedBuffer.Empty(dst._shape, dst.dtype, Cuda0);
        ByteWindow(staged).CopyFromCPU(bytes);
        Move(staged, dst);
    }

    public void Fill(in StridedBuffer dst, Scalar value)
    {
        var u = new FillWith(dst, value);
        DTypeSwitch.Any(dst.dtype, ref u);
    }

    /// <summary>The value as the host type, then as the device's bits (bool a byte, half types their raw bits).</summary>
    private readonly struct FillWith(StridedBuffer dst, Scalar value) : IAnyTypeUser
    {
        public void Use<T>() where T : unmanaged
        {
            var v = value.As<T>();
            if (typeof(T) == typeof(bool)) FillT(dst, Unsafe.As<T, bool>(ref v) ? (byte)1 : (byte)0);
            else if (typeof(T) == typeof(System.Half)) FillT(dst, BitConverter.HalfToUInt16Bits(Unsafe.As<T, System.Half>(ref v)));
            else if (typeof(T) == typeof(BFloat16)) FillT(dst, Unsafe.As<T, BFloat16>(ref v).Bits);
            else FillT(dst, v);
        }
    }

    private static void FillT<T>(StridedBuffer dst, T v) where T : unmanaged
    {
        if (Shapes.Numel(dst._shape) == 0) return;
        var (d, s) = Layouts.Make(dst._shape, dst);
        KernelCache.Get<ArrayView<T>, Dims, Strd, T>(Kernels.Fill<T>)(Count(dst._shape), V<T>(dst), d, s[0], v);
    }

    public void Upload<T>(ReadOnlySpan<T> src, StridedBuffer dst) where T : unmanaged
    {
        if (src.Length == 0) return;
        Interlocked.Increment(ref s_hostToDevice);
        S(dst).Bytes.SubView(dst._offset * dst.dtype.itemsize, (long)src.Length * Unsafe.SizeOf<T>()).CopyFromCPU(MemoryMarshal.AsBytes(src));
    }

    public void Download<T>(StridedBuffer src, Span<T> dst) where T : unmanaged
    {
        if (dst.Length == 0) return;
        Interlocked.Increment(ref s_deviceToHost);
        var c = ContiguousOnDevice(src);
        ByteWindow(c).CopyToCPU(MemoryMarshal.AsBytes(dst));
    }

    // ---------------- unary ----------------

    public void Unary(UnaryOp op, in StridedBuffer source, in StridedBuffer dst)
    {
        var src = OnDevice(source);
        if (Shapes.Numel(dst._shape) == 0) return;
        if (src.dtype.IsBool)
        {
            if (!op.LogicalNotOnBool) throw op.NotImplemented("cuda", src.dtype);
            // ~b on bool is logical not: compare with a broadcast False.
            var no = StridedBuffer.Empty([], DType.Bool, Cuda0);
            Binary(BinaryOp.Eq, src, new StridedBuffer(no._storage, src._shape, new long[src._shape.Length], 0), dst);
            return;
        }
        // Rounding an integer is the identity.
        if (!src.dtype.is_floating_point && op.IdentityOnIntegers) { Copy(src, dst); return; }
        Dispatch.On(src.dtype, new UnaryAction(op, src, dst));
    }

    /// <summary>Asks the op for its element function at the dtype's compute type (float, double, long).</summary>
    private sealed class UnaryAction(UnaryOp op, StridedBuffer src, StridedBuffer dst) : IElemAction
    {
        public void Run<T, E>() where T : unmanaged where E : struct, IElem<T>
        {
            var (d, s) = Layouts.Make(dst._shape, src, dst);
            var launch = new UnaryLaunch<T, E>(Count(dst._shape), src, dst, d, s[0], s[1]);
            bool known = typeof(T) == typeof(double) ? op.KernelFloating<double, UnaryLaunch<T, E>>(ref launch)
                : default(E).IsFloat ? op.KernelFloating<float, UnaryLaunch<T, E>>(ref launch)
                : op.Integer<long, UnaryLaunch<T, E>>(ref launch);
            if (!known) throw op.NotImplemented("cuda", src.dtype);
        }
    }

    private readonly struct UnaryLaunch<T, E>(Index1D n, StridedBuffer src, StridedBuffer dst, Dims d, Strd ss, Strd ds)
        : IUnaryUser<float>, IUnaryUser<double>, IUnaryUser<long> where T : unmanaged where E : struct, IElem<T>
    {
        bool IUnaryUser<float>.Use<F>()
        {
            KernelCache.Get<ArrayView<T>, ArrayView<T>, Dims, Strd, Strd>(Kernels.UnaryF<T, E, F>)(n, V<T>(src), V<T>(dst), d, ss, ds);
            return true;
        }

        bool IUnaryUser<double>.Use<F>()
        {
            KernelCache.Get<ArrayView<double>, ArrayView<double>, Dims, Strd, Strd>(Kernels.UnaryD<F>)(n, V<double>(src), V<double>(dst), d, ss, ds);
            return true;
        }

        bool IUnaryUser<long>.Use<F>()
        {
            KernelCache.Get<ArrayView<T>, ArrayView<T>, Dims, Strd, Strd>(Kernels.UnaryL<T, E, F>)(n, V<T>(src), V<T>(dst), d, ss, ds);
            return true;
        }
    }

    // ---------------- binary ----------------

    public void Binary(BinaryOp op, in StridedBuffer left, in StridedBuffer right, in StridedBuffer dst)
    {
        StridedBuffer a = left, b = right;
        // A CPU operand is a 0-dim scalar (the device check allows no other); of the op's dtype it goes to the kernel
        // as a value, otherwise it is uploaded.
        if (a.is_cpu && (a.dtype != b.dtype || b.is_cpu)) a = OnDevice(a);
        if (b.is_cpu && b.dtype != a.dtype) b = OnDevice(b);
        if (Shapes.Numel(dst._shape) == 0) return;
        var dt = a.is_cpu ? b.dtype : a.dtype;
        // bool arithmetic: + is or, * is and (as PyTorch's bool add/mul); bitwise ops act on the bit.
        if (dt.IsBool && !op.IsComparison) op = op.OnBool ?? throw op.NotImplemented("cuda", dt);
        Dispatch.On(dt, new BinaryAction(op, a, b, dst));
    }

    private sealed class BinaryAction(BinaryOp op, StridedBuffer a, StridedBuffer b, StridedBuffer dst) : IElemAction
    {
        public void Run<T, E>() where T : unmanaged where E : struct, IElem<T>
        {
            var (d, s) = Layouts.Make(dst._shape, a, b, dst);
            int side = a.is_cpu ? 1 : b.is_cpu ? 2 : 0;
            var scalar = side == 1 ? HostScalar<T>(a) : side == 2 ? HostScalar<T>(b) : default;
            // The scalar side's view is never read; the other operand's stands in for it.
            var launch = new BinaryLaunch<T, E>(Count(dst._shape), side == 1 ? V<T>(b) : V<T>(a), side == 2 ? V<T>(a) : V<T>(b), dst, d, s, scalar, side);
            bool known = op.IsComparison
                ? default(E).IsFloat ? op.Compare<double, BinaryLaunch<T, E>>(ref launch) : op.Compare<long, BinaryLaunch<T, E>>(ref launch)
                : typeof(T) == typeof(double) ? op.Floating<double, BinaryLaunch<T, E>>(ref launch)
                : default(E).IsFloat ? op.Floating<float, BinaryLaunch<T, E>>(ref launch)
                : op.Integer<long, BinaryLaunch<T, E>>(ref launch);
            if (!known) throw op.NotImplemented("cuda", a.is_cpu ? b.dtype : a.dtype);
        }
    }

    private readonly struct BinaryLaunch<T, E>(Index1D n, ArrayView<T> va, ArrayView<T> vb, StridedBuffer dst, Dims d, Strd[] s, T scalar, int side)
        : IBinaryUser<float>, IBinaryUser<double>, IBinaryUser<long>, ICompareUser<double>, ICompareUser<long>
        where T : unmanaged where E : struct, IElem<T>
    {
        bool IBinaryUser<float>.Use<F>()
        {
            KernelCache.Get<ArrayView<T>, ArrayView<T>, ArrayView<T>, Dims, Strd, Strd, Strd, T, int>(Kernels.BinaryF<T, E, F>)(n, va, vb, V<T>(dst), d, s[0], s[1], s[2], scalar, side);
            return true;
        }

        bool IBinaryUser<double>.Use<F>()
        {
            KernelCache.Get<ArrayView<double>, ArrayView<double>, ArrayView<double>, Dims, Strd, Strd, Strd, double, int>(Kernels.BinaryD<F>)(n, va.Cast<double>(), vb.Cast<double>(), V<double>(dst), d, s[0], s[1], s[2], Unsafe.As<T, double>(ref Unsafe.AsRef(in scalar)), side);
            return true;
        }

        bool IBinaryUser<long>.Use<F>()
        {
            KernelCache.Get<ArrayView<T>, ArrayView<T>, ArrayView<T>, Dims, Strd, Strd, Strd, T, int>(Kernels.BinaryL<T, E, F>)(n, va, vb, V<T>(dst), d, s[0], s[1], s[2], scalar, side);
            return true;
        }

        bool ICompareUser<double>.Use<F>()
        {
            KernelCache.Get<ArrayView<T>, ArrayView<T>, ArrayView<byte>, Dims, Strd, Strd, Strd, T, int>(Kernels.CompareD<T, E, F>)(n, va, vb, V<byte>(dst), d, s[0], s[1], s[2], scalar, side);
            return true;
        }

        bool ICompareUser<long>.Use<F>()
        {
            KernelCache.Get<ArrayView<T>, ArrayView<T>, ArrayView<byte>, Dims, Strd, Strd, Strd, T, int>(Kernels.CompareL<T, E, F>)(n, va, vb, V<byte>(dst), d, s[0], s[1], s[2], scalar, side);
            return true;
        }
    }

    /// <summary>A CPU 0-dim tensor's value, read as the device's element type (same bits: bool as byte, half as ushort).</summary>
    private static T HostScalar<T>(StridedBuffer t) where T : unmanaged => ((Cpu.CpuStorage)t._storage).Span<T>()[(int)t._offset];

    // ---------------- fused multiply-add ----------------

    /// <summary>dst = a·b + c in one kernel, rounded once (see <see cref="IBackend.MulAdd"/>); CPU scalars go by value.</summary>
    public void MulAdd(in StridedBuffer a, in StridedBuffer b, in StridedBuffer c, in StridedBuffer dst)
    {
        if (Shapes.Numel(dst._shape) == 0) return;
        if (dst.dtype.IsBool)
        {
            // bool: a·b + c is (a and b) or c, through Binary's logical ops.
            var t = StridedBuffer.Empty(dst._shape, dst.dtype, dst.device);
            Binary(BinaryOp.Mul, a, b, t);
            Binary(BinaryOp.Add, t, c, dst);
            return;
        }
        Dispatch.On(dst.dtype, new MulAddAction(a, b, c, dst));
    }

    private sealed class MulAddAction(StridedBuffer a, StridedBuffer b, StridedBuffer c, StridedBuffer dst) : IElemAction
    {
        public void Run<T, E>() where T : unmanaged where E : struct, IElem<T>
        {
            var (d, s) = Layouts.Make(dst._shape, a, b, c, dst);
            var l = new MulAddLayout { A = s[0], B = s[1], C = s[2], Dst = s[3], Scalars = (a.is_cpu ? 1 : 0) | (b.is_cpu ? 2 : 0) | (c.is_cpu ? 4 : 0) };
            T sa = a.is_cpu ? HostScalar<T>(a) : default, sb = b.is_cpu ? HostScalar<T>(b) : default, sc = c.is_cpu ? HostScalar<T>(c) : default;
            // A scalar's view is never read; dst's stands in for it.
            ArrayView<T> va = a.is_cpu ? V<T>(dst) : V<T>(a), vb = b.is_cpu ? V<T>(dst) : V<T>(b), vc = c.is_cpu ? V<T>(dst) : V<T>(c);
            var n = Count(dst._shape);
            var ptx = GpuRuntime.Accelerator is ILGPU.Runtime.Cuda.CudaAccelerator;
            if (typeof(T) == typeof(double))
                KernelCache.Get<ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, Dims, MulAddLayout, double, double, double>(ptx ? Kernels.MulAddD<PtxFma> : Kernels.MulAddD<ManagedFma>)(
                    n, va.Cast<double>(), vb.Cast<double>(), vc.Cast<double>(), V<double>(dst), d, l, Unsafe.As<T, double>(ref sa), Unsafe.As<T, double>(ref sb), Unsafe.As<T, double>(ref sc));
            else if (default(E).IsFloat)
                KernelCache.Get<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, Dims, MulAddLayout, T, T, T>(ptx ? Kernels.MulAddF<T, E, PtxFma> : Kernels.MulAddF<T, E, ManagedFma>)(
                    n, va, vb, vc, V<T>(dst), d, l, sa, sb, sc);
            else
                KernelCache.Get<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, Dims, MulAddLayout, T, T, T>(Kernels.MulAddL<T, E>)(n, va, vb, vc, V<T>(dst), d, l, sa, sb, sc);
        }
    }

    // ---------------- where ----------------

    public void Where(StridedBuffer cond, StridedBuffer a, StridedBuffer b, StridedBuffer dst)
    {
        cond = OnDevice(cond); a = OnDevice(a); b = OnDevice(b);
        if (Shapes.Numel(dst._shape) == 0) return;
        if (!cond.dtype.IsBool)
        {
            var c = StridedBuffer.Empty(cond._shape, DType.Bool, Cuda0);
            Copy(cond, c);
            cond = c;
        }
        switch (dst.dtype.itemsize)
        {
            case 1: WhereT<byte>(cond, a, b, dst); break;
            case 2: WhereT<ushort>(cond, a, b, dst); break;
            case 4: WhereT<int>(cond, a, b, dst); break;
            default: WhereT<long>(cond, a, b, dst); break;
        }
    }

    private static void WhereT<T>(StridedBuffer c, StridedBuffer a, StridedBuffer b, StridedBuffer dst) where T : unmanaged
    {
        var (d, s) = Layouts.Make(dst._shape, c, a, b, dst);
        KernelCache.Get<ArrayView<byte>, ArrayView<T>, ArrayView<T>, ArrayView<T>, Dims, Strd, Strd, Strd, Strd>(Kernels.Where<T>)(
            Count(dst._shape), V<byte>(c), V<T>(a), V<T>(b), V<T>(dst), d, s[0], s[1], s[2], s[3]);
    }

    // ---------------- reductions and scans ----------------

    public void Reduce(ReduceOp op, StridedBuffer src, StridedBuffer dst, StridedBuffer? indices)
    {
        src = OnDevice(src);
        if (Shapes.Numel(dst._shape) == 0) return;
        int nd = src._shape.Length;
        var kept = new long[nd];
        var redShape = new List<long>(); var redStrides = new List<long>();
        for (int i = 0; i < nd; i++)
        {
            if (dst._shape[i] == 1 && src._shape[i] != 1) { redShape.Add(src._shape[i]); redStrides.Add(src._strides[i]); }
            else kept[i] = src._strides[i];
        }
        var outer = src.View(dst._shape, kept, src._offset);
        var idx = indices ?? StridedBuffer.Empty([1], DType.Int64, Cuda0);
        var (od, os) = Layouts.Make(dst._shape, outer, dst, indices ?? dst);
        var (rd, rs) = Layouts.Raw(redShape.ToArray(), redStrides.ToArray(), 0);
        long count = Shapes.Numel(redShape.ToArray()), outs = Shapes.Numel(dst._shape);
        var p = new RedParams { Op = (int)op, WantIndex = indices is null ? 0 : 1, Count = count, Chunks = 1, ChunkLength = count };
        if (indices is null && outs < 4096 && count >= 8192)
        {
            // Few outputs, long blocks: fold slices into partials (double for floats, long for integers), then fold those.
            p.Chunks = Math.Min(1024, count / 1024);
            p.ChunkLength = (count + p.Chunks - 1) / p.Chunks;
            var partial = StridedBuffer.Empty([.. dst._shape, p.Chunks], src.dtype.is_floating_point ? DType.Float64 : DType.Int64, Cuda0);
            Dispatch.On(src.dtype, new ReduceFrom(src, partial, idx, od, os, rd, rs, p));
            var into = new StridedBuffer(dst._storage, [.. dst._shape, 1], [.. dst._strides, 1], dst._offset);
            Reduce(op, partial, into, null);
            return;
        }
        Dispatch.On(src.dtype, new ReduceFrom(src, dst, idx, od, os, rd, rs, p));
    }

    private sealed class ReduceFrom(StridedBuffer src, StridedBuffer dst, StridedBuffer idx, Dims od, Strd[] os, Dims rd, Strd rs, RedParams p) : IElemAction
    {
        public void Run<TS, ES>() where TS : unmanaged where ES : struct, IElem<TS> => Dispatch.On(dst.dtype, new ReduceTo<TS, ES>(this));

        private void Launch<TS, ES, TD, ED>() where TS : unmanaged where ES : struct, IElem<TS> where TD : unmanaged where ED : struct, IElem<TD>
        {
            var oidx = p.WantIndex != 0 ? os[2] : default;
            KernelCache.Get<ArrayView<TS>, ArrayView<TD>, ArrayView<long>, Dims, Strd, Strd, Strd, Dims, Strd, RedParams>(Kernels.Reduce<TS, ES, TD, ED>)(
                Count(dst._shape), V<TS>(src), V<TD>(dst), V<long>(idx), od, os[0], os[1], oidx, rd, rs, p);
        }

        private sealed class ReduceTo<TS, ES>(ReduceFrom r) : IElemAction where TS : unmanaged where ES : struct, IElem<TS>
        {
            public void Run<TD, ED>() where TD : unmanaged where ED : struct, IElem<TD> => r.Launch<TS, ES, TD, ED>();
        }
    }

    public void Scan(ScanOp op, StridedBuffer src, int dim, StridedBuffer dst)
    {
        src = OnDevice(src);
        if (Shapes.Numel(dst._shape) == 0) return;
        var outerShape = (long[])src._shape.Clone(); outerShape[dim] = 1;
        var so = new StridedBuffer(src._storage, outerShape, src._strides, src._offset);
        var dO = new StridedBuffer(dst._storage, outerShape, dst._strides, dst._offset);
        var (d, s) = Layouts.Make(outerShape, so, dO);
        var p = new ScanParams { Length = src._shape[dim], SrcStride = src._strides[dim], DstStride = dst._strides[dim], Prod = op == ScanOp.CumProd ? 1 : 0 };
        Dispatch.On(src.dtype, new ScanAction(src, dst, outerShape, d, s, p));
    }

    private sealed class ScanAction(StridedBuffer src, StridedBuffer dst, long[] outer, Dims d, Strd[] s, ScanParams p) : IElemAction
    {
        public void Run<T, E>() where T : unmanaged where E : struct, IElem<T> =>
            KernelCache.Get<ArrayView<T>, ArrayView<T>, Dims, Strd, Strd, ScanParams>(Kernels.Scan<T, E>)(Count(outer), V<T>(src), V<T>(dst), d, s[0], s[1], p);
    }
}
