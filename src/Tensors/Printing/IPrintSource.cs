namespace Notebooks.Tensors.Printing;

/// <summary>How the printer treats a tensor's elements (PyTorch: bool, integral, or <c>dtype.is_floating_point</c>).</summary>
internal enum ElementKind
{
    Bool,
    Integer,
    Floating,
}

/// <summary>
/// What the printer needs from a tensor. The tensor layer implements it; the printer never sees a Tensor type.
/// Flat indices are row-major over the logical <see cref="Shape"/> (strides are the layer's business).
/// </summary>
internal interface IPrintSource
{
    /// <summary>The logical shape; empty for a 0-dim (scalar) tensor.</summary>
    long[] Shape { get; }

    ElementKind Kind { get; }

    /// <summary>PyTorch's dtype name without the <c>torch.</c> prefix: "float32", "int64", "bool", ...</summary>
    string DTypeName { get; }

    /// <summary>The element as a double (exact for float16, bfloat16, float32 and float64). Used for <see cref="ElementKind.Floating"/>.</summary>
    double GetDouble(long flatIndex);

    /// <summary>The element for <see cref="ElementKind.Integer"/>.</summary>
    long GetInt64(long flatIndex);

    /// <summary>The element for <see cref="ElementKind.Bool"/>.</summary>
    bool GetBool(long flatIndex);
}

/// <summary>
/// The suffixes <c>torch._tensor_str._str_intern</c> may append after the data, in PyTorch's order
/// (device, then dtype/size which the printer derives itself, then grad_fn or requires_grad).
/// PyTorch prints nothing for inference tensors, so there is no flag for them.
/// </summary>
/// <param name="Device">The device string, e.g. "cuda:0"; null for a tensor on the default device (cpu).</param>
/// <param name="RequiresGrad">A leaf that requires grad: prints <c>requires_grad=True</c> (only when there is no grad_fn).</param>
/// <param name="GradFnName">The grad_fn's class name, e.g. "AddBackward0": prints <c>grad_fn=&lt;AddBackward0&gt;</c>.</param>
internal sealed record PrintSuffixes(string? Device = null, bool RequiresGrad = false, string? GradFnName = null)
{
    public static PrintSuffixes None { get; } = new();
}
