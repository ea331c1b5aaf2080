using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Gpu;

namespace Notebooks.Tensors;

// Random factories. CPU tensors draw from the CPU generator (bit-identical to PyTorch's; see Random/); CUDA tensors
// from their device's Philox generator, straight into device memory (PyTorch's CUDA stream is not reproduced).
public static partial class torch
{
    /// <summary>Seeds the CPU generator and every CUDA device's, as PyTorch's <c>torch.manual_seed</c>.</summary>
    public static Generator manual_seed(long seed)
    {
        Generator.CudaDefault.manual_seed(seed);
        return Generator.Default.manual_seed(seed);
    }

    public static long initial_seed() => Generator.Default.initial_seed();

    /// <summary>A non-deterministic seed for the CPU generator, given to the CUDA generators too (torch.seed).</summary>
    public static long seed()
    {
        var s = Generator.Default.seed();
        Generator.CudaDefault.manual_seed(s);
        return s;
    }

    public static Generator default_generator => Generator.Default;
    /// <summary>
    /// The CPU generator's state as PyTorch returns it: a uint8 tensor (torch.ByteTensor) of 5056 bytes, which
    /// <see cref="set_rng_state"/> takes back (torchvision's FakeData saves and restores it around each item).
    /// </summary>
    public static Tensor get_rng_state() => torch.tensor((Array)Generator.Default.get_state(), DType.UInt8);

    public static void set_rng_state(Tensor new_state)
    {
        ArgumentNullException.ThrowIfNull(new_state);
        // torch/csrc/Generator.cpp's check on the state: a CPU byte tensor.
        if (new_state.dtype != DType.UInt8 || !new_state.is_cpu) throw new ArgumentException("RNG state must be a torch.ByteTensor");
        Generator.Default.set_state(new_state.contiguous().ToArray<byte>());
    }

    /// <summary>Uniform random numbers in [0, 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor rand(params long[] size) => rand(size, null);
    /// <summary>Uniform random numbers in [0, 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor rand(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) =>
        Finish(empty(size, dtype, device).uniform_(0, 1, generator), requires_grad);

    /// <summary>Standard normal random numbers (mean 0, std 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor randn(params long[] size) => randn(size, null);
    /// <summary>Standard normal random numbers (mean 0, std 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor randn(long[] size, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) =>
        Finish(empty(size, dtype, device).normal_(0, 1, generator), requires_grad);

    /// <summary>Random integers in [low, high) of the given shape (int64 by default).</summary>
    public static Tensor randint(long low, long high, long[] size, DType? dtype = null, Device? device = null, Generator? generator = null)
    {
        if (low >= high) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        return empty(size, dtype ?? DType.Int64, device).random_(low, high, generator);
    }

    /// <summary>Random integers in [low, high) of the given shape (int64 by default).</summary>
    public static Tensor randint(long high, long[] size, DType? dtype = null, Device? device = null, Generator? generator = null) =>
        randint(0, high, size, dtype, device, generator);

    /// <summary>A random permutation of 0 … n-1 (int64 by default).</summary>
    public static Tensor randperm(long n, DType? dtype = null, Device? device = null, Generator? generator = null)
    {
        if (n < 0) throw new ArgumentException($"n must be non-negative, got{n}");
        var g = Generator.For(Dev(device), generator);
        // On cuda the permutation is a Fisher–Yates shuffle driven by the device's Philox generator, computed on the
        // host and uploaded (one O(n) pass; no device sort).
        var perm = g.IsCuda ? g.RandPermPhilox(n) : g.RandPerm(n);
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
        var g = Generator.For(input.device, generator);
        var r = empty(input._shape, input.dtype, input.device);
        if (g.IsCuda)
        {
            var prob = input.CastRaw(DType.Float64).ContiguousRaw();
            var bp = new RandParams { Op = (int)RandomOp.Bernoulli, PerThread = 4 };
            r.Kernels.FillRandom(r.Buffer, bp, g.CudaState, prob.Buffer);
            return r;
        }
        var p = input.ContiguousRaw();
        var span = HostMemory.Storage<double>(r.Buffer);
        switch (input.dtype.Kind)
        {
            case ScalarType.Float32:
                g.FillBernoulli<float>(HostMemory.Storage<float>(r.Buffer), HostMemory.Elements<float>(p.Buffer));
                break;
            case ScalarType.Float64:
                g.FillBernoulli<double>(span, HostMemory.Elements<double>(p.Buffer));
                break;
            default:
                return bernoulli(input.to(float32), generator).to(input.dtype);
        }
        GC.KeepAlive(p);   // the spans read p's memory: its storage must outlive them (LargeArrayPool)
        return r;
    }

