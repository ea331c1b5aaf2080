using Notebooks.Tensors.Printing;

namespace Notebooks.Tensors;

public sealed partial class Tensor : IFormattable
{
    /// <summary>PyTorch's <c>repr</c>, character for character.</summary>
    public override string ToString() =>
        (_isParameter ? "Parameter containing:\n" : "") + TensorPrinter.Repr(new PrintSource(this), Suffixes());

    public string __repr__() => ToString();

    /// <summary>
    /// Python's <c>Tensor.__format__</c>: a one-element 0-dim tensor formats as its number (<c>$"{loss}"</c> gives
    /// <c>2.5</c>, <c>$"{loss:F5}"</c> or Python's <c>$"{loss:.5f}"</c> give 5 decimals); any other tensor as its repr.
    /// </summary>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        if (_shape.Length != 0) return ToString();
        var provider = formatProvider ?? System.Globalization.CultureInfo.InvariantCulture;
        if (dtype.IsBool) return item<bool>() ? "True" : "False";
        if (!dtype.is_floating_point)
            return string.IsNullOrEmpty(format) || format.StartsWith('.') ? item<long>().ToString(System.Globalization.CultureInfo.InvariantCulture) : item<long>().ToString(format, provider);
        var v = item<double>();
        if (string.IsNullOrEmpty(format)) return PyFloatFormat.Repr(v);
        if (format.Length > 1 && format[0] == '.' && int.TryParse(format.AsSpan(1, format.Length - 2), out var digits))
            return format[^1] switch
            {
                'f' => PyFloatFormat.Fixed(v, digits),
                'e' => PyFloatFormat.Scientific(v, digits),
                _ => v.ToString(format, provider),
            };
        return v.ToString(format, provider);
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

        private T Read<T>(long flat) where T : unmanaged => Backend.HostMemory.Storage<T>(_t)[(int)Offset(flat)];

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
