using System.Numerics;

namespace Notebooks.Tensors.Backend.Functions;

// ---- comparisons (result bool) ----
internal struct EqFn<T> : ICompareFn<T> where T : IEqualityOperators<T, T, bool> { public static bool Apply(T a, T b) => a == b; }
internal struct NeFn<T> : ICompareFn<T> where T : IEqualityOperators<T, T, bool> { public static bool Apply(T a, T b) => a != b; }
internal struct LtFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a < b; }
internal struct LeFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a <= b; }
internal struct GtFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a > b; }
internal struct GeFn<T> : ICompareFn<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T a, T b) => a >= b; }
internal struct LogicalAndFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) && !T.IsZero(b); }
internal struct LogicalOrFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) || !T.IsZero(b); }
internal struct LogicalXorFn<T> : ICompareFn<T> where T : INumberBase<T> { public static bool Apply(T a, T b) => !T.IsZero(a) != !T.IsZero(b); }