    public static Tensor bernoulli(Tensor input, double p, Generator? generator = null) => input.bernoulli_(p, generator).clone();

    public static Tensor normal(double mean, double std, long[] size, Generator? generator = null, DType? dtype = null, Device? device = null) =>
        empty(size, dtype, device).normal_(mean, std, generator);
}

public sealed partial class Tensor
{
    private Span<T> HostSpan<T>() where T : unmanaged => HostMemory.Elements<T>(Buffer);

    /// <summary>Fills this tensor through a contiguous host buffer, as PyTorch's CPU kernels fill in order.</summary>
    private Tensor FillRandom(Action<Tensor> fill)
    {
        CheckInPlaceAllowed();
        if (is_contiguous() && is_cpu) { fill(this); _version.Bump(); return this; }
        // The random kernels write through TensorIterator::borrowing_nullary_op, which checks overlap before drawing.
        MemoryOverlap.AssertNoInternalOverlap(this);
        // Device tensors (and strided ones) fill a host buffer from the CPU generator, then copy it in.
        var tmp = torch.empty(_shape, dtype, Device.CPU);
        fill(tmp);
        CopyFromRaw(tmp);
        return this;
    }

    /// <summary>Fills this CUDA tensor (any strides) in place from a Philox generator.</summary>
    private Tensor FillRandomOnDevice(Generator g, RandParams p)
    {
        CheckInPlaceAllowed();
        MemoryOverlap.AssertNoInternalOverlap(this);
        Kernels.FillRandom(Buffer, p, g.CudaState);
        _version.Bump();
        return this;
    }

    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        var g = Generator.For(device, generator);
        if (g.IsCuda) return FillRandomOnDevice(g, UniformParams(dtype, from, to));
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
        var g = Generator.For(device, generator);
        if (g.IsCuda)
        {
            if (!dtype.is_floating_point) throw new NotSupportedException($"\"normal_kernel_cuda\" not implemented for '{DTypeTitle(dtype)}'");
            bool wide = dtype == DType.Float64;
            return FillRandomOnDevice(g, new RandParams { Op = (int)RandomOp.Normal, Wide = wide ? 1 : 0, PerThread = wide ? 2 : 4, A = mean, B = std });
        }
        return FillRandom(t =>
        {
            switch (t.dtype.Kind)
            {
                case ScalarType.Float32: g.FillNormal(t.HostSpan<float>(), mean, std); break;
                case ScalarType.Float64: g.FillNormal(t.HostSpan<double>(), mean, std); break;
                case ScalarType.Float16 or ScalarType.BFloat16:
                    var f = torch.empty(t._shape, DType.Float32).normal_(mean, std, g);
                    t.Kernels.Copy(f.Buffer, t.Buffer);
                    break;
                default: throw new NotSupportedException($"\"normal_kernel_cpu\" not implemented for '{DTypeTitle(t.dtype)}'");
            }
        });
    }

    public Tensor random_(long from, long to, Generator? generator = null)
    {
        var g = Generator.For(device, generator);
        if (g.IsCuda)
        {
            if (from >= to) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={from} >= to={to}");
            ulong range = (ulong)to - (ulong)from;
            // As PyTorch's random_from_to_kernel: 64-bit draws only when the range needs them.
            bool wide = range >= 1UL << 32;
            return FillRandomOnDevice(g, new RandParams { Op = (int)RandomOp.Integer, Wide = wide ? 1 : 0, PerThread = wide ? 2 : 4, Base = from, Range = range });
        }
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
                    t.Kernels.Copy(l.Buffer, t.Buffer);
                    break;
            }
        });
    }

    public Tensor random_(long to, Generator? generator = null) => random_(0, to, generator);

    public Tensor bernoulli_(double p = 0.5, Generator? generator = null)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"bernoulli_ expects p to be in [0, 1], but got p={p}");
        var g = Generator.For(device, generator);
        if (g.IsCuda) return FillRandomOnDevice(g, new RandParams { Op = (int)RandomOp.Bernoulli, PerThread = 4, A = p });
        return FillRandom(t =>
        {
            switch (t.dtype.Kind)
            {
                case ScalarType.Float32: g.FillBernoulli(t.HostSpan<float>(), p); break;
                case ScalarType.Float64: g.FillBernoulli(t.HostSpan<double>(), p); break;
                case ScalarType.Int64: g.FillBernoulli(t.HostSpan<long>(), p); break;
                default:
                    var f = torch.empty(t._shape, DType.Float32).bernoulli_(p, g);
                    t.Kernels.Copy(f.Buffer, t.Buffer);
                    break;
            }
        });
    }

    public Tensor exponential_(double lambd = 1, Generator? generator = null)
    {
        if (!(lambd > 0)) throw new ArgumentException($"exponential_ expects lambda > 0.0, but found lambda={PyRepr.Float(lambd)}");
        var g = Generator.For(device, generator);
        if (g.IsCuda)
        {
            if (!dtype.is_floating_point) throw new NotSupportedException($"\"exponential_cuda\" not implemented for '{DTypeTitle(dtype)}'");
            return FillRandomOnDevice(g, new RandParams { Op = (int)RandomOp.Exponential, Wide = 1, PerThread = 2, A = lambd });
        }
        CheckInPlaceAllowed();
        MemoryOverlap.AssertNoInternalOverlap(this);
        var u = torch.empty(_shape, DType.Float64).uniform_(0, 1, generator);
        using (torch.no_grad()) CopyFromRaw((-(-u + 1).log() / lambd));
        return this;
    }

    /// <summary>
    /// uniform_ on a CUDA tensor: from/to rounded to the dtype as PyTorch does, float math for every dtype but
    /// float64, and any value that rounds up to <c>to</c> replaced by the dtype's largest value below it.
    /// </summary>
    private static RandParams UniformParams(DType dtype, double from, double to)
    {
        if (!dtype.is_floating_point) throw new NotSupportedException($"\"check_uniform_bounds\" not implemented for '{DTypeTitle(dtype)}'");
        if (!double.IsFinite(from) || !double.IsFinite(to))
            throw new ArgumentException($"uniform_ expects finite from and to, got from={from} to={to}");
        if (from > to) throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={from} > to={to}");
        double lo, hi, below;
        switch (dtype.Kind)
        {
            case ScalarType.Float64: lo = from; hi = to; below = Math.BitDecrement(to); break;
            case ScalarType.Float16: lo = (double)(Half)from; hi = (double)(Half)to; below = (double)Half.BitDecrement((Half)to); break;
            case ScalarType.BFloat16:
                lo = BFloat16Bits.ToSingle(BFloat16Bits.FromSingle((float)from));
                hi = BFloat16Bits.ToSingle(BFloat16Bits.FromSingle((float)to));
                below = BFloat16Bits.ToSingle(BFloat16Bits.NextDown(BFloat16Bits.FromSingle((float)to)));
                break;
            default: lo = (float)from; hi = (float)to; below = MathF.BitDecrement((float)to); break;
        }
        bool wide = dtype == DType.Float64;
        return new RandParams
        {
            Op = (int)RandomOp.Uniform, Wide = wide ? 1 : 0, PerThread = wide ? 2 : 4,
            A = lo, B = wide ? hi - lo : (float)hi - (float)lo, Hi = hi, Below = below, Clamp = hi > lo ? 1 : 0,
        };
    }
}
