namespace Notebooks.Tensors;

/// <summary>
/// What torch.unique / unique_consecutive return: the unique values alone (converts to a <see cref="Tensor"/>), or with
/// the inverse indices and/or counts that were asked for, deconstructing as Python's tuple does:
/// <c>var (output, inverse) = x.unique(return_inverse: true)</c>, <c>var (output, inverse, counts) = ...</c>.
/// </summary>
public sealed class UniqueResult
{
    public Tensor output { get; }
    /// <summary>Where each input element (or slice) went in <see cref="output"/>; null unless return_inverse.</summary>
    public Tensor? inverse_indices { get; }
    /// <summary>How often each unique value (or slice) occurs; null unless return_counts.</summary>
    public Tensor? counts { get; }

    internal UniqueResult(Tensor output, Tensor? inverse, Tensor? counts)
    {
        this.output = output;
        inverse_indices = inverse;
        this.counts = counts;
    }

    public static implicit operator Tensor(UniqueResult r) => r.output;

    /// <summary>(output, inverse) or (output, counts): whichever one of the two was asked for, as Python's 2-tuple.</summary>
    public void Deconstruct(out Tensor output, out Tensor second)
    {
        if (inverse_indices is not null && counts is not null || inverse_indices is null && counts is null)
            throw new InvalidOperationException($"{(counts is null ? "not enough" : "too many")} values to unpack (expected 2, got {Length})");
        output = this.output;
        second = (inverse_indices ?? counts)!;
    }

    public void Deconstruct(out Tensor output, out Tensor inverse_indices, out Tensor counts)
    {
        if (this.inverse_indices is null || this.counts is null) throw new InvalidOperationException($"not enough values to unpack (expected 3, got {Length})");
        output = this.output;
        inverse_indices = this.inverse_indices;
        counts = this.counts;
    }

    private int Length => 1 + (inverse_indices is null ? 0 : 1) + (counts is null ? 0 : 1);

    /// <summary>Python's repr: the tensor alone, or the tuple of what was returned.</summary>
    public override string ToString() => Length == 1 ? output.ToString()
        : "(" + string.Join(", ", new[] { output, inverse_indices, counts }.Where(t => t is not null).Select(t => t!.ToString())) + ")";
}
