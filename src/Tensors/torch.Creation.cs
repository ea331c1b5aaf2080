using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// Factories: tensor, from_array, zeros, ones, empty, full, arange, linspace, eye and the *_like forms.
public static partial class torch
{
    private static Tensor Finish(Tensor t, bool requires_grad)
    {
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    private static Device Dev(Device? d) => d ?? Device.CPU;

    public static Tensor empty(params long[] size) => empty(size, null);
    public static Tensor empty(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckSizes(size);
        return Finish(Tensor.Empty((long[])size.Clone(), dtype ?? _defaultDType, Dev(device)), requires_grad);
    }

    public static Tensor zeros(params long[] size) => zeros(size, null);
    public static Tensor zeros(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full(size, 0, dtype ?? _defaultDType, device, requires_grad);

    public static Tensor ones(params long[] size) => ones(size, null);
    public static Tensor ones(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full(size, 1, dtype ?? _defaultDType, device, requires_grad);

    /// <summary>A tensor filled with <paramref name="fill_value"/>; its dtype follows the value (bool, int64 or the default float).</summary>
    public static Tensor full(long[] size, Scalar fill_value, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckSizes(size);
        var dt = dtype ?? (fill_value.IsFloating ? _defaultDType : fill_value.IsBool ? DType.Bool : DType.Int64);
        var t = Tensor.Empty((long[])size.Clone(), dt, Dev(device));
        if (!(fill_value.ToDouble() == 0 && t.is_cpu)) t.Kernels.Fill(t, fill_value);
        return Finish(t, requires_grad);
    }

    private static void CheckSizes(long[] size)
    {
        foreach (var s in size)
            if (s < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: [{string.Join(", ", size)}]");
    }

    public static Tensor zeros_like(Tensor t, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        zeros(t._shape, dtype ?? t.dtype, device ?? t.device, requires_grad);
    public static Tensor ones_like(Tensor t, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        ones(t._shape, dtype ?? t.dtype, device ?? t.device, requires_grad);
    public static Tensor empty_like(Tensor t, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        empty(t._shape, dtype ?? t.dtype, device ?? t.device, requires_grad);
    public static Tensor full_like(Tensor t, Scalar fill_value, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full(t._shape, fill_value, dtype ?? t.dtype, device ?? t.device, requires_grad);

    /// <summary>Values from start (inclusive) to end (exclusive) by step; int64 unless a bound or step is fractional.</summary>
    public static Tensor arange(Scalar start, Scalar end, Scalar step, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        double s = start.ToDouble(), e = end.ToDouble(), st = step.ToDouble();
        if (st == 0) throw new ArgumentException("step must be nonzero");
        if ((st > 0 && e < s) || (st < 0 && e > s))
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        bool allInt = !start.IsFloating && !end.IsFloating && !step.IsFloating;
        var dt = dtype ?? (allInt ? DType.Int64 : _defaultDType);
        long n = (long)Math.Ceiling((e - s) / st);
        if (n < 0) n = 0;
        var t = Tensor.Empty([n], dt, Dev(device));
        // PyTorch computes start + i*step in the accumulate type: float for float16/bfloat16, double for
        // float32/float64, int64 for integers.
        if (dt == DType.Float16 || dt == DType.BFloat16)
        {
            float fs = (float)s, fst = (float)st;
            var v = new float[n];
            for (long i = 0; i < n; i++) v[i] = fs + fst * i;
            UploadConverted(t, v);
        }
        else if (dt.is_floating_point)
        {
            var v = new double[n];
            for (long i = 0; i < n; i++) v[i] = s + i * st;
            UploadConverted(t, v);
        }
        else
        {
            long ls = start.IsFloating ? (long)s : start.Long, lst = step.IsFloating ? (long)st : step.Long;
            var v = new long[n];
            for (long i = 0; i < n; i++) v[i] = ls + i * lst;
            UploadConverted(t, v);
        }
        return Finish(t, requires_grad);
    }

    public static Tensor arange(Scalar start, Scalar end, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(start, end, 1, dtype, device, requires_grad);
    public static Tensor arange(Scalar end, DType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(0, end, 1, dtype, device, requires_grad);

    public static Tensor linspace(double start, double end, long steps, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var dt = dtype ?? _defaultDType;
        var v = new double[steps];
        // PyTorch fills the first half from start and the second half from end, for symmetric rounding.
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // With one step PyTorch fills `start`; the halfway rule below would give `end`.
        long half = steps == 1 ? 1 : steps / 2;
        for (long i = 0; i < steps; i++) v[i] = i < half ? start + step * i : end - step * (steps - i - 1);
        var t = Tensor.Empty([steps], dt, Dev(device));
        if (dt == DType.Float32)
        {
            // In float32 PyTorch computes in float: step and products rounded to float.
            float fs = (float)start, fe = (float)end, fst = steps > 1 ? (fe - fs) / (steps - 1) : 0;
            var f = new float[steps];
            for (long i = 0; i < steps; i++) f[i] = i < half ? fs + fst * i : fe - fst * (steps - i - 1);
            t.Kernels.Upload<float>(f, t);
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

    public static Tensor eye(long n, long? m = null, DType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var cols = m ?? n;
        var t = zeros([n, cols], dtype, device);
        using (no_grad()) t.diagonal().CopyFromRaw(Tensor.Wrap(1));
        return Finish(t, requires_grad);
    }

    /// <summary>Copies host values into a fresh tensor, converting element type as a cast would.</summary>
    internal static void UploadConverted<T>(Tensor t, T[] values) where T : unmanaged
    {
        var src = new Tensor(new Backend.Cpu.CpuStorage(DType.Of<T>(), values), t._shape, Shapes.ContiguousStrides(t._shape), 0);
        if (t.is_cpu) { t.Kernels.Copy(src, t); return; }
        t.CopyFromRaw(src);
    }
}
