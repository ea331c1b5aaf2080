using System.Collections;

namespace Notebooks.Tensors;

/// <summary><c>torch.Size</c>: an immutable shape, printed as <c>torch.Size([3, 2, 1])</c>.</summary>
public sealed class Size : IReadOnlyList<long>, IEquatable<Size>
{
    private readonly long[] _dims;

    public Size(params long[] dims) { _dims = (long[])dims.Clone(); }
    internal static Size Wrap(long[] dims) => new(dims, true);
    private Size(long[] dims, bool _) { _dims = dims; }

    public long this[int index]
    {
        get
        {
            var i = index < 0 ? index + _dims.Length : index;
            if ((uint)i >= (uint)_dims.Length) throw new IndexOutOfRangeException("tuple index out of range");
            return _dims[i];
        }
    }

    /// <summary>
    /// <c>size[1:]</c>: a slice of the shape is a <c>torch.Size</c>, as slicing Python's tuple subclass is; bounds past
    /// either end are clamped as Python's slices are (never an error).
    /// </summary>
    public Size this[Range range]
    {
        get
        {
            int n = _dims.Length;
            int Bound(Index i) => Math.Clamp(i.IsFromEnd ? n - i.Value : i.Value, 0, n);
            int start = Bound(range.Start), end = Bound(range.End);
            return Wrap(end > start ? _dims[start..end] : []);
        }
    }

    public int Count => _dims.Length;
    public long numel() { long n = 1; foreach (var d in _dims) n *= d; return n; }
    public long[] ToArray() => (long[])_dims.Clone();
    internal ReadOnlySpan<long> Span => _dims;

    public IEnumerator<long> GetEnumerator() => ((IEnumerable<long>)_dims).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    public bool Equals(Size? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => obj is Size s && Equals(s);
    public override int GetHashCode() { var h = new HashCode(); foreach (var d in _dims) h.Add(d); return h.ToHashCode(); }
    public static bool operator ==(Size? a, Size? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Size? a, Size? b) => !(a == b);

    public static implicit operator long[](Size s) => s.ToArray();

    public override string ToString() => "torch.Size([" + string.Join(", ", _dims) + "])";
}
