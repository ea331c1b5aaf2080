using Notebooks.Tensors.Printing;

namespace Notebooks.Tensors;

public sealed partial class Tensor
{
    /// <summary>PyTorch's <c>repr</c>, character for character.</summary>
    public override string ToString() =>
        (_isParameter ? "Parameter containing:\n" : "") + TensorPrinter.Repr(new PrintSource(this), Suffixes());

    public string __repr__() => ToString();

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

        private T Read<T>(long flat) where T : unmanaged => ((Backend.Cpu.CpuStorage)_t._storage).Span<T>()[(int)Offset(flat)];

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
