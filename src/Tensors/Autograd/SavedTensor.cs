namespace Notebooks.Tensors.Autograd;

/// <summary>
/// A tensor a backward formula needs later (PyTorch's SavedVariable): remembers the version it had when saved, so
/// an in-place change before backward is caught, and is dropped when the graph is freed.
/// </summary>
internal struct SavedTensor
{
    private Tensor? _tensor;
    private int _version;
    private bool _wasOutput;
    private bool _set;

    /// <summary>Saves <paramref name="t"/> for a backward node (the node is named when unpacking, so a saved slot stays small).</summary>
    public SavedTensor(Tensor? t, bool isOutput = false)
    {
        if (t is { _isInference: true } && !GradMode.InferenceMode)
            throw new InvalidOperationException(
                "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.");
        _tensor = t;
        _version = t?._version_ ?? 0;
        _wasOutput = isOutput;
        _set = true;
    }

    public readonly bool IsNull => _tensor is null && !_set;

    /// <summary>The saved tensor, checked against in-place changes since it was saved by <paramref name="owner"/>.</summary>
    public readonly Tensor Unpack(Node owner)
    {
        if (owner.Released)
            throw new InvalidOperationException(
                "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
                "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
                "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
        var t = _tensor!;
        if (t._version_ != _version) VersionMismatch(t, owner);
        return t;
    }

    private readonly void VersionMismatch(Tensor t, Node owner)
    {
        var producer = _wasOutput ? owner.name() : t._gradFn?.name() ?? "AccumulateGrad";
        var typeName = TypeNames.Legacy(t);
        throw new InvalidOperationException(
            $"one of the variables needed for gradient computation has been modified by an inplace operation: [{typeName} [{string.Join(", ", t._shape)}]]" +
            $"{(t._gradFn is null && !_wasOutput ? "" : $", which is output {t._outputNr} of {producer},")} is at version {t._version_}; expected version {_version} instead. " +
            (torch.autograd.is_anomaly_enabled()
                ? "Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!"
                : "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True)."));
    }

    public void Release() { _tensor = null; }
}

internal static class TypeNames
{
    /// <summary>PyTorch's legacy type name used in messages: torch.FloatTensor, torch.cuda.LongTensor …</summary>
    public static string Legacy(Tensor t)
    {
        var n = t.dtype.Kind switch
        {
            ScalarType.Float32 => "FloatTensor", ScalarType.Float64 => "DoubleTensor", ScalarType.Float16 => "HalfTensor",
            ScalarType.BFloat16 => "BFloat16Tensor", ScalarType.Int64 => "LongTensor", ScalarType.Int32 => "IntTensor",
            ScalarType.Int16 => "ShortTensor", ScalarType.Int8 => "CharTensor", ScalarType.UInt8 => "ByteTensor", _ => "BoolTensor",
        };
        return t.is_cuda ? "torch.cuda." + n : "torch." + n;
    }
}
