using System.Numerics;

namespace Notebooks.Tensors.Backend.Functions;

/// <summary>What a backend does with an op's element function: run its loop (CPU) or launch its kernel (GPU); true when it did.</summary>
internal interface IUnaryUser<T> { bool Use<F>() where F : struct, IUnaryFn<T>; }
internal interface IBinaryUser<T> { bool Use<F>() where F : struct, IBinaryFn<T>; }
internal interface ICompareUser<T> { bool Use<F>() where F : struct, ICompareFn<T>; }

// An element-wise op is an object declared beside its element function (UnaryFunctions.cs, BinaryFunctions.cs, …): a
// static field of UnaryOp/BinaryOp (the name Ops/ calls it by) and a small sealed class whose generic overrides hand a
// backend the function's struct at the element type the backend asks for, one override per dtype category the op is
// defined on. There is no op code and no table: a backend calls the op's method (the CPU once per (op, element type):
// it caches the kernel it builds, since a generic virtual call costs tens of nanoseconds), and a category the op does
// not override answers false, which the backend turns into PyTorch's "not implemented for" error.

/// <summary>An element-wise op; <see cref="Id"/> numbers the ops for the backends' per-(op, type) caches.</summary>
internal abstract class PointwiseOp
{
    private static int s_count;

    /// <summary>How many ops exist (ids are 0 … Count-1).</summary>
    public static int Count => Volatile.Read(ref s_count);

    public readonly int Id;

    /// <summary>The op's name as its class spells it without "Op" (ToString), and lower-cased in errors ("floordivide_cpu").</summary>
    public readonly string Name;

    protected PointwiseOp()
    {
        Id = Interlocked.Increment(ref s_count) - 1;
        var type = GetType().Name;
        Name = type.EndsWith("Op", StringComparison.Ordinal) ? type[..^2] : type;
    }

    public override string ToString() => Name;

    /// <summary>PyTorch's "not implemented for" wording, for a kernel named after the op and device ("sin_cpu").</summary>
    public Exception NotImplemented(string device, DType dtype) =>
        new NotSupportedException($"\"{Name.ToLowerInvariant()}_{device}\" not implemented for '{dtype.Title}'");
}

/// <summary>An element-wise function of one argument. Float-only ones are only asked for on float dtypes.</summary>
internal abstract partial class UnaryOp : PointwiseOp
{
    /// <summary>float32/float64 (and, through float32, half types).</summary>
    public virtual bool Floating<T, U>(ref U u) where T : IFloatingPointIeee754<T> where U : struct, IUnaryUser<T> => false;

    /// <summary>The form a GPU kernel compiles: the shared one unless ILGPU cannot take it (KernelForms.cs).</summary>
    public virtual bool KernelFloating<T, U>(ref U u) where T : IFloatingPointIeee754<T> where U : struct, IUnaryUser<T> => Floating<T, U>(ref u);

    public virtual bool Integer<T, U>(ref U u) where T : IBinaryInteger<T> where U : struct, IUnaryUser<T> => false;

    /// <summary>Rounding an integer is the identity: the backends copy (floor, ceil, round, trunc).</summary>
    public virtual bool IdentityOnIntegers => false;

    /// <summary>On bool it is logical not (bitwise_not), computed as a comparison with False.</summary>
    public virtual bool LogicalNotOnBool => false;
}

/// <summary>What a CPU kernel checks around an integer function that cannot throw itself (Cpu/Guards.cs).</summary>
internal enum IntegerCheck { None, NonzeroDivisor, NonNegativeExponent }

/// <summary>
/// An element-wise function of two arguments of the same (already promoted) dtype; a comparison (its result bool)
/// overrides <see cref="Compare"/> instead.
/// </summary>
internal abstract partial class BinaryOp : PointwiseOp
{
    /// <summary>True for comparisons and logical ops (result bool): set once, read per op call.</summary>
    public readonly bool IsComparison;

    protected BinaryOp(bool comparison = false) => IsComparison = comparison;

    public virtual bool Floating<T, U>(ref U u) where T : IFloatingPointIeee754<T> where U : struct, IBinaryUser<T> => false;

    public virtual bool Integer<T, U>(ref U u) where T : IBinaryInteger<T> where U : struct, IBinaryUser<T> => false;

    /// <summary>A comparison of numbers of any kind (bool compared as bytes, half types through float32).</summary>
    public virtual bool Compare<T, U>(ref U u) where T : INumber<T> where U : struct, ICompareUser<T> => false;

    /// <summary>Where ATen's CPU integer kernel raises (ZeroDivisionError, negative integer powers).</summary>
    public virtual IntegerCheck IntegerCheck => IntegerCheck.None;

    /// <summary>The logical op this is on bool (PyTorch's bool add is or, mul is and), or null where bool is refused.</summary>
    public virtual BinaryOp? OnBool => null;
}
