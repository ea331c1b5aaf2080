using System.Numerics;
using ILGPU.Algorithms;

namespace Notebooks.Tensors.Backend.Functions;

// The few element functions whose shared form ILGPU 1.5 cannot compile for a CUDA kernel: the op object hands the GPU
// these instead (its KernelFloating override). BackendCoverageTests checks each against the CPU's form for every dtype.

/// <summary>
/// log2: ILGPU maps MathF.Log2/Math.Log2 to no device function (PTX gets an undefined external call), so a kernel
/// takes ILGPU's XMath.Log2, which may differ from .NET's in the last place.
/// </summary>
internal struct KernelLog2Fn<T> : IUnaryFn<T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => Real.FromDouble<T>(XMath.Log2(Real.ToDouble(x)));
}
