using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Notebooks.Tensors.Backend.Cpu;

internal interface IReducer<T>
{
    static abstract T Identity { get; }
    static abstract T Combine(T acc, T x);
    /// <summary>Reduces a contiguous run, or returns false to fall back to Combine.</summary>
    static abstract bool Contig(ReadOnlySpan<T> x, out T result);
    /// <summary>acc[j] = Combine(acc[j], row[j]) for a whole row, or false to fall back to Combine.</summary>
    static abstract bool CombineRow(ReadOnlySpan<T> row, Span<T> acc);
}

internal struct SumReducer<T> : IReducer<T> where T : INumber<T>
{
    public static T Identity => T.Zero;
    public static T Combine(T acc, T x) => acc + x;
    public static bool Contig(ReadOnlySpan<T> x, out T r) { r = CascadeSum.Sum(x); return true; }
    public static bool CombineRow(ReadOnlySpan<T> row, Span<T> acc) { TensorPrimitives.Add(acc, row, acc); return true; }
}

/// <summary>
/// Float sums as PyTorch does them: vector accumulators over short blocks (TensorPrimitives.Sum), combined pairwise,
/// so rounding error grows with log n rather than n. Long spans are split across cores first.
/// </summary>
internal static class CascadeSum
{
    private const int Block = 1024;
    private const int ParallelMin = 1 << 20;

    public static T Sum<T>(ReadOnlySpan<T> x) where T : INumber<T>
    {
        if (x.Length <= AtenSumOrder.MaxLength)
        {
            if (typeof(T) == typeof(float)) { var r = AtenSumOrder.Sum(As<T, float>(x)); return Unsafe.As<float, T>(ref r); }
            if (typeof(T) == typeof(double)) { var r = AtenSumOrder.Sum(As<T, double>(x)); return Unsafe.As<double, T>(ref r); }
        }
        if (x.Length >= ParallelMin && WorkerTeam.Threads > 1)
        {
            if (typeof(T) == typeof(float)) { var r = ParallelSum(As<T, float>(x)); return Unsafe.As<float, T>(ref r); }
            if (typeof(T) == typeof(double)) { var r = ParallelSum(As<T, double>(x)); return Unsafe.As<double, T>(ref r); }
        }
        return Pairwise(x);
    }

    private static T Pairwise<T>(ReadOnlySpan<T> x) where T : INumber<T>
    {
        if (x.Length <= Block) return TensorPrimitives.Sum(x);
        // Split on a block boundary so the tree's shape depends only on the length.
        int half = (x.Length / Block + 1) / 2 * Block;
        return Pairwise(x[..half]) + Pairwise(x[half..]);
    }

    private static ReadOnlySpan<U> As<T, U>(ReadOnlySpan<T> x) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, U>(ref MemoryMarshal.GetReference(x)), x.Length);

    private static unsafe T ParallelSum<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T>
    {
        // Halves, as the pairwise tree's top level would split, so the result doesn't depend on the thread count.
        int half = (x.Length / Block + 1) / 2 * Block;
        T left = default!, right = default!;
        fixed (T* p = x)
        {
            nint addr = (nint)p; int len = x.Length;
            WorkerTeam.For(2, i =>
            {
                if (i == 0) left = Pairwise(new ReadOnlySpan<T>((void*)addr, half));
                else right = Pairwise(new ReadOnlySpan<T>((T*)addr + half, len - half));
            }, 2);
        }
        return left + right;
    }
}
internal struct ProdReducer<T> : IReducer<T> where T : INumber<T>
{
    public static T Identity => T.One;
    public static T Combine(T acc, T x) => acc * x;
    public static bool Contig(ReadOnlySpan<T> x, out T r) { r = default!; return false; }
    public static bool CombineRow(ReadOnlySpan<T> row, Span<T> acc) => false;
}
internal struct MaxReducer<T> : IReducer<T> where T : INumber<T>, IMinMaxValue<T>
{
    public static T Identity => T.IsNaN(T.Zero) ? T.Zero : MinOf();
    private static T MinOf() => typeof(T) == typeof(float) ? T.CreateTruncating(float.NegativeInfinity) : typeof(T) == typeof(double) ? T.CreateTruncating(double.NegativeInfinity) : T.MinValue;
    public static T Combine(T acc, T x) => T.IsNaN(acc) ? acc : T.IsNaN(x) || x > acc ? x : acc;
    public static bool Contig(ReadOnlySpan<T> x, out T r) { r = default!; return false; }
    public static bool CombineRow(ReadOnlySpan<T> row, Span<T> acc) => false;
}
internal struct MinReducer<T> : IReducer<T> where T : INumber<T>, IMinMaxValue<T>
{
    public static T Identity => typeof(T) == typeof(float) ? T.CreateTruncating(float.PositiveInfinity) : typeof(T) == typeof(double) ? T.CreateTruncating(double.PositiveInfinity) : T.MaxValue;
    public static T Combine(T acc, T x) => T.IsNaN(acc) ? acc : T.IsNaN(x) || x < acc ? x : acc;
    public static bool Contig(ReadOnlySpan<T> x, out T r) { r = default!; return false; }
    public static bool CombineRow(ReadOnlySpan<T> row, Span<T> acc) => false;
}

