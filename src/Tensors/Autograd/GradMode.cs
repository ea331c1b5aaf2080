namespace Notebooks.Tensors.Autograd;

/// <summary>Thread-local switches: is autograd recording, and are we in inference mode.</summary>
internal static class GradMode
{
    [ThreadStatic] private static bool _disabled;
    [ThreadStatic] private static int _inferenceDepth;

    public static bool Enabled { get => !_disabled; set => _disabled = !value; }
    /// <summary>Every tensor made asks this: until some thread enters inference mode, it is answered without a thread-local read.</summary>
    public static bool InferenceMode => s_inferenceUsed && _inferenceDepth > 0;
    private static bool s_inferenceUsed;

    internal static void EnterInference()
    {
        s_inferenceUsed = true;
        _inferenceDepth++;
    }
    internal static void ExitInference() => _inferenceDepth--;

    /// <summary>Should an op with these inputs record a graph node?</summary>
    public static bool ShouldRecord(Tensor a) => !_disabled && a._requiresGrad;
    public static bool ShouldRecord(Tensor a, Tensor b) => !_disabled && (a._requiresGrad || b._requiresGrad);
    public static bool ShouldRecord(ReadOnlySpan<Tensor> ts)
    {
        if (_disabled) return false;
        foreach (var t in ts) if (t._requiresGrad) return true;
        return false;
    }
}

/// <summary>The disposable returned by <c>torch.no_grad()</c> and friends: restores the previous mode.</summary>
public sealed class GradModeGuard : IDisposable
{
    private readonly bool _previous;
    private readonly bool _inference;
    private bool _disposed;

    internal GradModeGuard(bool enabled, bool inference = false)
    {
        _previous = GradMode.Enabled;
        _inference = inference;
        GradMode.Enabled = enabled;
        if (inference) GradMode.EnterInference();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        GradMode.Enabled = _previous;
        if (_inference) GradMode.ExitInference();
    }
}

/// <summary>
/// Gradients off for a library-internal block: a struct, so the ops that compute their forward without recording
/// and attach their own node allocate no guard per call (<c>torch.no_grad()</c> keeps its public class).
/// </summary>
internal readonly struct NoGradScope : IDisposable
{
    private readonly bool _previous;

    public NoGradScope()
    {
        _previous = GradMode.Enabled;
        GradMode.Enabled = false;
    }

    public void Dispose() => GradMode.Enabled = _previous;
}
