using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors;

// Random factories on the CPU generator (bit-identical to PyTorch's; see Random/).
public static partial class torch
{
    public static Generator manual_seed(long seed) => Generator.Default.manual_seed(seed);
    public static long initial_seed() => Generator.Default.initial_seed();
    public static long seed() => Generator.Default.seed();
    public static Generator default_generator => Generator.Default;
    public static byte[] get_rng_state() => Generator.Default.get_state();
    public static void set_rng_state(byte[] state) => Generator.Default.set_state(state);

    public static Tensor rand(params long[] size) => rand(size, null);
    public static Tensor rand(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) =>
        Finish(empty(size, dtype, device).uniform_(0, 1, generator), requires_grad);

    public static Tensor randn(params long[] size) => randn(size, null);
    public static Tensor randn(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) =>
        Finish(empty(size, dtype, device).normal_(0, 1, generator), requires_grad);

    public static Tensor randint(long low, long high, long[] size, DType? dtype = null, Device? device = null, Generator? generator = null)
    {
        if (low >= high) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        return empty(size, dtype ?? DType.Int64, device).random_(low, high, generator);
    }

    public static Tensor randint(long high, long[] size, DType? dtype = null, Device? device = null, Generator? generator = null) =>
        randint(0, high, size, dtype, device, generator);

    public static Tensor randperm(long n, DType? dtype = null, Device? device = null, Generator? generator = null)
    {
        if (n < 0) throw new ArgumentException($"n must be non-negative, got{n}");
        var perm = (generator ?? Generator.Default).RandPerm(n);
        var t = empty([n], dtype ?? DType.Int64, device);
        UploadConverted(t, perm);
        return t;
    }

    public static Tensor rand_like(Tensor t, DType? dtype = null) => rand(t._shape, dtype ?? t.dtype, t.device);
    public static Tensor randn_like(Tensor t, DType? dtype = null) => randn(t._shape, dtype ?? t.dtype, t.device);
    public static Tensor randint_like(Tensor t, long low, long high, DType? dtype = null) => randint(low, high, t._shape, dtype ?? t.dtype, t.device);
    public static Tensor randint_like(Tensor t, long high) => randint(0, high, t._shape, t.dtype, t.device);

    /// <summary>Draws 0/1 with the probabilities in <paramref name="input"/>.</summary>
    public static Tensor bernoulli(Tensor input, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        // Device tensors draw on the CPU generator and upload (PyTorch's CUDA Philox stream is not reproduced).
        if (!input.is_cpu) return bernoulli(input.cpu(), generator).to(input.device);
        var r = empty(input._shape, input.dtype, input.device);
        var p = input.ContiguousRaw();
        var span = ((CpuStorage)r._storage).Span<double>();
        switch (input.dtype.Kind)
        {
            case ScalarType.Float32:
                g.FillBernoulli<float>(((CpuStorage)r._storage).Span<float>(), ((CpuStorage)p._storage).Span<float>().Slice((int)p._offset, (int)p.numel()));
                break;
            case ScalarType.Float64:
                g.FillBernoulli<double>(span, ((CpuStorage)p._storage).Span<double>().Slice((int)p._offset, (int)p.numel()));
                break;
            default:
                return bernoulli(input.to(float32), generator).to(input.dtype);
        }
        return r;
    }

    public static Tensor bernoulli(Tensor input, double p, Generator? generator = null) => input.bernoulli_(p, generator).clone();

    public static Tensor normal(double mean, double std, long[] size, Generator? generator = null) => empty(size).normal_(mean, std, generator);
}

public sealed partial class Tensor
{
    private Span<T> HostSpan<T>() where T : unmanaged => ((CpuStorage)_storage).Span<T>().Slice((int)_offset, (int)numel());

