using Notebooks.Tensors.Backend.Gpu;

namespace Notebooks.Tensors;

public static partial class torch
{
    /// <summary>
    /// <c>torch.cuda</c>: the one NVIDIA GPU this build drives through ILGPU (device <c>cuda:0</c>), and its caching
    /// allocator's counters.
    /// </summary>
    public static class cuda
    {
        /// <summary>True when a CUDA device (or, in tests, ILGPU's CPU accelerator) can be used.</summary>
        public static bool is_available() => GpuRuntime.IsAvailable;

        public static int device_count() => GpuRuntime.DeviceCount;

        public static string get_device_name(int device = 0)
        {
            GpuRuntime.CheckIndex(device);
            return GpuRuntime.DeviceName;
        }

        public static string get_device_name(Device device) => get_device_name(device.index ?? 0);

        public static int current_device()
        {
            GpuRuntime.CheckIndex(0);
            return 0;
        }

        public static void set_device(int device) => GpuRuntime.CheckIndex(device);

        /// <summary>Waits for all queued kernels to finish (timing code needs this, as in PyTorch).</summary>
        public static void synchronize(int? device = null)
        {
            GpuRuntime.CheckIndex(device);
            GpuRuntime.Synchronize();
        }

        /// <summary>Bytes held by live tensors (rounded to the allocator's block sizes).</summary>
        public static long memory_allocated(int? device = null) => IfOpen(GpuAllocator.Allocated);

        public static long max_memory_allocated(int? device = null) => IfOpen(GpuAllocator.MaxAllocated);

        /// <summary>Bytes the caching allocator holds from the driver: live blocks plus cached free ones.</summary>
        public static long memory_reserved(int? device = null) => IfOpen(GpuAllocator.Reserved);

        public static void reset_peak_memory_stats(int? device = null) => GpuAllocator.ResetPeak();

        /// <summary>Returns cached, unused blocks to the driver (live tensors keep theirs).</summary>
        public static void empty_cache()
        {
            if (GpuRuntime.IsAvailable) GpuAllocator.EmptyCache();
        }

        public static void manual_seed(long seed) => torch.manual_seed(seed);
        public static void manual_seed_all(long seed) => torch.manual_seed(seed);

        private static long IfOpen(long v) => GpuRuntime.IsAvailable ? v : 0;
    }
}
