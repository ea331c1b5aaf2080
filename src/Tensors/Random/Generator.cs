using System.Security.Cryptography;

namespace Notebooks.Tensors;

/// <summary>
/// <c>torch.Generator</c> for the CPU: PyTorch's <c>CPUGeneratorImpl</c> (aten/src/ATen/CPUGeneratorImpl.cpp),
/// an mt19937 engine plus the cached second Box–Muller samples. The sampling kernels live in the
/// other <c>Generator.*</c> files next to this one and reproduce ATen's CPU kernels bit for bit.
/// </summary>
public sealed partial class Generator
{
    /// <summary>c10::detail::default_rng_seed_val, the seed a fresh CPU generator starts from.</summary>
    internal const ulong DefaultSeed = 67280421310721;

    // PyTorch takes generator->mutex_ around every kernel; a kernel here locks once per fill, not per element.
    private readonly Lock _sync = new();
    private readonly MersenneTwister _engine = new(DefaultSeed);

    // CPUGeneratorImpl::next_double_normal_sample_ / next_float_normal_sample_: the sin half of a
    // Box–Muller pair, consumed by the next scalar normal draw and cleared by manual_seed.
    private double? _nextDoubleNormal;
    private float? _nextFloatNormal;

    /// <summary>A CPU generator; <c>new Generator(device: "cuda")</c> makes a CUDA (Philox) one.</summary>
    public Generator() { }

    /// <summary>The process-wide generator that <c>torch.manual_seed</c> seeds.</summary>
    internal static Generator Default { get; } = new();

    public string device => _philox is null ? "cpu" : "cuda:0";

    /// <summary>Reseeds and returns this generator, like <c>Generator.manual_seed</c>.
    /// Negative seeds are taken modulo 2^64, as PyTorch does.</summary>
    public Generator manual_seed(long seed)
    {
        if (_philox is { } p) { p.Reseed((ulong)seed); return this; }
        lock (_sync) Reseed((ulong)seed);
        return this;
    }

    /// <summary>The seed last given (PyTorch stores it as uint64; read back here as its two's-complement long).</summary>
    public long initial_seed()
    {
        if (_philox is { } p) return (long)p.Seed;
        lock (_sync) return (long)_engine.Seed;
    }

    /// <summary>Reseeds from a non-deterministic 64-bit source and returns that seed.</summary>
    public long seed()
    {
        long s = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));
        manual_seed(s);
        return s;
    }

    private void Reseed(ulong seed)
    {
        // CPUGeneratorImpl::set_current_seed resets both normal caches and rebuilds the engine.
        _nextDoubleNormal = null;
        _nextFloatNormal = null;
        _engine.Reseed(seed);
    }

    /// <summary>CPUGeneratorImpl::random(): one mt19937 output.</summary>
    internal uint NextUInt32()
    {
        lock (_sync) return _engine.NextUInt32();
    }

    /// <summary>CPUGeneratorImpl::random64(): two outputs, the first one in the high word.</summary>
    internal ulong NextUInt64()
    {
        lock (_sync) return Random64();
    }

    // Unlocked draws for use inside a kernel that already holds _sync.
    private uint Random32() => _engine.NextUInt32();

    private ulong Random64()
    {
        ulong hi = _engine.NextUInt32();
        ulong lo = _engine.NextUInt32();
        return (hi << 32) | lo;
    }
}
