namespace Notebooks.Tensors;

/// <summary>
/// Storage offsets for an element move: a host array for CPU tensors, an int64 device tensor (computed by kernels)
/// for CUDA tensors, so indexing a CUDA tensor never copies its data to the host.
/// </summary>
internal sealed class IndexOffsets
{
    public readonly long[]? Host;
    public readonly Tensor? Device;

    private IndexOffsets(long[]? host, Tensor? device) { Host = host; Device = device; }

    public static implicit operator IndexOffsets(long[] host) => new(host, null);

    public static IndexOffsets OnDevice(Tensor offsets) => new(null, offsets);

    public long Count => Host?.LongLength ?? Device!.numel();

    public long[] ToHost() => Host ?? Device!.ToArray<long>();
}
