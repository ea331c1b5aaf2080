using System.Numerics;

namespace Notebooks.Tensors.Backend.Functions;

// ---- comparisons (result bool) ----
internal struct EqFn<T> : ICompareFn<T> where T : IEqualityOperators<T, T, bool> { public static bool Apply(T a, T b) => a == b; }
partial class BinaryOp
{
    public static readonly BinaryOp Eq = new EqOp();
    private sealed class EqOp : BinaryOp
    {
        public EqOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<EqFn<T>>();
    }
}
internal struct NeFn<T> : ICompareFn<T> where T : IEqualityOperators<T, T, bool> { public static bool Apply(T a, T b) => a != b; }
partial class BinaryOp
{
    public static readonly BinaryOp Ne = new NeOp();
    private sealed class NeOp : BinaryOp
    {
        public NeOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<NeFn<T>>();
    }
}
internal struct LtFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a < b; }
partial class BinaryOp
{
    public static readonly BinaryOp Lt = new LtOp();
    private sealed class LtOp : BinaryOp
    {
        public LtOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<LtFn<T>>();
    }
}
internal struct LeFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a <= b; }
partial class BinaryOp
{
    public static readonly BinaryOp Le = new LeOp();
    private sealed class LeOp : BinaryOp
    {
        public LeOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<LeFn<T>>();
    }
}
internal struct GtFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a > b; }
partial class BinaryOp
{
    public static readonly BinaryOp Gt = new GtOp();
    private sealed class GtOp : BinaryOp
    {
        public GtOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<GtFn<T>>();
    }
}
internal struct GeFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a >= b; }
partial class BinaryOp
{
    public static readonly BinaryOp Ge = new GeOp();
    private sealed class GeOp : BinaryOp
    {
        public GeOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<GeFn<T>>();
    }
}
internal struct LogicalAndFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) && !T.IsZero(b); }
partial class BinaryOp
{
    public static readonly BinaryOp LogicalAnd = new LogicalAndOp();
    private sealed class LogicalAndOp : BinaryOp
    {
        public LogicalAndOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<LogicalAndFn<T>>();
    }
}
internal struct LogicalOrFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) || !T.IsZero(b); }
partial class BinaryOp
{
    public static readonly BinaryOp LogicalOr = new LogicalOrOp();
    private sealed class LogicalOrOp : BinaryOp
    {
        public LogicalOrOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<LogicalOrFn<T>>();
    }
}
internal struct LogicalXorFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) != !T.IsZero(b); }
partial class BinaryOp
{
    public static readonly BinaryOp LogicalXor = new LogicalXorOp();
    private sealed class LogicalXorOp : BinaryOp
    {
        public LogicalXorOp() : base(comparison: true) { }
        public override bool Compare<T, U>(ref U u) => u.Use<LogicalXorFn<T>>();
    }
}

