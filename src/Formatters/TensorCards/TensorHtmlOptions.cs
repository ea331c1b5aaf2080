namespace Notebooks.Formatters;

/// <summary>Knobs of the tensor card (<see cref="NotebookFormatters.TensorHtml"/>).</summary>
public sealed class TensorHtmlOptions
{
    /// <summary>Tint each value cell by where it lies between the tensor's min and max.</summary>
    public bool ColorScale { get; set; }

    /// <summary>Above this many elements the values are summarised (PyTorch's print threshold).</summary>
    public long Threshold { get; set; } = 1000;

    /// <summary>Items kept at each end of a summarised dimension (PyTorch's edgeitems).</summary>
    public int EdgeItems { get; set; } = 3;

    /// <summary>Stats and the histogram read at most about this many elements (a strided sample beyond).</summary>
    public long StatsSampleLimit { get; set; } = 1_000_000;

    public int HistogramBins { get; set; } = 24;

    /// <summary>At most this many 2-D slices of a 3-D+ tensor are drawn.</summary>
    public int MaxSlices { get; set; } = 48;

    public bool ShowGrad { get; set; } = true;
}
