namespace Notebooks.Tensors.Printing;

/// <summary>
/// The counterpart of <c>torch._tensor_str.PRINT_OPTS</c> (private in PyTorch). Immutable snapshots;
/// <see cref="Current"/> is what <c>torch.set_printoptions</c> changes.
/// </summary>
/// <param name="Precision">Digits after the point (default 4).</param>
/// <param name="Threshold">Summarize when numel &gt; Threshold (default 1000; +inf for profile "full").</param>
/// <param name="EdgeItems">Items kept at each end of a summarized dimension (default 3).</param>
/// <param name="LineWidth">Characters per line used for wrapping (default 80).</param>
/// <param name="SciMode">null: chosen per tensor by the formatter; true/false: forced.</param>
internal sealed record PrintOptions(int Precision, double Threshold, int EdgeItems, int LineWidth, bool? SciMode)
{
    public static PrintOptions Default { get; } = new(4, 1000, 3, 80, null);

    /// <summary>The options in force (PyTorch's PRINT_OPTS).</summary>
    public static PrintOptions Current { get; set; } = Default;

    /// <summary>
    /// The name of <c>torch.get_default_dtype()</c> without "torch." ("float32" unless changed). The tensor layer sets it
    /// when <c>torch.set_default_dtype</c> is called; the dtype-suffix rule of <c>_str_intern</c> reads it.
    /// </summary>
    public static string DefaultFloatDTypeName { get; set; } = "float32";

    /// <summary><c>torch.set_printoptions</c>: profile first, then the explicit values; sci_mode is always overwritten (None resets it).</summary>
    public static PrintOptions Apply(
        PrintOptions current, int? precision, double? threshold, int? edgeitems, int? linewidth, string? profile, bool? sciMode)
    {
        var o = current;
        switch (profile)
        {
            case null:
                break;
            case "default":
                o = o with { Precision = 4, Threshold = 1000, EdgeItems = 3, LineWidth = 80 };
                break;
            case "short":
                o = o with { Precision = 2, Threshold = 1000, EdgeItems = 2, LineWidth = 80 };
                break;
            case "full":
                o = o with { Precision = 4, Threshold = double.PositiveInfinity, EdgeItems = 3, LineWidth = 80 };
                break;
            default:
                // PyTorch silently ignores an unknown profile name.
                break;
        }

        if (precision is { } p)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(p, nameof(precision));
            o = o with { Precision = p };
        }

        if (threshold is { } t) o = o with { Threshold = t };
        if (edgeitems is { } e)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(e, nameof(edgeitems));
            o = o with { EdgeItems = e };
        }

        if (linewidth is { } l) o = o with { LineWidth = l };
        return o with { SciMode = sciMode };
    }
}
