using System.Globalization;
using System.Text;

namespace Notebooks.Tensors.Printing;

/// <summary>
/// Port of <c>torch/_tensor_str.py</c> for dense strided real tensors: <c>repr(t)</c> (== <c>str(t)</c>) character for character.
/// </summary>
internal static class TensorPrinter
{
    private const string Prefix = "tensor(";

    /// <summary><c>repr(tensor)</c> with the options in force (<see cref="PrintOptions.Current"/>).</summary>
    internal static string Repr(IPrintSource source, PrintSuffixes suffixes) => Repr(source, suffixes, PrintOptions.Current);

    /// <summary><c>repr(tensor)</c> with explicit options (the port of <c>_str_intern</c>).</summary>
    internal static string Repr(IPrintSource source, PrintSuffixes suffixes, PrintOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(suffixes);
        ArgumentNullException.ThrowIfNull(options);

        int indent = Prefix.Length;
        var list = new List<string>();
        if (suffixes.Device is { } device) list.Add("device='" + device + "'");

        long[] shape = source.Shape;
        long numel = Numel(shape);
        string dtype = source.DTypeName;
        string tensorStr;
        if (numel == 0)
        {
            // Explicitly print the shape if it is not (0,), to match NumPy; an empty tensor shows any non-default dtype,
            // int64 and bool included (nothing to infer it from).
            if (shape.Length != 1) list.Add("size=" + PyTuple(shape));
            if (dtype != PrintOptions.DefaultFloatDTypeName) list.Add("dtype=torch." + dtype);
            tensorStr = "[]";
        }
        else
        {
            bool hasDefaultDType = dtype == PrintOptions.DefaultFloatDTypeName || dtype is "int64" or "bool";
            if (!hasDefaultDType) list.Add("dtype=torch." + dtype);
            tensorStr = TensorStr(source, indent, options);
        }

        if (suffixes.GradFnName is { } gradFn) list.Add("grad_fn=<" + gradFn + ">");
        else if (suffixes.RequiresGrad) list.Add("requires_grad=True");

        return AddSuffixes(Prefix + tensorStr, list, indent, options.LineWidth);
    }

    /// <summary>Port of <c>_tensor_str(self, indent)</c>: the bracketed data without prefix or suffixes.</summary>
    internal static string TensorStr(IPrintSource source, int indent, PrintOptions options)
    {
        long[] shape = source.Shape;
        long numel = Numel(shape);
        if (numel == 0) return "[]";

        bool summarize = numel > options.Threshold;
        var strides = new long[shape.Length];
        long stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }

        var formatter = new ElementFormatter(
            source, summarize ? SummarizedIndices(shape, strides, options.EdgeItems) : AllIndices(numel), options);
        var sb = new StringBuilder();
        var ctx = new Context(source, shape, strides, summarize, options, formatter);
        if (shape.Length == 0) sb.Append(formatter.Format(0));
        else AppendTensor(sb, ctx, 0, 0, indent);
        return sb.ToString();
    }

    private sealed record Context(
        IPrintSource Source, long[] Shape, long[] Strides, bool Summarize, PrintOptions Options, ElementFormatter Formatter);

    private static IEnumerable<long> AllIndices(long numel)
    {
        for (long i = 0; i < numel; i++) yield return i;
    }

    /// <summary>
    /// The flat indices of <c>get_summarized_data(self)</c>: in every dimension longer than 2 * edgeitems only the first and
    /// last edgeitems entries are kept. (In the last dimension PyTorch slices <c>self[-edgeitems:]</c>, which for
    /// edgeitems == 0 is the whole row; kept for fidelity.)
    /// </summary>
    private static IEnumerable<long> SummarizedIndices(long[] shape, long[] strides, int edge)
    {
        var perDim = new long[shape.Length][];
        for (int d = 0; d < shape.Length; d++)
            perDim[d] = KeptIndices(shape[d], edge, lastDim: d == shape.Length - 1);
        return Product(perDim, strides, 0, 0);
    }

    private static long[] KeptIndices(long size, int edge, bool lastDim)
    {
        if (size <= 2L * edge) return Range(0, size);
        var head = Range(0, edge);
        var tail = edge == 0 && lastDim ? Range(0, size) : Range(size - edge, edge);
        return [.. head, .. tail];
    }

    private static long[] Range(long start, long count)
    {
        var r = new long[count];
        for (long i = 0; i < count; i++) r[i] = start + i;
        return r;
    }

    private static IEnumerable<long> Product(long[][] perDim, long[] strides, int d, long offset)
    {
        if (d == perDim.Length)
        {
            yield return offset;
            yield break;
        }

        foreach (long i in perDim[d])
        foreach (long flat in Product(perDim, strides, d + 1, offset + i * strides[d]))
            yield return flat;
    }

    /// <summary>Port of <c>_tensor_str_with_formatter</c> for dim &gt;= 1.</summary>
    private static void AppendTensor(StringBuilder sb, Context ctx, int d, long offset, int indent)
    {
        int remaining = ctx.Shape.Length - d;
        if (remaining == 1)
        {
            AppendVector(sb, ctx, d, offset, indent);
            return;
        }

        long size = ctx.Shape[d];
        int edge = ctx.Options.EdgeItems;
        string separator = "," + new string('\n', remaining - 1) + new string(' ', indent + 1);
        sb.Append('[');
        bool first = true;
        void Slice(long i)
        {
            if (!first) sb.Append(separator);
            first = false;
            AppendTensor(sb, ctx, d + 1, offset + i * ctx.Strides[d], indent + 1);
        }

        if (ctx.Summarize && size > 2L * edge)
        {
            for (long i = 0; i < edge; i++) Slice(i);
            if (!first) sb.Append(separator);
            first = false;
            sb.Append("...");
            for (long i = size - edge; i < size; i++) Slice(i);
        }
        else
        {
            for (long i = 0; i < size; i++) Slice(i);
        }

        sb.Append(']');
    }

    /// <summary>Port of <c>_vector_str</c>: elements wrapped at linewidth, <c>" ..."</c> in the middle when summarized.</summary>
    private static void AppendVector(StringBuilder sb, Context ctx, int d, long offset, int indent)
    {
        var formatter = ctx.Formatter;
        int elementLength = formatter.Width + 2; // includes ", "
        int perLine = (int)Math.Max(1, Math.Floor((double)(ctx.Options.LineWidth - indent) / elementLength));

        long size = ctx.Shape[d];
        long stride = ctx.Strides[d];
        int edge = ctx.Options.EdgeItems;
        var data = new List<string>();
        if (ctx.Summarize && size > 2L * edge)
        {
            for (long i = 0; i < edge; i++) data.Add(formatter.Format(offset + i * stride));
            data.Add(" ...");
            long tailStart = edge == 0 ? 0 : size - edge; // self[-0:] is the whole row
            for (long i = tailStart; i < size; i++) data.Add(formatter.Format(offset + i * stride));
        }
        else
        {
            for (long i = 0; i < size; i++) data.Add(formatter.Format(offset + i * stride));
        }

        string lineBreak = ",\n" + new string(' ', indent + 1);
        sb.Append('[');
        for (int i = 0; i < data.Count; i++)
        {
            if (i > 0) sb.Append(i % perLine == 0 ? lineBreak : ", ");
            sb.Append(data[i]);
        }

        sb.Append(']');
    }

    /// <summary>Port of <c>_add_suffixes</c>: each suffix goes on the current line unless it would pass linewidth.</summary>
    internal static string AddSuffixes(string tensorStr, IReadOnlyList<string> suffixes, int indent, int lineWidth)
    {
        var sb = new StringBuilder(tensorStr);
        // PyTorch: len(s) - s.rfind('\n') + 1 (so a single line counts len + 2).
        int lastLineLen = tensorStr.Length - tensorStr.LastIndexOf('\n') + 1;
        foreach (string suffix in suffixes)
        {
            if (lastLineLen + suffix.Length + 2 > lineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLen = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLen += suffix.Length + 2;
            }
        }

        sb.Append(')');
        return sb.ToString();
    }

    private static long Numel(long[] shape)
    {
        long n = 1;
        foreach (long s in shape) n *= s;
        return n;
    }

    /// <summary>Python's <c>str(tuple(shape))</c>: "(0, 3)", "(0,)".</summary>
    internal static string PyTuple(long[] shape) =>
        shape.Length == 1
            ? "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)"
            : "(" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";
}
