namespace Notebooks.Tensors;

/// <summary>
/// One entry of a tensor index, the C# counterpart of what Python accepts between <c>[</c> and <c>]</c>:
/// an integer (negative counts from the end), a C# hat index (<c>^1</c>), a C# range (<c>1..3</c>, <c>..</c>),
/// a stepped slice (<see cref="Slice"/>), <see cref="None"/> (<c>torch.newaxis</c>), <see cref="Ellipsis"/>,
/// a bool mask or an integer index tensor (or a .NET array of them, as Python's list index).
/// </summary>
public readonly struct TensorIndex
{
    internal enum Kind : byte { Integer, Slice, None, Ellipsis, Tensor }

    internal readonly Kind kind;
    /// <summary>Integer: the position; with <see cref="FromEnd"/> it counts back from the size (C#'s <c>^n</c>).</summary>
    internal readonly long Value;
    internal readonly bool FromEnd;
    // Slice bounds: null = omitted. A bound counts from the end when its flag is set (Python's negatives become that too).
    internal readonly long? Start, Stop;
    internal readonly bool StartFromEnd, StopFromEnd;
    internal readonly long Step;
    internal readonly Tensor? Tensor;

    private TensorIndex(Kind k, long value = 0, bool fromEnd = false, long? start = null, bool startFromEnd = false,
        long? stop = null, bool stopFromEnd = false, long step = 1, Tensor? tensor = null)
    {
        kind = k; Value = value; FromEnd = fromEnd; Start = start; StartFromEnd = startFromEnd;
        Stop = stop; StopFromEnd = stopFromEnd; Step = step; Tensor = tensor;
    }

    /// <summary>Python's <c>None</c> in an index: inserts a dim of size 1.</summary>
    public static readonly TensorIndex None = new(Kind.None);

    /// <summary>Python's <c>...</c>: stands for as many full slices as the other entries leave.</summary>
    public static readonly TensorIndex Ellipsis = new(Kind.Ellipsis);

    /// <summary>
    /// Python's <c>start:stop:step</c>. Negative bounds count from the end as in Python; null means omitted.
    /// A C# range (<c>a..b</c>) is the step-1 form.
    /// </summary>
    public static TensorIndex Slice(long? start = null, long? stop = null, long step = 1) =>
        new(Kind.Slice, start: start is < 0 ? -start : start, startFromEnd: start is < 0,
            stop: stop is < 0 ? -stop : stop, stopFromEnd: stop is < 0, step: step);

    public static implicit operator TensorIndex(long i) => i < 0 ? new(Kind.Integer, -i, fromEnd: true) : new(Kind.Integer, i);
    public static implicit operator TensorIndex(int i) => (long)i;
    public static implicit operator TensorIndex(System.Index i) => new(Kind.Integer, i.Value, fromEnd: i.IsFromEnd);

    public static implicit operator TensorIndex(System.Range r)
    {
        // `..` leaves both ends open; `a..` and `..b` one of them. C#'s Range stores an open start as 0 and an
        // open end as ^0, which clamp the same way, so they resolve exactly like Python's omitted bounds.
        return new(Kind.Slice, start: r.Start.Value, startFromEnd: r.Start.IsFromEnd,
            stop: r.End.Value, stopFromEnd: r.End.IsFromEnd, step: 1);
    }

    /// <summary>A bool mask (selects where true) or an integer tensor of positions (advanced indexing).</summary>
    public static implicit operator TensorIndex(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(Kind.Tensor, tensor: t);
    }

    /// <summary>Python's list index <c>x[[0, 2]]</c>.</summary>
    public static implicit operator TensorIndex(long[] positions) => torch.tensor(positions);
    public static implicit operator TensorIndex(int[] positions) => torch.tensor(positions);
    /// <summary>Python's list of bools <c>x[[True, False, True]]</c>: a mask.</summary>
    public static implicit operator TensorIndex(bool[] mask) => torch.tensor(mask);

    internal bool IsSpecified => kind is Kind.Integer or Kind.Slice or Kind.Tensor;

    /// <summary>The index resolved against a dim of size <paramref name="n"/> (may be out of range).</summary>
    internal long Resolve(long n) => FromEnd ? n - Value : Value;

    /// <summary>Python's repr of the integer as written (C#'s <c>^k</c> reads as <c>-k</c>).</summary>
    internal long Written => FromEnd ? -Value : Value;

    /// <summary>Python slice clamping: [start, stop) within [0, n].</summary>
    internal (long start, long stop) ResolveSlice(long n)
    {
        long s = Start is { } a ? (StartFromEnd ? n - a : a) : 0;
        long e = Stop is { } b ? (StopFromEnd ? n - b : b) : n;
        s = Math.Clamp(s, 0, n);
        e = Math.Clamp(e, s, n);
        return (s, e);
    }

    public override string ToString() => kind switch
    {
        Kind.Integer => Written.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kind.None => "None",
        Kind.Ellipsis => "...",
        Kind.Tensor => Tensor!.ToString(),
        _ => $"slice({Bound(Start, StartFromEnd)}, {Bound(Stop, StopFromEnd)}, {Step})",
    };

    private static string Bound(long? v, bool fromEnd) => v is { } x ? (fromEnd ? (x == 0 ? "^0" : (-x).ToString(System.Globalization.CultureInfo.InvariantCulture)) : x.ToString(System.Globalization.CultureInfo.InvariantCulture)) : "None";
}
