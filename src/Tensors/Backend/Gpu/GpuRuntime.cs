using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// The process-wide ILGPU context and the accelerator behind <c>cuda:0</c>. Created lazily on first use so that a
/// machine without a driver pays nothing; when no CUDA device can be opened, <see cref="UnavailableReason"/> says why.
/// </summary>
internal static class GpuRuntime
{
    /// <summary>Set to <c>cpu-accelerator</c> to run the CUDA backend's kernels on ILGPU's CPU accelerator (tests, CI).</summary>
    public const string ModeVariable = "NOTEBOOKS_GPU";

    private static readonly object Gate = new();
    private static bool _forceCpu = string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "cpu-accelerator", StringComparison.OrdinalIgnoreCase);
    private static bool _initialised;
    private static Context? _context;
    private static Context? _cpuContext;
    private static Accelerator? _accelerator;
    private static string? _unavailable;

    /// <summary>
    /// Test switch: from now on <c>cuda</c> means ILGPU's CPU accelerator, so CI (no GPU) runs the very kernels a GPU
    /// would. Must be called before the first CUDA tensor exists; calling it again is harmless.
    /// </summary>
    internal static void UseCpuAccelerator()
    {
        lock (Gate)
        {
            if (_forceCpu && _initialised) return;
            if (_initialised && _accelerator is CudaAccelerator)
                throw new InvalidOperationException("the CUDA runtime is already running on a real GPU; UseCpuAccelerator must come first");
            _forceCpu = true;
            _initialised = false;
            _unavailable = null;
        }
    }

    /// <summary>Undoes <see cref="UseCpuAccelerator"/>: the next use probes for a real GPU again.</summary>
    internal static void UseDefault()
    {
        lock (Gate)
        {
            if (_initialised && _accelerator is not null) GpuAllocator.EmptyCache();
            KernelCache.Clear();
            _forceCpu = false;
            _initialised = false;
            _accelerator = null;
            _unavailable = null;
        }
    }

    public static bool IsCpuAccelerator { get { Init(); return _accelerator is CPUAccelerator; } }

    public static bool IsAvailable { get { Init(); return _accelerator is not null; } }

    public static string? UnavailableReason { get { Init(); return _unavailable; } }

    public static int DeviceCount { get { Init(); return _accelerator is null ? 0 : 1; } }

    public static Accelerator Accelerator
    {
        get
        {
            Init();
            return _accelerator ?? throw new InvalidOperationException(_unavailable);
        }
    }

    public static string DeviceName => IsCpuAccelerator ? "ILGPU CPU accelerator (test)" : Accelerator.Name;

    /// <summary>Checks a device index against the one device this backend drives.</summary>
    public static void CheckIndex(int? index)
    {
        var acc = Accelerator;
        if (index is { } i && i != 0)
            throw new InvalidOperationException($"CUDA error: invalid device ordinal (device {i} requested, {DeviceCount} available: {acc.Name})");
    }

    private static void Init()
    {
        if (_initialised) return;
        lock (Gate)
        {
            if (_initialised) return;
            try
            {
                if (_forceCpu)
                {
                    _cpuContext ??= Context.Create(b => b.CPU().EnableAlgorithms());
                    _accelerator = _cpuContext.CreateCPUAccelerator(0);
                }
                else OpenCuda();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException or InvalidOperationException or TypeInitializationException or CudaException)
            {
                _accelerator = null;
                _unavailable = $"Torch not compiled with CUDA enabled: no usable CUDA device ({Describe(e)})";
            }
            _initialised = true;
        }
    }

    private static void OpenCuda()
    {
        LibCudaResolver.Register();
        if (!LibCudaResolver.DriverPresent(out var why))
        {
            _unavailable = $"Found no NVIDIA driver on your system: {why}. ILGPU's CudaAccelerator needs the CUDA driver library (libcuda.so.1 on Linux, nvcuda.dll on Windows).";
            return;
        }
        _context = Context.Create(b => b.Cuda().EnableAlgorithms());
        var devices = _context.GetCudaDevices();
        if (devices.Count == 0)
        {
            _unavailable = "Found no NVIDIA GPU: the CUDA driver loaded but reported no devices.";
            return;
        }
        _accelerator = devices[0].CreateAccelerator(_context);
    }

    private static string Describe(Exception e) => e is TypeInitializationException { InnerException: { } inner } ? Describe(inner) : $"{e.GetType().Name}: {e.Message}";

    public static void Synchronize()
    {
        if (_accelerator is { } a) a.Synchronize();
    }
}

/// <summary>
/// ILGPU binds the driver API under the name <c>nvcuda</c> (probed on Linux as <c>libcuda.so</c>), which only exists
/// where the CUDA toolkit's dev symlink was installed. Driver-only machines ship <c>libcuda.so.1</c>; map to it.
/// </summary>
internal static class LibCudaResolver
{
    private static bool _registered;
    private static readonly string[] Candidates = OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so", "/usr/lib/wsl/lib/libcuda.so.1"];

    public static void Register()
    {
        if (_registered) return;
        _registered = true;
        var ilgpu = typeof(Context).Assembly;
        // ILGPU may install its own resolver (only one is allowed per assembly); the load-context event is the fallback
        // that runs after every other probe failed, so registering both is safe.
        try { NativeLibrary.SetDllImportResolver(ilgpu, Resolve); }
        catch (InvalidOperationException) { }
        System.Runtime.Loader.AssemblyLoadContext.Default.ResolvingUnmanagedDll += (asm, name) => asm == ilgpu ? Resolve(name, asm, null) : IntPtr.Zero;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name is not ("nvcuda" or "cuda" or "libcuda" or "libcuda.so")) return IntPtr.Zero;
        foreach (var c in Candidates)
            if (NativeLibrary.TryLoad(c, out var h)) return h;
        return IntPtr.Zero;
    }

    public static bool DriverPresent(out string why)
    {
        foreach (var c in Candidates)
            if (NativeLibrary.TryLoad(c, out var h)) { NativeLibrary.Free(h); why = ""; return true; }
        why = $"could not load any of {string.Join(", ", Candidates)}";
        return false;
    }
}