    /// <summary>Fills this tensor through a contiguous host buffer, as PyTorch's CPU kernels fill in order.</summary>
    private Tensor FillRandom(Action<Tensor> fill)
    {
        CheckInPlaceAllowed();
        if (is_contiguous() && is_cpu) { fill(this); _version.Bump(); return this; }
        // Device tensors (and strided ones) fill a host buffer from the CPU generator, then copy it in.
        var tmp = torch.empty(_shape, dtype, Device.CPU);
        fill(tmp);
        CopyFromRaw(tmp);
        return this;
    }

    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        return FillRandom(t =>
        {
            switch (t.dtype.Kind)
            {
                case ScalarType.Float32: g.FillUniform(t.HostSpan<float>(), from, to); break;
                case ScalarType.Float64: g.FillUniform(t.HostSpan<double>(), from, to); break;
                case ScalarType.Float16: g.FillUniform(t.HostSpan<Half>(), from, to); break;
                case ScalarType.BFloat16:
                    g.FillUniformBFloat16(System.Runtime.InteropServices.MemoryMarshal.Cast<BFloat16, ushort>(t.HostSpan<BFloat16>()), from, to);
                    break;
                default: throw new NotSupportedException($"\"check_uniform_bounds\" not implemented for '{DTypeTitle(t.dtype)}'");
            }
        });
    }

    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        if (std < 0) throw new ArgumentException($"normal expects std >= 0.0, but found std {std}");
        var g = generator ?? Generator.Default;
        return FillRandom(t =>
        {
            switch (t.dtype.Kind)
            {
                case ScalarType.Float32: g.FillNormal(t.HostSpan<float>(), mean, std); break;
                case ScalarType.Float64: g.FillNormal(t.HostSpan<double>(), mean, std); break;
                case ScalarType.Float16 or ScalarType.BFloat16:
                    var f = torch.empty(t._shape, DType.Float32).normal_(mean, std, g);
                    t.Kernels.Copy(f, t);
                    break;
                default: throw new NotSupportedException($"\"normal_kernel_cpu\" not implemented for '{DTypeTitle(t.dtype)}'");
            }
        });
    }

    public Tensor random_(long from, long to, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        return FillRandom(t =>
        {
            switch (t.dtype.Kind)
            {
                case ScalarType.Int64: g.FillRandomRange(t.HostSpan<long>(), from, to); break;
                case ScalarType.Int32: g.FillRandomRange(t.HostSpan<int>(), from, to); break;
                case ScalarType.Int16: g.FillRandomRange(t.HostSpan<short>(), from, to); break;
                case ScalarType.Int8: g.FillRandomRange(t.HostSpan<sbyte>(), from, to); break;
                case ScalarType.UInt8: g.FillRandomRange(t.HostSpan<byte>(), from, to); break;
                case ScalarType.Float32: g.FillRandomRange(t.HostSpan<float>(), from, to); break;
                case ScalarType.Float64: g.FillRandomRange(t.HostSpan<double>(), from, to); break;
                default:
                    var l = torch.empty(t._shape, DType.Int64).random_(from, to, g);
                    t.Kernels.Copy(l, t);
                    break;
            }
        });
    }

    public Tensor random_(long to, Generator? generator = null) => random_(0, to, generator);

    public Tensor bernoulli_(double p = 0.5, Generator? generator = null)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"bernoulli_ expects p to be in [0, 1], but got p={p}");
        var g = generator ?? Generator.Default;
        return FillRandom(t =>
        {
            switch (t.dtype.Kind)
            {
                case ScalarType.Float32: g.FillBernoulli(t.HostSpan<float>(), p); break;
                case ScalarType.Float64: g.FillBernoulli(t.HostSpan<double>(), p); break;
                case ScalarType.Int64: g.FillBernoulli(t.HostSpan<long>(), p); break;
                default:
                    var f = torch.empty(t._shape, DType.Float32).bernoulli_(p, g);
                    t.Kernels.Copy(f, t);
                    break;
            }
        });
    }

    public Tensor exponential_(double lambd = 1, Generator? generator = null)
    {
        var u = torch.empty(_shape, DType.Float64).uniform_(0, 1, generator);
        using (torch.no_grad()) CopyFromRaw((-(-u + 1).log() / lambd));
        return this;
    }
}
