namespace Notebooks.Tensors.Backend;

/// <summary>
/// Storage offsets for an element move: a host array for CPU tensors, an int64 device buffer (computed by kernels)
/// for CUDA tensors, so indexing a CUDA tensor never copies its data to the host.
/// </summary>
internal sealed class IndexOffsets
{
    public readonly long[]? Host;
    public readonly StridedBuffer? Device;

    private IndexOffsets(long[]? host, StridedBuffer? device) { Host = host; Device = device; }

    public static implicit operator IndexOffsets(long[] host) => new(host, null);

    public static IndexOffsets OnDevice(StridedBuffer offsets) => new(null, offsets);

    public long Count => Host?.LongLength ?? Device!.Value.numel();

    public long[] ToHost()
    {
        if (Host is not null) return Host;
        var d = Device!.Value;
        var host = new long[d.numel()];
        Backends.For(d.device).Download<long>(d, host);
        return host;
    }
}
