using Notebooks.Tensors.Printing;

namespace Notebooks.Tensors;

public static partial class torch
{
    /// <summary>
    /// <c>torch.set_printoptions</c>: options for printing tensors (items taken from NumPy, as in PyTorch).
    /// A <paramref name="profile"/> ("default", "short", "full") is applied first, then the explicit values.
    /// As in PyTorch, <paramref name="sci_mode"/> is always overwritten: leaving it null resets it to automatic.
    /// </summary>
    /// <param name="precision">Digits after the point for floating point output (default 4).</param>
    /// <param name="threshold">Total number of elements above which the output is summarized (default 1000).</param>
    /// <param name="edgeitems">Items shown at the beginning and end of each summarized dimension (default 3).</param>
    /// <param name="linewidth">Characters per line for inserting line breaks (default 80).</param>
    /// <param name="profile">"default", "short" (precision 2, edgeitems 2) or "full" (never summarize).</param>
    /// <param name="sci_mode">true/false forces scientific notation on/off; null lets the formatter choose.</param>
    public static void set_printoptions(
        int? precision = null,
        long? threshold = null,
        int? edgeitems = null,
        int? linewidth = null,
        string? profile = null,
        bool? sci_mode = null)
    {
        PrintOptions.Current = PrintOptions.Apply(
            PrintOptions.Current, precision, threshold, edgeitems, linewidth, profile, sci_mode);
    }
}
