using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using Notebooks.Tensors.Backend.Cpu.Gemm;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// Convolutions on contiguous float32/float64 tensors, ATen's slow_conv2d way: image by image, the image's columns go
/// into a small buffer that stays in cache (not one N·L-wide matrix) and one GEMM per group writes straight into the
/// output's (N, C, H, W) layout (no permute). Images run in parallel; the weight's gradient walks the images in order
/// and continues each element's FMA chain image after image (GEMM with accumulate), so it rounds as one product over
/// (n, position) ascending: every result has the bits of the composed path (bmm of all images' columns).
/// </summary>
internal sealed partial class CpuBackend : IWindowKernels
{
    private static bool Fits(StridedBuffer t) =>
        t.dtype.Kind is ScalarType.Float32 or ScalarType.Float64 && t.is_contiguous() && t._storage is CpuStorage;

    /// <summary>The composed path's choice: its bmm takes the direct loops below this many multiply-adds per group.</summary>
    private static bool Direct(StridedBuffer x, StridedBuffer w, in Window2d g, long groups) =>
        w.size(0) / groups * (w.size(1) * g.KH * g.KW) * x.size(0) * g.OH * g.OW < DirectGemmLimit;

    public bool ConvForward(StridedBuffer x, StridedBuffer w, StridedBuffer? b, in Window2d g, long groups, StridedBuffer y)
    {
        if (!Fits(x) || !Fits(w) || !Fits(y) || b is { } bias && !Fits(bias)) return false;
        if (x.dtype.Kind == ScalarType.Float32) new Conv<float>(x, w, g, groups).Forward(x, w, b, y, Direct(x, w, g, groups));
        else new Conv<double>(x, w, g, groups).Forward(x, w, b, y, Direct(x, w, g, groups));
        GC.KeepAlive(x._storage);   // read through raw pointers: the storage outlives them (LargeArrayPool)
        return true;
    }

    public bool ConvBackwardInput(StridedBuffer gy, StridedBuffer w, in Window2d g, long groups, StridedBuffer gx)
    {
        if (!Fits(gy) || !Fits(w) || !Fits(gx)) return false;
        bool direct = Direct(gx, w, g, groups);
        if (gy.dtype.Kind == ScalarType.Float32) new Conv<float>(gx, w, g, groups).BackwardInput(gy, w, gx, direct);
        else new Conv<double>(gx, w, g, groups).BackwardInput(gy, w, gx, direct);
        GC.KeepAlive(gy._storage);
        return true;
    }

    public bool ConvBackwardWeight(StridedBuffer gy, StridedBuffer x, in Window2d g, long groups, StridedBuffer gw)
    {
        // The composed path's direct loops sum all images at once with separate multiplies and adds: left to it.
        if (!Fits(gy) || !Fits(x) || !Fits(gw) || Direct(x, gw, g, groups)) return false;
        if (gy.dtype.Kind == ScalarType.Float32) new Conv<float>(x, gw, g, groups).BackwardWeight(gy, x, gw);
        else new Conv<double>(x, gw, g, groups).BackwardWeight(gy, x, gw);
        GC.KeepAlive(gy._storage); GC.KeepAlive(x._storage);
        return true;
    }

