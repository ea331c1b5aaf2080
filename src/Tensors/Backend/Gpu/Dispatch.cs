using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>A piece of work generic over a storage element type and its conversions.</summary>
internal interface IElemAction
{
    void Run<T, E>() where T : unmanaged where E : struct, IElem<T>;
}

internal static class Dispatch
{
    /// <summary>
    /// Calls <paramref name="a"/> with the device storage type and conversion struct of <paramref name="dt"/>, through
    /// the one dtype switch both backends use (<see cref="DTypeSwitch"/>): the host element type it gives maps to the
    /// device's (bool is a byte, half types their raw bits).
    /// </summary>
    public static void On(DType dt, IElemAction a)
    {
        var u = new ToDevice(a);
        DTypeSwitch.Visit(dt, ref u);
    }

    private readonly struct ToDevice(IElemAction a) : IDTypeUser
    {
        public void Floating<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>, System.Numerics.IMinMaxValue<T>
        {
            if (typeof(T) == typeof(float)) a.Run<float, EF32>(); else a.Run<double, EF64>();
        }

        public void Integer<T>() where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T>
        {
            if (typeof(T) == typeof(long)) a.Run<long, EI64>();
            else if (typeof(T) == typeof(int)) a.Run<int, EI32>();
            else if (typeof(T) == typeof(short)) a.Run<short, EI16>();
            else if (typeof(T) == typeof(sbyte)) a.Run<sbyte, EI8>();
            else a.Run<byte, EU8>();
        }

        public void Reduced<T>() where T : unmanaged
        {
            if (typeof(T) == typeof(System.Half)) a.Run<ushort, EF16>(); else a.Run<ushort, EBF16>();
        }

        public void Bool() => a.Run<byte, EBool>();
    }
}

/// <summary>Compiled kernels, one per generic instantiation, loaded once per process.</summary>
internal static class KernelCache
{
    private static readonly ConcurrentDictionary<MethodInfo, Delegate> Loaded = new();

    private static Accelerator Acc => GpuRuntime.Accelerator;

    public static void Clear() => Loaded.Clear();

    public static Action<Index1D, A, B> Get<A, B>(Action<Index1D, A, B> k)
        where A : struct where B : struct =>
        (Action<Index1D, A, B>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<Index1D, A, B, C> Get<A, B, C>(Action<Index1D, A, B, C> k)
        where A : struct where B : struct where C : struct =>
        (Action<Index1D, A, B, C>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<Index1D, A, B, C, D> Get<A, B, C, D>(Action<Index1D, A, B, C, D> k)
        where A : struct where B : struct where C : struct where D : struct =>
        (Action<Index1D, A, B, C, D>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<Index1D, A, B, C, D, E> Get<A, B, C, D, E>(Action<Index1D, A, B, C, D, E> k)
        where A : struct where B : struct where C : struct where D : struct where E : struct =>
        (Action<Index1D, A, B, C, D, E>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<Index1D, A, B, C, D, E, F> Get<A, B, C, D, E, F>(Action<Index1D, A, B, C, D, E, F> k)
        where A : struct where B : struct where C : struct where D : struct where E : struct where F : struct =>
        (Action<Index1D, A, B, C, D, E, F>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<Index1D, A, B, C, D, E, F, G> Get<A, B, C, D, E, F, G>(Action<Index1D, A, B, C, D, E, F, G> k)
        where A : struct where B : struct where C : struct where D : struct where E : struct where F : struct where G : struct =>
        (Action<Index1D, A, B, C, D, E, F, G>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<Index1D, A, B, C, D, E, F, G, H> Get<A, B, C, D, E, F, G, H>(Action<Index1D, A, B, C, D, E, F, G, H> k)
        where A : struct where B : struct where C : struct where D : struct where E : struct where F : struct where G : struct where H : struct =>
        (Action<Index1D, A, B, C, D, E, F, G, H>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<Index1D, A, B, C, D, E, F, G, H, I> Get<A, B, C, D, E, F, G, H, I>(Action<Index1D, A, B, C, D, E, F, G, H, I> k)
        where A : struct where B : struct where C : struct where D : struct where E : struct where F : struct where G : struct where H : struct where I : struct =>
        (Action<Index1D, A, B, C, D, E, F, G, H, I>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<Index1D, A, B, C, D, E, F, G, H, I, J> Get<A, B, C, D, E, F, G, H, I, J>(Action<Index1D, A, B, C, D, E, F, G, H, I, J> k)
        where A : struct where B : struct where C : struct where D : struct where E : struct where F : struct where G : struct where H : struct where I : struct where J : struct =>
        (Action<Index1D, A, B, C, D, E, F, G, H, I, J>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadAutoGroupedStreamKernel(k));

    public static Action<KernelConfig, A, B, C, D> GetGrouped<A, B, C, D>(Action<A, B, C, D> k)
        where A : struct where B : struct where C : struct where D : struct =>
        (Action<KernelConfig, A, B, C, D>)Loaded.GetOrAdd(k.Method, _ => Acc.LoadStreamKernel(k));
}