/// <summary>Reduction kernels: each output element folds a (possibly strided, multi-dim) block of the input.</summary>
internal sealed partial class CpuBackend
{
    public void Reduce(ReduceOp op, StridedBuffer src, StridedBuffer dst, StridedBuffer? indices)
    {
        if (indices is { } idx) { ArgReduce(op, src, dst, idx); return; }
        switch (op)
        {
            case ReduceOp.All or ReduceOp.Any:
                var bsrc = AsByte(src);
                var bdst = StridedBuffer.Empty(dst._shape, DType.UInt8, Device.CPU);
                if (op == ReduceOp.Any) ReduceWith<byte, MaxReducer<byte>>(bsrc, bdst); else ReduceWith<byte, MinReducer<byte>>(bsrc, bdst);
                Copy(bdst, dst);
                return;
        }
        var u = new ReduceOn(this, op, src, dst);
        DTypeSwitch.Visit(src.dtype, ref u);
    }

    private readonly struct ReduceOn(CpuBackend cpu, ReduceOp op, StridedBuffer src, StridedBuffer dst) : IDTypeUser
    {
        public void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> => ReduceNum<T>(op, src, dst);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => ReduceNum<T>(op, src, dst);
        public void Reduced<T>() where T : unmanaged => cpu.ReduceThroughFloat(op, src, dst);
        public void Bool() => cpu.Reduce(op, cpu.AsByte(src), dst, null);
    }

    /// <summary>
    /// dst's one element = the sum of a contiguous float tensor whose every dim of size &gt; 1 is reduced. For such a
    /// tensor ReduceWith merges the reduced dims into one unit-stride span and folds it with CascadeSum.Sum; this
    /// calls the same sum on the same span without the dim bookkeeping (the small-tensor cost of a training step).
    /// </summary>
    internal static bool TrySumContiguousToOne(StridedBuffer src, StridedBuffer dst)
    {
        long n = Shapes.Numel(src._shape);
        if (n is < 2 or > int.MaxValue) return false;
        switch (src.dtype.Kind)
        {
            case ScalarType.Float32: SumSpan<float>(src, dst, (int)n); return true;
            case ScalarType.Float64: SumSpan<double>(src, dst, (int)n); return true;
            default: return false;
        }
    }

