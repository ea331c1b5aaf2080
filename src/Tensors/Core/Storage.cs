namespace Notebooks.Tensors;

/// <summary>
/// A flat buffer of one dtype on one device. Tensors are strided windows onto a storage; views share it.
/// Backends own the concrete kinds (CPU arrays here; device memory elsewhere).
/// </summary>
public abstract class Storage
{
    public DType dtype { get; }
    public Device device { get; }
    /// <summary>Number of elements.</summary>
    public long Count { get; }

    protected Storage(DType dtype, Device device, long count)
    {
        this.dtype = dtype; this.device = device; Count = count;
    }

    public long nbytes() => Count * dtype.itemsize;
}
