using System.Globalization;

namespace Notebooks.Tensors.Printing;

/// <summary>
/// Port of <c>torch._tensor_str._Formatter</c>: decides int_mode / sci_mode and the common width from the elements it is
/// given (the summarized data when the tensor is summarized), then pads every formatted element to that width.
/// </summary>
internal sealed class ElementFormatter
{
    private readonly IPrintSource _source;
    private readonly bool _floating;
    private readonly int _precision;
    private readonly bool _intMode = true;
    private readonly bool _sciMode;

    public ElementFormatter(IPrintSource source, IEnumerable<long> flatIndices, PrintOptions options)
    {
        _source = source;
        _floating = source.Kind == ElementKind.Floating;
        _precision = options.Precision;
        Width = 1;

        if (!_floating)
        {
            foreach (long i in flatIndices)
                Width = Math.Max(Width, FormatRaw(i).Length);
            return;
        }

        // nonzero_finite_vals = masked_select(t, isfinite(t) & t.ne(0)); -0.0 counts as zero.
        var values = new List<double>();
        foreach (long i in flatIndices)
        {
            double v = source.GetDouble(i);
            if (double.IsFinite(v) && v != 0) values.Add(v);
        }

        // "no valid number, do nothing": int_mode stays true, sci_mode false, and PRINT_OPTS.sci_mode is NOT applied.
        if (values.Count == 0) return;

        double min = double.PositiveInfinity, max = 0;
        foreach (double v in values)
        {
            double a = Math.Abs(v);
            if (a < min) min = a;
            if (a > max) max = a;
            if (_intMode && v != Math.Ceiling(v)) _intMode = false;
        }

        if (_intMode)
        {
            // All integral: '{:.0f}' plus a '.', hence the + 1; sci when the range is too wide.
            if (max / min > 1000.0 || max > 1.0e8)
            {
                _sciMode = true;
                foreach (double v in values) Width = Math.Max(Width, PyFloatFormat.Scientific(v, _precision).Length);
            }
            else
            {
                foreach (double v in values) Width = Math.Max(Width, PyFloatFormat.Fixed(v, 0).Length + 1);
            }
        }
        else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4)
        {
            _sciMode = true;
            foreach (double v in values) Width = Math.Max(Width, PyFloatFormat.Scientific(v, _precision).Length);
        }
        else
        {
            foreach (double v in values) Width = Math.Max(Width, PyFloatFormat.Fixed(v, _precision).Length);
        }

        // A forced sci_mode changes the format but not the width computed above (as in PyTorch).
        if (options.SciMode is { } forced) _sciMode = forced;
    }

    /// <summary><c>_Formatter.width()</c>.</summary>
    public int Width { get; }

    /// <summary><c>_Formatter.format(value)</c>: the element right-aligned to <see cref="Width"/>.</summary>
    public string Format(long flatIndex)
    {
        string s = FormatRaw(flatIndex);
        return s.Length >= Width ? s : s.PadLeft(Width);
    }

    private string FormatRaw(long flatIndex)
    {
        switch (_source.Kind)
        {
            case ElementKind.Bool:
                return _source.GetBool(flatIndex) ? "True" : "False";
            case ElementKind.Integer:
                return _source.GetInt64(flatIndex).ToString(CultureInfo.InvariantCulture);
        }

        double v = _source.GetDouble(flatIndex);
        if (_sciMode) return PyFloatFormat.Scientific(v, _precision);
        if (_intMode)
        {
            string s = PyFloatFormat.Fixed(v, 0);
            return double.IsFinite(v) ? s + "." : s;
        }

        return PyFloatFormat.Fixed(v, _precision);
    }
}
