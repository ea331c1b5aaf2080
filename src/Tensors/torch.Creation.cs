using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// Factories: tensor, from_array, zeros, ones, empty, full, arange, linspace, eye and the *_like forms.
public static partial class torch
{
    private static Tensor Finish(Tensor t, bool requires_grad)
    {
        if (requires_grad) t.requires_grad_();
        return t;
    }

    private static Device Dev(Device? d) => d ?? Device.CPU;

    /// <summary>A tensor of the given shape whose values are not initialised (PyTorch leaves them undefined).</summary>
    public static Tensor empty(params long[] size) => empty(size, null);
    /// <summary>A tensor of the given shape whose values are not initialised (PyTorch leaves them undefined).</summary>
    public static Tensor empty(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckSizes(size);
        return Finish(Tensor.Empty((long[])size.Clone(), dtype ?? _defaultDType, Dev(device)), requires_grad);
    }

    /// <summary>A tensor of the given shape filled with 0 (float32 unless dtype says otherwise).</summary>
    public static Tensor zeros(params long[] size) => zeros(size, null);
    /// <summary>A tensor of the given shape filled with 0 (float32 unless dtype says otherwise).</summary>
    public static Tensor zeros(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full(size, 0, dtype ?? _defaultDType, device, requires_grad);

    /// <summary>A tensor of the given shape filled with 1 (float32 unless dtype says otherwise).</summary>
    public static Tensor ones(params long[] size) => ones(size, null);
    /// <summary>A tensor of the given shape filled with 1 (float32 unless dtype says otherwise).</summary>
    public static Tensor ones(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full(size, 1, dtype ?? _defaultDType, device, requires_grad);

    /// <summary>A tensor filled with <paramref name="fill_value"/>; its dtype follows the value (bool, int64 or the default float).</summary>
    public static Tensor full(long[] size, Scalar fill_value, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckSizes(size);
        var dt = dtype ?? (fill_value.IsFloating ? _defaultDType : fill_value.IsBool ? DType.Bool : DType.Int64);
        var t = Tensor.Empty((long[])size.Clone(), dt, Dev(device));
        ScalarConversion.Check(fill_value, dt);
        if (!(fill_value.ToDouble() == 0 && t.is_cpu)) t.Kernels.Fill(t.Buffer, fill_value);
        return Finish(t, requires_grad);
    }

    private static void CheckSizes(long[] size) => Geometry.CheckNonNegative(size);

    /// <summary>Zeros with the shape of t (and its dtype and device unless given).</summary>
    public static Tensor zeros_like(Tensor t, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        zeros(t._shape, dtype ?? t.dtype, device ?? t.device, requires_grad);
    /// <summary>Ones with the shape of t (and its dtype and device unless given).</summary>
    public static Tensor ones_like(Tensor t, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        ones(t._shape, dtype ?? t.dtype, device ?? t.device, requires_grad);
    public static Tensor empty_like(Tensor t, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        empty(t._shape, dtype ?? t.dtype, device ?? t.device, requires_grad);
    public static Tensor full_like(Tensor t, Scalar fill_value, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full(t._shape, fill_value, dtype ?? t.dtype, device ?? t.device, requires_grad);

    /// <summary>
    /// Values from start (inclusive) to end (exclusive) by step; int64 unless a bound or step is fractional.
    /// ATen's arange_out (RangeFactories.cpp) sizes the result as ceil((end - start) / step) in double, or for int64 as
    /// (end - start + step - sign(step)) / step in integers, and arange_kernel (native/cpu/RangeFactoriesKernel.cpp)
    /// fills it, see <see cref="ArangeFill"/>.
    /// </summary>
    public static Tensor arange(Scalar start, Scalar end, Scalar step, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        bool allInt = !start.IsFloating && !end.IsFloating && !step.IsFloating;
        var dt = dtype ?? (allInt ? DType.Int64 : _defaultDType);
        double s = start.ToDouble(), e = end.ToDouble(), st = step.ToDouble();
        long ls = 0, le = 0, lst = 0;
        if (dt.is_floating_point)
        {
            if (dt == DType.Float16 || dt == DType.BFloat16) { s = (float)s; e = (float)e; st = (float)st; }
        }
        else
        {
            // The integer accumulate type is int64: floating bounds are truncated first.
            ls = start.IsFloating ? (long)s : start.Long; le = end.IsFloating ? (long)e : end.Long; lst = step.IsFloating ? (long)st : step.Long;
            s = ls; e = le; st = lst;
        }
        if (!(st > 0 || st < 0)) throw new ArgumentException("step must be nonzero");
        if (!double.IsFinite(s) || !double.IsFinite(e))
            throw new ArgumentException($"unsupported range: {CppDouble(s)} -> {CppDouble(e)}");
        if (!(st > 0 && e >= s || st < 0 && e <= s))
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        long n = dt == DType.Int64
            ? (le - ls + lst - Math.Sign(lst)) / lst
            : (long)Math.Ceiling((end.ToDouble() - start.ToDouble()) / step.ToDouble());
        var t = Tensor.Empty([n], dt, Dev(device));
        if (dt == DType.Float32) UploadConverted(t, ArangeFill(n, 8, st, s, static v => (float)v));
        else if (dt == DType.Float64) UploadConverted(t, ArangeFill(n, 4, st, s, static v => v));
        else if (dt == DType.Float16 || dt == DType.BFloat16)
        {
            // The accumulate type is float; Vectorized<Half/BFloat16> holds 16 lanes and rounds its base to 16 bits.
            Func<float, float> r = dt == DType.Float16 ? x => (float)(Half)x : x => (BFloat16)x;
            float fs = (float)s, fst = (float)st;
            var v = new float[n];
            long i = 0;
            for (; i <= n - 32; i += 32)
                for (long at = i; at < i + 32; at += 16)
                {
                    float b = r(MathF.FusedMultiplyAdd(fst, at, fs));
                    for (int j = 0; j < 16; j++) v[at + j] = r(MathF.FusedMultiplyAdd(j, fst, b));
                }
            for (; i < n; i++) v[i] = r(MathF.FusedMultiplyAdd(fst, i, fs));
            UploadConverted(t, v);
        }
        else
        {
            var v = new long[n];
            for (long i = 0; i < n; i++) v[i] = ls + i * lst;
            UploadConverted(t, v);
        }
        return Finish(t, requires_grad);
    }

    /// <summary>
    /// arange_kernel for float and double (accumulate type double): cpu_serial_kernel_vec's vectorized_loop takes two
    /// vectors of <paramref name="lanes"/> at a time (AVX2 widths, as AtenSumOrder) while 2·lanes elements remain, each
    /// <c>Vectorized::arange(start + step * idx, step)</c>: the base rounded to the element type, then base + j·step in
    /// double; the rest goes through the scalar lambda <c>start + step * idx</c>. GCC contracts both products into FMAs
    /// (FloatMath). Above ATen's GRAIN_SIZE (32768) the range is split across threads there, realigning the vectors
    /// at thread-count-dependent points, so longer ranges may differ in the last bit.
    /// </summary>
    private static double[] ArangeFill(long n, int lanes, double step, double start, Func<double, double> round)
    {
        var v = new double[n];
        long i = 0;
        for (; i <= n - 2 * lanes; i += 2 * lanes)
            for (long at = i; at < i + 2 * lanes; at += lanes)
            {
                double b = round(Math.FusedMultiplyAdd(step, at, start));
                for (int j = 0; j < lanes; j++) v[at + j] = round(Math.FusedMultiplyAdd(j, step, b));
            }
        for (; i < n; i++) v[i] = round(Math.FusedMultiplyAdd(step, i, start));
        return v;
    }

    /// <summary>A double as C++'s ostream prints it in ATen's messages (%g, six significant digits).</summary>
    private static string CppDouble(double d) => double.IsNaN(d) ? "nan" : double.IsInfinity(d) ? (d > 0 ? "inf" : "-inf")
        : d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e");

    public static Tensor arange(Scalar start, Scalar end, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(start, end, 1, dtype, device, requires_grad);
    public static Tensor arange(Scalar end, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(0, end, 1, dtype, device, requires_grad);

    /// <summary>steps evenly spaced values from start to end, both ends included.</summary>
    public static Tensor linspace(double start, double end, long steps, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var dt = dtype ?? _defaultDType;
        var v = new double[steps];
        // PyTorch fills the first half from start and the second half from end, for symmetric rounding.
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // With one step PyTorch fills `start`; the halfway rule below would give `end`.
        long half = steps == 1 ? 1 : steps / 2;
        for (long i = 0; i < steps; i++) v[i] = i < half ? Math.FusedMultiplyAdd(step, i, start) : Math.FusedMultiplyAdd(-step, steps - i - 1, end);
        var t = Tensor.Empty([steps], dt, Dev(device));
        if (dt == DType.Float32)
        {
            // linspace_kernel (native/cpu/RangeFactoriesKernel.cpp) is scalar-only and works in the element type:
            // step = (end - start) / (steps - 1) in float, then start + step·idx below halfway and
            // end - step·(steps - idx - 1) above, each contracted by GCC into one FMA (FloatMath).
            float fs = (float)start, fe = (float)end, fst = steps > 1 ? (fe - fs) / (steps - 1) : 0;
            var f = new float[steps];
            for (long i = 0; i < steps; i++)
                f[i] = i < half ? MathF.FusedMultiplyAdd(fst, i, fs) : MathF.FusedMultiplyAdd(-fst, steps - i - 1, fe);
            t.Kernels.Upload<float>(f, t.Buffer);
        }
        else if (dt == DType.Float16 || dt == DType.BFloat16)
        {
            // c10::Half and c10::BFloat16 round every operator's float result back to 16 bits
            // (Half * int64_t is a * Half(b)), so the kernel's step and each value are rounded per operation.
            Func<float, float> r = dt == DType.Float16 ? x => (float)(Half)x : x => (BFloat16)x;
            float hs = r((float)start), he = r((float)end);
            float hst = steps > 1 ? r(r(he - hs) / r(steps - 1)) : 0;
            var f = new float[steps];
            for (long i = 0; i < steps; i++)
                f[i] = i < half ? r(hs + r(hst * r(i))) : r(he - r(hst * r(steps - i - 1)));
            UploadConverted(t, f);
        }
        else UploadConverted(t, v);
        return Finish(t, requires_grad);
    }

    public static Tensor logspace(double start, double end, long steps, double @base = 10, DType? dtype = null) =>
        linspace(start, end, steps, DType.Float64).mul(Math.Log(@base)).exp().to(dtype ?? _defaultDType);

    /// <summary>An n×m matrix with ones on the diagonal and zeros elsewhere (m defaults to n).</summary>
    public static Tensor eye(long n, long? m = null, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        // aten/src/ATen/native/TensorFactories.cpp, eye_out_cpu.
        if (n < 0) throw new ArgumentException($"n must be greater or equal to 0, got {n}");
        if (m is < 0) throw new ArgumentException($"m must be greater or equal to 0, got {m}");
        var cols = m ?? n;
        var t = zeros([n, cols], dtype, device);
        using (no_grad()) t.diagonal().CopyFromRaw(Tensor.Wrap(1));
        return Finish(t, requires_grad);
    }

    /// <summary>Copies host values into a fresh tensor, converting element type as a cast would.</summary>
    internal static void UploadConverted<T>(Tensor t, T[] values) where T : unmanaged
    {
        var src = new Tensor(Backend.HostMemory.Wrap(DType.Of<T>(), values), t._shape, Shapes.ContiguousStrides(t._shape), 0);
        if (t.is_cpu) { t.Kernels.Copy(src.Buffer, t.Buffer); return; }
        t.CopyFromRaw(src);
    }
}
