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
        // Large Object Heap sizes come from the pool (LargeArrayPool: why); a typed `new` (not Array.CreateInstance,
        // not the element-type check) keeps a small tensor's allocation cheap.
        return dtype.Kind switch
        {
            ScalarType.Float32 => LargeArrayPool.Covers<float>(count) ? Pooled<float>(dtype, count, zero: true) : new(dtype, new float[count], trusted: true),
            ScalarType.Float64 => LargeArrayPool.Covers<double>(count) ? Pooled<double>(dtype, count, zero: true) : new(dtype, new double[count], trusted: true),
            ScalarType.Int64 => LargeArrayPool.Covers<long>(count) ? Pooled<long>(dtype, count, zero: true) : new(dtype, new long[count], trusted: true),
            ScalarType.Int32 => LargeArrayPool.Covers<int>(count) ? Pooled<int>(dtype, count, zero: true) : new(dtype, new int[count], trusted: true),
            ScalarType.Bool => LargeArrayPool.Covers<bool>(count) ? Pooled<bool>(dtype, count, zero: true) : new(dtype, new bool[count], trusted: true),
            _ => new(dtype, System.Array.CreateInstance(dtype.ClrType, count), trusted: true),
        };
    }

    /// <summary>
    /// Storage a kernel is about to overwrite completely: its memory is not zeroed (a pooled array keeps its old
    /// contents; a fresh large one skips the GC's zeroing; smaller ones come zeroed from the allocation context either way).
    /// </summary>
    public static CpuStorage AllocateForWrite(DType dtype, long count)
    {
        if (count > Array.MaxLength) return Allocate(dtype, count);
        return dtype.Kind switch
        {
            ScalarType.Float32 => LargeArrayPool.Covers<float>(count) ? Pooled<float>(dtype, count, zero: false) : new(dtype, GC.AllocateUninitializedArray<float>((int)count), trusted: true),
            ScalarType.Float64 => LargeArrayPool.Covers<double>(count) ? Pooled<double>(dtype, count, zero: false) : new(dtype, GC.AllocateUninitializedArray<double>((int)count), trusted: true),
            ScalarType.Int64 => LargeArrayPool.Covers<long>(count) ? Pooled<long>(dtype, count, zero: false) : new(dtype, GC.AllocateUninitializedArray<long>((int)count), trusted: true),
            ScalarType.Int32 => LargeArrayPool.Covers<int>(count) ? Pooled<int>(dtype, count, zero: false) : new(dtype, GC.AllocateUninitializedArray<int>((int)count), trusted: true),
            _ => Allocate(dtype, count),
        };
    }

    private static CpuStorage Pooled<T>(DType dtype, long count, bool zero) where T : unmanaged
    {
        var array = LargeArrayPool.Rent<T>((int)count, zero);
        var storage = new CpuStorage(dtype, array, trusted: true);
        LargeArrayPool.Track(storage, array);
        return storage;
    }

    /// <summary>
    /// The array, for code that hands it outside the library (numpy()'s shared memory, AsSpan()): from now on the
    /// pool never lends it again, whatever happens to this storage.
    /// </summary>
    public Array Share()
    {
        LargeArrayPool.Escape(Array);
        return Array;
    }

    private CpuStorage(DType dtype, Array array, bool trusted) : base(dtype, Device.CPU, array.LongLength) => Array = array;

    public static CpuStorage Allocate<T>(long count) where T : unmanaged => Allocate(DType.Of<T>(), count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Span<T>() where T : unmanaged =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(Array)), (int)Count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Ref<T>() where T : unmanaged => ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(Array));

    public Span<byte> Bytes => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(Array), (int)(Count * dtype.itemsize));
}
