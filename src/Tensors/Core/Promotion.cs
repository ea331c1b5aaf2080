namespace Notebooks.Tensors;

/// <summary>
/// PyTorch's type promotion (c10/core/ScalarType.h promoteTypes and ATen's ResultTypeState): dimensioned tensors
/// outrank zero-dim tensors, which outrank C# numbers; a lower-ranked operand only changes the result when it is of
/// a higher category (bool &lt; integer &lt; float), and then a C# number brings the default dtype of its category.
/// </summary>
internal static class Promotion
{
    public static DType Promote(DType a, DType b) => DType.Of(Promote(a.Kind, b.Kind));

    public static ScalarType Promote(ScalarType a, ScalarType b)
    {
        if (a == b) return a;
        if (a == ScalarType.Bool) return b;
        if (b == ScalarType.Bool) return a;
        bool fa = IsFloat(a), fb = IsFloat(b);
        if (fa && fb)
        {
            if ((a == ScalarType.Float16 && b == ScalarType.BFloat16) || (a == ScalarType.BFloat16 && b == ScalarType.Float16))
                return ScalarType.Float32;
            return DType.SizeOf(a) >= DType.SizeOf(b) ? a : b;
        }
        if (fa) return a;
        if (fb) return b;
        // Both integers: uint8 with a signed type needs the next signed width that holds 0..255.
        if (a == ScalarType.UInt8 || b == ScalarType.UInt8)
        {
            var other = a == ScalarType.UInt8 ? b : a;
            return other == ScalarType.Int8 ? ScalarType.Int16 : other;
        }
        return DType.SizeOf(a) >= DType.SizeOf(b) ? a : b;
    }

    private static bool IsFloat(ScalarType t) => t is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    public static DType ResultType(Tensor a, Tensor b)
    {
        var s = new State();
        s.Update(a); s.Update(b);
        return s.Result();
    }

    public static DType ResultType(ReadOnlySpan<Tensor> ts)
    {
        var s = new State();
        foreach (var t in ts) s.Update(t);
        return s.Result();
    }

    private struct State
    {
        private ScalarType? _dim, _zero, _wrapped;

        public void Update(Tensor t)
        {
            var k = t.dtype.Kind;
            if (t._isWrappedNumber)
            {
                // A C# number contributes the default dtype of its category.
                var d = IsFloat(k) ? torch.get_default_dtype().Kind : k;
                _wrapped = _wrapped is { } w ? Promote(w, d) : d;
            }
            else if (t._shape.Length == 0) _zero = _zero is { } z ? Promote(z, k) : k;
            else _dim = _dim is { } x ? Promote(x, k) : k;
        }

        public readonly DType Result() => DType.Of(Combine(_dim, Combine(_zero, _wrapped)) ?? ScalarType.Float32);

        private static ScalarType? Combine(ScalarType? higher, ScalarType? lower)
        {
            if (higher is not { } h) return lower;
            if (lower is not { } l) return h;
            if (IsFloat(h)) return h;
            if (h == ScalarType.Bool || IsFloat(l)) return Promote(h, l);
            return h;
        }
    }

    /// <summary>The dtype a floating-point op (exp, true division, mean …) computes in: ints and bool become the default float.</summary>
    public static DType ToFloating(DType d) => d.is_floating_point ? d : torch.get_default_dtype();
}
