using System.Runtime.CompilerServices;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors.Backend.Cpu;

internal delegate void UnaryKernel(in StridedBuffer src, in StridedBuffer dst);
internal delegate void BinaryKernel(in StridedBuffer a, in StridedBuffer b, in StridedBuffer dst);

/// <summary>
/// The CPU's kernel for each (op, element type), built on first use from the op's element function and kept: asking
/// the op object (a generic virtual call, tens of nanoseconds) once per pair, not once per call, keeps a 1-element
/// <c>a + b</c> as fast as the switch over op codes it replaced. An op undefined on the type caches a kernel that
/// throws PyTorch's "not implemented for" error.
/// </summary>
internal static class OpKernels<T, K> where K : class
{
    private static K?[] s_kernels = [];
    private static readonly Lock s_lock = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static K? Get(PointwiseOp op)
    {
        var a = s_kernels;
        return (uint)op.Id < (uint)a.Length ? a[op.Id] : null;
    }

    public static K Set(PointwiseOp op, K kernel)
    {
        lock (s_lock)
        {
            var a = s_kernels;
            if (a.Length <= op.Id) Array.Resize(ref a, Math.Max(PointwiseOp.Count, op.Id + 1));
            a[op.Id] = kernel;
            Volatile.Write(ref s_kernels, a);
        }
        return kernel;
    }
}
