using System.Numerics;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors.Backend.Cpu;

// The CPU raises where PyTorch's CPU kernels raise; the shared element functions cannot throw (they also run as GPU
// kernels, where CUDA PyTorch gives 0 instead), so the CPU wraps them with the check.

/// <summary>Integer division by zero: ATen's CPU div/floor_divide/remainder/fmod kernels raise "ZeroDivisionError".</summary>
internal struct NonzeroDivisor<T, F> : IBinaryFn<T> where T : IBinaryInteger<T> where F : IBinaryFn<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsZero(b)) throw new DivideByZeroException("ZeroDivisionError");
        return F.Apply(a, b);
    }
}

/// <summary>An integer raised to a negative power other than of ±1 (pow's "Integers to negative integer powers are not allowed.").</summary>
internal struct NonNegativeExponent<T, F> : IBinaryFn<T> where T : IBinaryInteger<T> where F : IBinaryFn<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsNegative(b) && a != T.One && !Integers.IsMinusOne(a))
            throw new ArgumentException("Integers to negative integer powers are not allowed.");
        return F.Apply(a, b);
    }
}
