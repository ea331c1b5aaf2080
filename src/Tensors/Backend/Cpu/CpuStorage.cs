using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>
/// CPU storage over a managed array. The array may be any rank (a user's <c>double[,]</c> given to
/// <c>torch.from_array</c> is shared, not copied), so spans are made from the array's data reference.
/// </summary>
internal sealed class CpuStorage : Storage
{
    public Array Array { get; }

    public CpuStorage(DType dtype, Array array) : base(dtype, Device.CPU, array.LongLength)
    {
        if (array.GetType().GetElementType() != dtype.ClrType)
            throw new ArgumentException($"array of {array.GetType().GetElementType()} cannot back a {dtype} storage");
        Array = array;
    }

    public static CpuStorage Allocate(DType dtype, long count)
    {
        if (count > Array.MaxLength) throw new OutOfMemoryException($"a CPU tensor of {count} elements exceeds the largest .NET array");
        // A typed `new` (not Array.CreateInstance, not the element-type check) keeps a small tensor's allocation cheap.
        Array array = dtype.Kind switch
        {
            ScalarType.Float32 => new float[count],
            ScalarType.Float64 => new double[count],
            ScalarType.Int64 => new long[count],
            ScalarType.Int32 => new int[count],
            ScalarType.Bool => new bool[count],
            _ => System.Array.CreateInstance(dtype.ClrType, count),
        };
        return new CpuStorage(dtype, array, trusted: true);
    }

    /// <summary>
    /// Storage a kernel is about to overwrite completely: large float/int arrays skip the GC's zeroing (smaller ones
    /// come zeroed from the allocation context either way).
    /// </summary>
    public static CpuStorage AllocateForWrite(DType dtype, long count)
    {
        if (count > Array.MaxLength) return Allocate(dtype, count);
        Array array = dtype.Kind switch
        {
            ScalarType.Float32 => GC.AllocateUninitializedArray<float>((int)count),
            ScalarType.Float64 => GC.AllocateUninitializedArray<double>((int)count),
            ScalarType.Int64 => GC.AllocateUninitializedArray<long>((int)count),
            ScalarType.Int32 => GC.AllocateUninitializedArray<int>((int)count),
            _ => null!,
        };
        return array is null ? Allocate(dtype, count) : new CpuStorage(dtype, array, trusted: true);
    }

    private CpuStorage(DType dtype, Array array, bool trusted) : base(dtype, Device.CPU, array.LongLength) => Array = array;

    public static CpuStorage Allocate<T>(long count) where T : unmanaged => new(DType.Of<T>(), new T[count]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Span<T>() where T : unmanaged =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(Array)), (int)Count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Ref<T>() where T : unmanaged => ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(Array));

    public Span<byte> Bytes => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(Array), (int)(Count * dtype.itemsize));
}
