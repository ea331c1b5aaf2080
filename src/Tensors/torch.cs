using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

/// <summary>
/// The <c>torch</c> namespace of PyTorch: dtypes, factories, functional ops and grad modes. Spread over partial
/// files by topic (torch.Creation.cs, torch.Random.cs, torch.Functions.cs …).
/// </summary>
public static partial class torch
{
    public static readonly DType float32 = DType.Float32, @float = DType.Float32;
    public static readonly DType float64 = DType.Float64, @double = DType.Float64;
    public static readonly DType float16 = DType.Float16, half = DType.Float16;
    public static readonly DType bfloat16 = DType.BFloat16;
    public static readonly DType int64 = DType.Int64, @long = DType.Int64;
    public static readonly DType int32 = DType.Int32, @int = DType.Int32;
    public static readonly DType int16 = DType.Int16, @short = DType.Int16;
    public static readonly DType int8 = DType.Int8;
    public static readonly DType uint8 = DType.UInt8;
    public static readonly DType @bool = DType.Bool;

    /// <summary><c>None</c> in an index: inserts a dim of size 1.</summary>
    public static readonly TensorIndex newaxis = TensorIndex.None;

    private static DType _defaultDType = DType.Float32;

    public static DType get_default_dtype() => _defaultDType;

    public static void set_default_dtype(DType d)
    {
        if (!d.is_floating_point)
            throw new ArgumentException($"only floating-point types are supported as the default type");
        _defaultDType = d;
        Printing.PrintOptions.DefaultFloatDTypeName = d.Name;
    }

    /// <summary>A device from its name ("cpu", "cuda", "cuda:1") or from a type and an index.</summary>
    public static Device device(string spec) => Device.Parse(spec);
    /// <summary>A device from its name ("cpu", "cuda", "cuda:1") or from a type and an index.</summary>
    public static Device device(string type, int index) => new(type, index);

    public static Size Size(params long[] dims) => new(dims);

    public static bool is_tensor(object? o) => o is Tensor;
    public static bool is_floating_point(Tensor t) => t.is_floating_point();
    public static long numel(Tensor t) => t.numel();

    // ---- grad modes ----
    /// <summary><c>with torch.no_grad():</c> becomes <c>using (torch.no_grad()) { … }</c>.</summary>
    public static GradModeGuard no_grad() => new(false);
    public static GradModeGuard enable_grad() => new(true);
    public static GradModeGuard set_grad_enabled(bool mode) => new(mode);
    public static bool is_grad_enabled() => GradMode.Enabled;
    public static GradModeGuard inference_mode(bool mode = true) => mode ? new(false, inference: true) : new(GradMode.Enabled);
    public static bool is_inference_mode_enabled() => GradMode.InferenceMode;

    /// <summary>The decorator form: runs <paramref name="f"/> with gradients off (<c>@torch.no_grad()</c>).</summary>
    public static T no_grad<T>(Func<T> f) { using (no_grad()) return f(); }
    public static void no_grad(Action f) { using (no_grad()) f(); }
    public static Func<TA, TR> no_grad<TA, TR>(Func<TA, TR> f) => a => { using (no_grad()) return f(a); };
    public static T enable_grad<T>(Func<T> f) { using (enable_grad()) return f(); }
    public static T inference_mode<T>(Func<T> f) { using (inference_mode()) return f(); }
}