    private static void SumSpan<T>(StridedBuffer src, StridedBuffer dst, int n) where T : unmanaged, INumber<T>
    {
        var x = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref S(src).Ref<T>(), (nint)src._offset), n);
        Unsafe.Add(ref S(dst).Ref<T>(), (nint)dst._offset) = CascadeSum.Sum(x);
    }

    private static void ReduceNum<T>(ReduceOp op, StridedBuffer src, StridedBuffer dst) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        switch (op)
        {
            case ReduceOp.Sum: ReduceWith<T, SumReducer<T>>(src, dst); break;
            case ReduceOp.Prod: ReduceWith<T, ProdReducer<T>>(src, dst); break;
            case ReduceOp.Max: ReduceWith<T, MaxReducer<T>>(src, dst); break;
            case ReduceOp.Min: ReduceWith<T, MinReducer<T>>(src, dst); break;
            default: throw new NotSupportedException(op.ToString());
        }
    }

    /// <summary>Splits src's dims into kept (dst size == src size) and reduced ones.</summary>
    private static (long[] redShape, long[] redStrides, long[] keptStrides) SplitDims(StridedBuffer src, StridedBuffer dst)
    {
        var nd = src._shape.Length;
        var kept = new long[nd];
        Span<long> shape = stackalloc long[nd], strides = stackalloc long[nd];
        int n = 0;
        for (int i = 0; i < nd; i++)
        {
            if (dst._shape[i] == 1 && src._shape[i] != 1)
            {
                long size = src._shape[i], stride = src._strides[i];
                kept[i] = 0;
                // Merge reduced dims that are contiguous with each other so a full reduction is one span.
                if (n > 0 && strides[n - 1] == stride * size) { shape[n - 1] *= size; strides[n - 1] = stride; }
                else { shape[n] = size; strides[n] = stride; n++; }
            }
            else kept[i] = src._strides[i];
        }
        return (shape[..n].ToArray(), strides[..n].ToArray(), kept);
    }

    private static void ReduceWith<T, R>(StridedBuffer src, StridedBuffer dst) where T : unmanaged where R : IReducer<T>
    {
        var (rs, rst, kept) = SplitDims(src, dst);
        var k = new ReduceKernel<T, R> { Src = S(src), Dst = S(dst), RedShape = rs, RedStrides = rst };
        var view = src.View(dst._shape, kept, src._offset);
        Loop(dst, ref k, view, dst);
    }

    private struct ReduceKernel<T, R> : IInnerLoop where T : unmanaged where R : IReducer<T>
    {
        public CpuStorage Src, Dst;
        public long[] RedShape, RedStrides;

        public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
        {
            ref T s = ref Src.Ref<T>();
            ref T d = ref Dst.Ref<T>();
            // Reducing an outer dim into a contiguous run of outputs: fold whole rows (vectorised, cache-friendly)
            // instead of walking one strided column per output.
            if (n >= 8 && st[0] == 1 && st[1] == 1 && RedShape.Length == 1 && RedShape[0] > 1)
            {
                var acc = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref d, (nint)off[1]), (int)n);
                if (Rows(ref s, off[0], RedShape[0], RedStrides[0], acc)) return;
            }
            for (long i = 0; i < n; i++)
                Unsafe.Add(ref d, (nint)(off[1] + i * st[1])) = Block(ref s, off[0] + i * st[0]);
        }

        /// <summary>
        /// acc = fold of rows [0, count) starting at off, rows stride apart. Halves are folded separately and then
        /// combined, the row-wise analogue of the cascade sum, so float error grows with log(count).
        /// </summary>
        private static bool Rows(ref T s, long off, long count, long stride, Span<T> acc)
        {
            const int Leaf = 16;
            if (count <= Leaf)
            {
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref s, (nint)off), acc.Length).CopyTo(acc);
                for (long r = 1; r < count; r++)
                    if (!R.CombineRow(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref s, (nint)(off + r * stride)), acc.Length), acc))
                        return false;
                return true;
            }
            long half = count / 2;
            if (!Rows(ref s, off, half, stride, acc)) return false;
            var tmp = System.Buffers.ArrayPool<T>.Shared.Rent(acc.Length);
            try
            {
                var t = tmp.AsSpan(0, acc.Length);
                Rows(ref s, off + half * stride, count - half, stride, t);
                R.CombineRow(t, acc);
            }
            finally { System.Buffers.ArrayPool<T>.Shared.Return(tmp); }
            return true;
        }

        private T Block(ref T s, long baseOff)
        {
            if (RedShape.Length == 0) return R.Combine(R.Identity, Unsafe.Add(ref s, (nint)baseOff));
            if (RedShape.Length == 1 && RedStrides[0] == 1 &&
                R.Contig(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref s, (nint)baseOff), (int)RedShape[0]), out var r))
                return r;
            var acc = R.Identity;
            int m = RedShape.Length;
            Span<long> ctr = stackalloc long[m];
            long o = baseOff;
            while (true)
            {
                long inner = RedShape[m - 1], ist = RedStrides[m - 1];
                for (long j = 0; j < inner; j++) acc = R.Combine(acc, Unsafe.Add(ref s, (nint)(o + j * ist)));
                int d = m - 2;
                for (; d >= 0; d--)
                {
                    ctr[d]++; o += RedStrides[d];
                    if (ctr[d] < RedShape[d]) break;
                    o -= RedStrides[d] * RedShape[d]; ctr[d] = 0;
                }
                if (d < 0) return acc;
            }
        }
    }

    // ---------------- max/min with indices along one dim ----------------

    private void ArgReduce(ReduceOp op, StridedBuffer src, StridedBuffer dst, StridedBuffer indices)
    {
        var u = new ArgReduceOn(this, op, src, dst, indices);
        DTypeSwitch.Visit(src.dtype, ref u);
    }

    private readonly struct ArgReduceOn(CpuBackend cpu, ReduceOp op, StridedBuffer src, StridedBuffer dst, StridedBuffer indices) : IDTypeUser
    {
        public void Floating<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> => ArgT<T>(op, src, dst, indices);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => ArgT<T>(op, src, dst, indices);
        public void Bool() => cpu.ArgReduce(op, cpu.AsByte(src), dst, indices);
        public void Reduced<T>() where T : unmanaged
        {
            var f = cpu.ToFloat(src);
            var fd = StridedBuffer.Empty(dst._shape, DType.Float32, Device.CPU);
            ArgT<float>(op, f, fd, indices);
            cpu.Copy(fd, dst);
        }
    }

    private static void ArgT<T>(ReduceOp op, StridedBuffer src, StridedBuffer dst, StridedBuffer indices) where T : unmanaged, INumber<T>
    {
        var (rs, rst, kept) = SplitDims(src, dst);
        long len = rs.Length == 0 ? 1 : rs[0];
        long stride = rs.Length == 0 ? 0 : rst[0];
        if (rs.Length > 1) throw new InvalidOperationException("arg reductions take one dim");
        var k = new ArgKernel<T> { Src = S(src), Dst = S(dst), Idx = S(indices), Len = len, Stride = stride, IsMax = op == ReduceOp.Max };
        var view = src.View(dst._shape, kept, src._offset);
        Loop(dst, ref k, view, dst, indices);
    }

    private struct ArgKernel<T> : IInnerLoop where T : unmanaged, INumber<T>
    {
        public CpuStorage Src, Dst, Idx;
        public long Len, Stride;
        public bool IsMax;

        public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
        {
            ref T s = ref Src.Ref<T>();
            ref T d = ref Dst.Ref<T>();
            ref long ix = ref Idx.Ref<long>();
            for (long i = 0; i < n; i++)
            {
                long b = off[0] + i * st[0];
                T best = Unsafe.Add(ref s, (nint)b);
                long bi = 0;
                if (!T.IsNaN(best))
                    for (long j = 1; j < Len; j++)
                    {
                        var x = Unsafe.Add(ref s, (nint)(b + j * Stride));
                        if (T.IsNaN(x)) { best = x; bi = j; break; }
                        if (IsMax ? x > best : x < best) { best = x; bi = j; }
                    }
                Unsafe.Add(ref d, (nint)(off[1] + i * st[1])) = best;
                Unsafe.Add(ref ix, (nint)(off[2] + i * st[2])) = bi;
            }
        }
    }

    // ---------------- scans ----------------

    public void Scan(ScanOp op, StridedBuffer src, int dim, StridedBuffer dst)
    {
        switch (src.dtype.Kind)
        {
            case ScalarType.Float32: ScanT<float>(op, src, dim, dst); break;
            case ScalarType.Float64: ScanT<double>(op, src, dim, dst); break;
            case ScalarType.Int64: ScanT<long>(op, src, dim, dst); break;
            default: ScanThroughFloat(op, src, dim, dst); break;
        }
    }

    private static void ScanT<T>(ScanOp op, StridedBuffer src, int dim, StridedBuffer dst) where T : unmanaged, INumber<T>
    {
        if (src._shape.Length == 0) { new CpuBackend().Copy(src, dst); return; }
        var outerShape = (long[])src._shape.Clone(); outerShape[dim] = 1;
        long len = src._shape[dim], ss = src._strides[dim], ds = dst._strides[dim];
        var k = new ScanKernel<T> { Src = S(src), Dst = S(dst), Len = len, SStride = ss, DStride = ds, Prod = op == ScanOp.CumProd };
        var sv = new StridedBuffer(src._storage, outerShape, src._strides, src._offset);
        var dv = new StridedBuffer(dst._storage, outerShape, dst._strides, dst._offset);
        Loop(dv, ref k, sv, dv);
    }

    private struct ScanKernel<T> : IInnerLoop where T : unmanaged, INumber<T>
    {
        public CpuStorage Src, Dst;
        public long Len, SStride, DStride;
        public bool Prod;

        public void Run(ReadOnlySpan<long> off, ReadOnlySpan<long> st, long n)
        {
            ref T s = ref Src.Ref<T>();
            ref T d = ref Dst.Ref<T>();
            for (long i = 0; i < n; i++)
            {
                long so = off[0] + i * st[0], dof = off[1] + i * st[1];
                T acc = Prod ? T.One : T.Zero;
                for (long j = 0; j < Len; j++)
                {
                    var x = Unsafe.Add(ref s, (nint)(so + j * SStride));
                    acc = Prod ? acc * x : acc + x;
                    Unsafe.Add(ref d, (nint)(dof + j * DStride)) = acc;
                }
            }
        }
    }
}