    /// <summary>One convolution's sizes: N images of Cin channels, groups of Cg input and Coutg output channels.</summary>
    private readonly unsafe struct Conv<T> where T : unmanaged, INumber<T>
    {
        private readonly Window2d _g;
        private readonly long _n, _cin, _cout, _groups, _cg, _coutg, _ck, _l, _plane;

        public Conv(StridedBuffer x, StridedBuffer w, in Window2d g, long groups)
        {
            _g = g; _n = x.size(0); _cin = x.size(1); _cout = w.size(0); _groups = groups;
            _cg = _cin / groups; _coutg = _cout / groups; _ck = _cg * g.KH * g.KW; _l = g.OH * g.OW; _plane = g.H * g.W;
        }

        private static T* P(StridedBuffer t, T* basePtr) => basePtr + t._offset;

        /// <summary>Runs body(first, end) over [0, count) in one contiguous chunk per thread.</summary>
        private static void Chunks(long count, Action<long, long> body)
        {
            int threads = (int)Math.Min(WorkerTeam.Threads, count);
            if (threads <= 1) { body(0, count); return; }
            WorkerTeam.ForRanges(count, threads, body);
        }

        private static void Gemm(bool direct, bool accumulate, long m, long n, long k, T* a, long rsa, long csa, T* b, long rsb, long csb, T* c, long rsc)
        {
            if (direct) DirectGemm<T>.Multiply((int)m, (int)n, (int)k, a, (nint)rsa, (nint)csa, b, (nint)rsb, (nint)csb, c, (nint)rsc, 1);
            else if (accumulate) BlockedGemm<T>.MultiplyAdd((int)m, (int)n, (int)k, a, (nint)rsa, (nint)csa, b, (nint)rsb, (nint)csb, c, (nint)rsc, 1, 1);
            else BlockedGemm<T>.Multiply((int)m, (int)n, (int)k, a, (nint)rsa, (nint)csa, b, (nint)rsb, (nint)csb, c, (nint)rsc, 1, 1);
        }

        private static void GemmStridedC(bool accumulate, long m, long n, long k, T* a, long rsa, long csa, T* b, long rsb, long csb, T* c, long rsc, long csc)
        {
            if (accumulate) BlockedGemm<T>.MultiplyAdd((int)m, (int)n, (int)k, a, (nint)rsa, (nint)csa, b, (nint)rsb, (nint)csb, c, (nint)rsc, (nint)csc, 1);
            else BlockedGemm<T>.Multiply((int)m, (int)n, (int)k, a, (nint)rsa, (nint)csa, b, (nint)rsb, (nint)csb, c, (nint)rsc, (nint)csc, 1);
        }

        public void Forward(StridedBuffer x, StridedBuffer w, StridedBuffer? b, StridedBuffer y, bool direct)
        {
            var self = this;
            // The bias as an array of its own (Cout values): one pinning whether or not there is one.
            T[] biasValues = b is not { } bias ? [] : S(bias).Span<T>().Slice((int)bias._offset, (int)_cout).ToArray();
            fixed (T* px0 = &S(x).Ref<T>()) fixed (T* pw0 = &S(w).Ref<T>()) fixed (T* py0 = &S(y).Ref<T>()) fixed (T* pb0 = biasValues)
            {
                nint px = (nint)P(x, px0), pw = (nint)P(w, pw0), py = (nint)P(y, py0), pb = b is null ? 0 : (nint)pb0;
                // Each group's Wᵀ (CK × Cout/G) packed once for every image's product, the image's columns laid out
                // as im2row and read in place (LeNet's second convolution: 15 % less time than packing each image's
                // columns as B) — unless the output channels fill the micro-kernel's rows better (LeNet's first: 6
                // channels, 784 positions), where the columns packed per image as B stay the cheaper way round.
                bool rowsOfImage = !direct && !GemmTile<T>.ChannelsAsRows(_coutg, _l);
                var packed = rowsOfImage ? new PackedB<T>[_groups] : null;
                for (long gi = 0; rowsOfImage && gi < _groups; gi++)
                    packed![gi] = new PackedB<T>((int)_ck, (int)_coutg, (T*)pw + gi * _coutg * _ck, 1, (nint)_ck);
                Chunks(_n, (n0, n1) => self.ForwardImages(n0, n1, (T*)px, (T*)pw, (T*)pb, (T*)py, direct, packed));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ForwardImages(long n0, long n1, T* x, T* w, T* bias, T* y, bool direct, PackedB<T>[]? packed)
        {
            var buffer = ArrayPool<T>.Shared.Rent((int)(_ck * _l) + Im2Col<T>.RowsSlack);
            try
            {
                fixed (T* cols = buffer)
                    for (long n = n0; n < n1; n++)
                    {
                        T* xn = x + n * _cin * _plane, yn = y + n * _cout * _l;
                        for (long gi = 0; gi < _groups; gi++)
                        {
                            if (packed is null)
                            {
                                Im2Col<T>.Unfold(xn + gi * _cg * _plane, _g, 0, _ck, cols);
                                Gemm(direct, false, _coutg, _l, _ck, w + gi * _coutg * _ck, _ck, 1, cols, _l, 1, yn + gi * _coutg * _l, _l);
                                continue;
                            }
                            // yᵀ (L × Cout/G) = im2row (L × CK, read in place by the micro-kernel) · Wᵀ (packed once):
                            // the image's columns are never packed again, and C is the output seen transposed.
                            Im2Col<T>.UnfoldRows(xn + gi * _cg * _plane, _g, 0, _ck, cols, _ck);
                            BlockedGemm<T>.Multiply((int)_l, (int)_ck, cols, (nint)_ck, 1, packed[gi], yn + gi * _coutg * _l, 1, (nint)_l, 1);
                        }
                        if (bias is not null)
                            for (long co = 0; co < _cout; co++) AddBias(yn + co * _l, _l, bias[co]);
                    }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        }

        /// <summary>row[p] += b over one output plane, a vector at a time (the same single rounding per element).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddBias(T* row, long count, T b)
        {
            long p = 0;
            if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            {
                var vb = Vector256.Create(b);
                for (; p + Vector256<T>.Count <= count; p += Vector256<T>.Count) (Vector256.Load(row + p) + vb).Store(row + p);
            }
            for (; p < count; p++) row[p] += b;
        }

        public void BackwardInput(StridedBuffer gy, StridedBuffer w, StridedBuffer gx, bool direct)
        {
            var self = this;
            fixed (T* pg0 = &S(gy).Ref<T>()) fixed (T* pw0 = &S(w).Ref<T>()) fixed (T* px0 = &S(gx).Ref<T>())
            {
                nint pg = (nint)P(gy, pg0), pw = (nint)P(w, pw0), px = (nint)P(gx, px0);
                Chunks(_n, (n0, n1) => self.BackwardInputImages(n0, n1, (T*)pg, (T*)pw, (T*)px, direct));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BackwardInputImages(long n0, long n1, T* gy, T* w, T* gx, bool direct)
        {
            var buffer = ArrayPool<T>.Shared.Rent((int)(_ck * _l));
            try
            {
                fixed (T* cols = buffer)
                    for (long n = n0; n < n1; n++)
                    {
                        T* gn = gy + n * _cout * _l, xn = gx + n * _cin * _plane;
                        new Span<T>(xn, (int)(_cin * _plane)).Clear();
                        for (long gi = 0; gi < _groups; gi++)
                        {
                            // Wᵀ of the group: (ck, co) at co·CK + ck.
                            Gemm(direct, false, _ck, _l, _coutg, w + gi * _coutg * _ck, 1, _ck, gn + gi * _coutg * _l, _l, 1, cols, _l);
                            Im2Col<T>.FoldAdd(cols, _g, _cg, xn + gi * _cg * _plane);
                        }
                    }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        }

        /// <summary>
        /// Threads split the weight's columns (the rows of the columns matrix), each walking all images in order, so
        /// each element's chain runs over (n, position) ascending whatever the thread count or the GEMM's operand roles.
        /// </summary>
        public void BackwardWeight(StridedBuffer gy, StridedBuffer x, StridedBuffer gw)
        {
            var self = this;
            fixed (T* pg0 = &S(gy).Ref<T>()) fixed (T* px0 = &S(x).Ref<T>()) fixed (T* pw0 = &S(gw).Ref<T>())
            {
                nint pg = (nint)P(gy, pg0), px = (nint)P(x, px0), pw = (nint)P(gw, pw0);
                // Row ranges of the columns a few micro-kernel heights apart at least, so no thread gets a sliver.
                long parts = Math.Max(1, Math.Min(WorkerTeam.Threads, _ck / 12));
                for (long gi = 0; gi < _groups; gi++)
                {
                    long group = gi;
                    Chunks(parts, (t0, t1) =>
                    {
                        for (long t = t0; t < t1; t++)
                            self.BackwardWeightColumns(group, self._ck * t / parts, self._ck * (t + 1) / parts, (T*)pg, (T*)px, (T*)pw);
                    });
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BackwardWeightColumns(long gi, long r0, long r1, T* gy, T* x, T* gw)
        {
            if (r1 <= r0) return;
            var buffer = ArrayPool<T>.Shared.Rent((int)((r1 - r0) * _l));
            try
            {
                fixed (T* cols = buffer)
                    for (long n = 0; n < _n; n++)
                    {
                        Im2Col<T>.Unfold(x + n * _cin * _plane + gi * _cg * _plane, _g, r0, r1, cols);
                        // gwᵀ[r, co] (+)= Σ_l cols[r, l] · gy[n, co, l]: the columns are A, read in place (row-major,
                        // small), and only the image's gradient, Cout × L, is packed (gy's transpose, (l, co) at co·L + l);
                        // C is gw seen transposed ((r, co) at co·CK + r).
                        GemmStridedC(n > 0, r1 - r0, _coutg, _l, cols, _l, 1, gy + n * _cout * _l + gi * _coutg * _l, 1, _l,
                            gw + gi * _coutg * _ck + r0, 1, _ck);
                    }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        }
    }
}
