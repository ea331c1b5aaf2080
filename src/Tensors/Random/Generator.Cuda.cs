namespace Notebooks.Tensors;

public sealed partial class Generator
{
    // Set for a CUDA generator: then only the Philox state is used and the mt19937 engine stays idle.
    private readonly PhiloxState? _philox;

    /// <summary>
    /// <c>torch.Generator(device=...)</c>: <c>"cpu"</c> gives PyTorch's mt19937 generator, <c>"cuda"</c> a Philox
    /// generator (seed + offset) for random ops on CUDA tensors. Making one does not need a GPU, as in PyTorch.
    /// </summary>
    public Generator(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type == "cuda")
        {
            if (device.index is { } i && i != 0)
                throw new InvalidOperationException($"CUDA error: invalid device ordinal (device {i} requested; this build drives cuda:0 only)");
            _philox = new PhiloxState();
        }
    }

    /// <summary>The default generator of <c>cuda:0</c> (<c>torch.cuda.default_generators[0]</c>).</summary>
    internal static Generator CudaDefault { get; } = new(new Device("cuda", 0));

    internal bool IsCuda => _philox is not null;

    internal PhiloxState CudaState => _philox ?? throw new InvalidOperationException("internal: not a CUDA generator");

    /// <summary>
    /// The generator a random op on <paramref name="device"/> draws from: the given one when its device type matches
    /// (ATen's check_generator wording otherwise), else that device's default.
    /// </summary>
    internal static Generator For(Device device, Generator? given)
    {
        bool cuda = device.type == "cuda";
        if (given is null) return cuda ? CudaDefault : Default;
        if (given.IsCuda != cuda)
            throw new InvalidOperationException($"Expected a '{device.type}' device type for generator but found '{(given.IsCuda ? "cuda" : "cpu")}'");
        return given;
    }
}

public sealed partial class Generator
{
    /// <summary>
    /// randperm for a CUDA generator: forward Fisher–Yates with 64-bit draws (so no visible modulo bias), draw i from
    /// Philox block (offset/4, subsequence i). Runs on the host; one reservation per call keeps the stream's contract.
    /// </summary>
    internal long[] RandPermPhilox(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var (seed, offset) = CudaState.Reserve(4);
        var r = new long[n];
        for (long i = 0; i < n; i++) r[i] = i;
        for (long i = 0; i < n - 1; i++)
        {
            var w = Notebooks.Tensors.Philox.Block(seed, offset / 4, (ulong)i);
            ulong bits = ((ulong)w.X << 32) | w.Y;
            long z = i + (long)(bits % (ulong)(n - i));
            (r[i], r[z]) = (r[z], r[i]);
        }
        return r;
    }
}
