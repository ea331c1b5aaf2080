using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Notebooks.Tensors.Backend.Functions;

// An op's element function is written once, as a struct with a static Apply, and both backends run that very code:
// the CPU's strided loops (the JIT specialises each kernel per (type, function) pair, so inner loops have no calls
// left) and the GPU's ILGPU kernels (which take the struct as a type argument: ILGPU compiles static abstract calls
// through the constrained type). So Apply must stay kernel-compilable: no typeof (T.CreateTruncating tests types:
// use Real), no exceptions (the CPU's argument checks wrap a function, see Cpu/Guards.cs), no allocation, only Math
// functions ILGPU maps to device code. PtxCompileTests compiles every op's function to PTX; BackendCoverageTests runs
// every op × dtype on both backends.
//
// Contig/ScalarRight/ApplyV are the CPU's vectorised shortcuts for unit-stride operands (TensorPrimitives, Vector256):
// never called by a kernel, and each must compute what Apply computes.

internal interface IUnaryFn<T>
{
    static abstract T Apply(T x);
    static virtual bool Contig(ReadOnlySpan<T> x, Span<T> d) => false;
    /// <summary>
    /// False where <see cref="Contig"/> may round differently from <see cref="Apply"/> (vectorised exp/log): which
    /// elements reach it depends on the loop order, so the loop driver must then keep its dims in memory order.
    /// </summary>
    static virtual bool ContigExact => true;
}

internal interface IBinaryFn<T>
{
    static abstract T Apply(T a, T b);
    static virtual bool Contig(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => false;
    static virtual bool ScalarRight(ReadOnlySpan<T> a, T b, Span<T> d) => false;
    /// <summary>
    /// True where <see cref="ApplyV"/> computes exactly what <see cref="Apply"/> does, lane by lane (IEEE add, sub,
    /// mul, div, NaN-propagating max/min on float32/float64): short rows and broadcast rows then vectorise inline.
    /// </summary>
    static virtual bool HasVector => false;
    static virtual Vector256<T> ApplyV(Vector256<T> a, Vector256<T> b) => throw new NotSupportedException();
}

/// <summary>A function of two values with a bool result (comparisons, logical ops).</summary>
internal interface ICompareFn<T>
{
    static abstract bool Apply(T a, T b);
}

/// <summary>float32/float64, the types whose vector lanes round exactly as the scalar operators do.</summary>
internal static class VecType
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Float<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);
}
