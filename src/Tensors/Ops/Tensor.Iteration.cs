namespace Notebooks.Tensors;

// Python's iteration protocol on tensors (torch/_tensor.py __iter__, __len__) and unpacking: foreach over dim 0,
// t.len(), var (a, b) = t. Pattern-based (no IEnumerable), so a tensor is never mistaken for a collection by
// NUnit, LINQ or the notebook formatters.
public sealed partial class Tensor
{
    /// <summary>
    /// <c>foreach (var row in t)</c>: the sub-tensors along dim 0 (views, as <c>t.unbind(0)</c>), as Python's
    /// <c>for row in t</c>. A 0-dim tensor is not iterable ("iteration over a 0-d tensor").
    /// </summary>
    public Rows GetEnumerator()
    {
        if (_shape.Length == 0) throw new InvalidOperationException("iteration over a 0-d tensor");
        return new Rows(this);
    }

    /// <summary>The enumerator of <see cref="GetEnumerator"/>: row i is <c>t[i]</c>, made when reached.</summary>
    public struct Rows
    {
        private readonly Tensor _t;
        private long _i;
        internal Rows(Tensor t) { _t = t; _i = -1; }
        public readonly Tensor Current => _t.select(0, _i);
        public bool MoveNext() => ++_i < _t._shape[0];
    }

    /// <summary>Python's <c>len(t)</c>: the size of dim 0; a 0-dim tensor has none ("len() of a 0-d tensor").</summary>
    public long len() => _shape.Length == 0 ? throw new InvalidOperationException("len() of a 0-d tensor") : _shape[0];

    /// <summary><c>var (a, b) = t</c>: Python's <c>a, b = t</c>, unpacking dim 0.</summary>
    public void Deconstruct(out Tensor a, out Tensor b)
    {
        var r = Unpack(2);
        a = r[0]; b = r[1];
    }

    public void Deconstruct(out Tensor a, out Tensor b, out Tensor c)
    {
        var r = Unpack(3);
        a = r[0]; b = r[1]; c = r[2];
    }

    public void Deconstruct(out Tensor a, out Tensor b, out Tensor c, out Tensor d)
    {
        var r = Unpack(4);
        a = r[0]; b = r[1]; c = r[2]; d = r[3];
    }

    private Tensor[] Unpack(int expected)
    {
        if (_shape.Length == 0) throw new InvalidOperationException("iteration over a 0-d tensor");
        Sequences.CheckUnpack(_shape[0], expected);
        return unbind(0);
    }
}

/// <summary>
/// Python's unpacking and <c>enumerate</c> for what the library hands out as arrays and sequences: a DataLoader batch
/// or a dataset item (<c>Tensor[]</c>) deconstructs (<c>foreach (var (X, y) in loader)</c>,
/// <c>var (x, y) = dataset[0]</c>), and <c>loader.enumerate()</c> pairs each item with its index
/// (<c>foreach (var (batch, (X, y)) in loader.enumerate())</c>).
/// </summary>
public static class Sequences
{
    public static void Deconstruct(this Tensor[] items, out Tensor a, out Tensor b)
    {
        CheckUnpack(items.Length, 2);
        a = items[0]; b = items[1];
    }

    public static void Deconstruct(this Tensor[] items, out Tensor a, out Tensor b, out Tensor c)
    {
        CheckUnpack(items.Length, 3);
        a = items[0]; b = items[1]; c = items[2];
    }

    public static void Deconstruct(this Tensor[] items, out Tensor a, out Tensor b, out Tensor c, out Tensor d)
    {
        CheckUnpack(items.Length, 4);
        a = items[0]; b = items[1]; c = items[2]; d = items[3];
    }

    /// <summary>Python's <c>enumerate(items, start)</c>.</summary>
    public static IEnumerable<(long index, T item)> enumerate<T>(this IEnumerable<T> items, long start = 0)
    {
        long i = start;
        foreach (var item in items) yield return (i++, item);
    }

    /// <summary><c>enumerate(t)</c> over a tensor's rows.</summary>
    public static IEnumerable<(long index, Tensor item)> enumerate(this Tensor t, long start = 0)
    {
        long i = start;
        foreach (var row in t) yield return (i++, row);
    }

    /// <summary>
    /// Python's <c>zip(a, b)</c> over two tensors' rows (the blitz CIFAR-10 tutorial's
    /// <c>for label, prediction in zip(labels, predictions)</c>), stopping at the shorter as zip does. Both are checked
    /// when zip is called, as zip calls iter() on each at once: a 0-dim tensor fails with "iteration over a 0-d tensor".
    /// (LINQ's Zip does not apply: a tensor is deliberately not an IEnumerable.)
    /// </summary>
    public static IEnumerable<(Tensor, Tensor)> zip(this Tensor a, Tensor b)
    {
        var ra = a.GetEnumerator();
        var rb = b.GetEnumerator();
        return Pairs(ra, rb);

        static IEnumerable<(Tensor, Tensor)> Pairs(Tensor.Rows ra, Tensor.Rows rb)
        {
            while (ra.MoveNext() && rb.MoveNext()) yield return (ra.Current, rb.Current);
        }
    }

    /// <summary>Python's unpacking errors (ValueError in CPython's ceval).</summary>
    internal static void CheckUnpack(long got, int expected)
    {
        if (got > expected) throw new ArgumentException($"too many values to unpack (expected {expected})");
        if (got < expected) throw new ArgumentException($"not enough values to unpack (expected {expected}, got {got})");
    }
}
