using Notebooks.Tensors.Printing;

namespace Notebooks.Tensors;

public sealed partial class Tensor : ISpanFormattable
{
    /// <summary>PyTorch's <c>repr</c>, character for character.</summary>
    public override string ToString() =>
        (_isParameter ? "Parameter containing:\n" : "") + TensorPrinter.Repr(new PrintSource(this), Suffixes());

    public string __repr__() => ToString();

    /// <summary>
    /// Python's <c>Tensor.__format__</c> (torch/_tensor.py): a 0-dim tensor formats as its number,
    /// <c>item().__format__(spec)</c>, with Python's whole mini-language (<c>$"{loss:.4f}"</c>, <c>$"{w:+.2f}"</c>,
    /// <c>$"{acc:&gt;7.1%}"</c>) or a .NET format (<c>$"{loss:F5}"</c>); a tensor of more dims refuses a spec as
    /// object.__format__ does. This method, with no spec, is what <c>Console.WriteLine(t)</c> calls: the repr, as
    /// <c>print(t)</c> prints; interpolation (<c>$"{t}"</c>) goes through <see cref="TryFormat"/> instead, which gives
    /// a 0-dim tensor's number, as Python's <c>f"{t}"</c> does.
    /// </summary>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        if (string.IsNullOrEmpty(format)) return ToString();
        if (_shape.Length != 0) throw new FormatException("unsupported format string passed to Tensor.__format__");
        return item().ToString(format, formatProvider);
    }

    /// <summary>
    /// <c>$"{t}"</c> and <c>string.Format</c>: Python's <c>format(t, spec)</c>, where an empty spec gives a 0-dim
    /// tensor's number (f"{loss}" is 2.5) and any other tensor's repr. (.NET's interpolation and string.Format use
    /// this; Console.WriteLine(object) uses <see cref="ToString(string?, IFormatProvider?)"/>, so it prints as print does.)
    /// </summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var s = format.IsEmpty
            ? _shape.Length == 0 ? item().ToString() : ToString()
            : ToString(format.ToString(), provider);
        charsWritten = 0;
        if (s.Length > destination.Length) return false;
        s.AsSpan().CopyTo(destination);
        charsWritten = s.Length;
        return true;
    }

    internal PrintSuffixes Suffixes() => new(
        Device: is_cpu ? null : device.ToString(),
        RequiresGrad: _requiresGrad && _gradFn is null,
        GradFnName: _gradFn?.name());

    /// <summary>
    /// Reads a tensor's values (any strides) for the printer on demand: a summarised print of a huge tensor only
    /// touches the edge elements it shows.
    /// </summary>
    internal sealed class PrintSource : IPrintSource
    {
        private readonly Tensor _t;

        public PrintSource(Tensor t)
        {
            // Device tensors are read from a host copy; CPU tensors in place.
            _t = t.is_cpu ? t : t.detach().cpu();
            Shape = t._shape;
            DTypeName = t.dtype.Name;
            Kind = t.dtype.is_floating_point ? ElementKind.Floating : t.dtype.IsBool ? ElementKind.Bool : ElementKind.Integer;
        }

        public long[] Shape { get; }
        public ElementKind Kind { get; }
        public string DTypeName { get; }

        private long Offset(long flat)
        {
            long off = _t._offset;
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                var n = Shape[d];
                off += flat % n * _t._strides[d];
                flat /= n;
            }
            return off;
        }

        private T Read<T>(long flat) where T : unmanaged => Backend.HostMemory.Storage<T>(_t.Buffer)[(int)Offset(flat)];

        public double GetDouble(long i) => _t.dtype.Kind switch
        {
            ScalarType.Float32 => Read<float>(i),
            ScalarType.Float64 => Read<double>(i),
            ScalarType.Float16 => (double)Read<Half>(i),
            ScalarType.BFloat16 => (float)Read<BFloat16>(i),
            _ => GetInt64(i),
        };

        public long GetInt64(long i) => _t.dtype.Kind switch
        {
            ScalarType.Int64 => Read<long>(i),
            ScalarType.Int32 => Read<int>(i),
            ScalarType.Int16 => Read<short>(i),
            ScalarType.Int8 => Read<sbyte>(i),
            ScalarType.UInt8 => Read<byte>(i),
            ScalarType.Bool => Read<bool>(i) ? 1 : 0,
            _ => (long)GetDouble(i),
        };

        public bool GetBool(long i) => _t.dtype.IsBool ? Read<bool>(i) : GetDouble(i) != 0;
    }
}
