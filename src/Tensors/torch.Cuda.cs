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

        // ---- random state: one Philox generator per device (this build drives cuda:0 only) ----

        /// <summary><c>torch.cuda.default_generators</c>.</summary>
        public static IReadOnlyList<Generator> default_generators => [Generator.CudaDefault];

        /// <summary>Seeds the current device's generator (not the CPU's); lazy, so it works without a GPU, as in PyTorch.</summary>
        public static void manual_seed(long seed) => Generator.CudaDefault.manual_seed(seed);

        public static void manual_seed_all(long seed) => Generator.CudaDefault.manual_seed(seed);

        /// <summary>Seeds the current device's generator from a non-deterministic source.</summary>
        public static void seed() => Generator.CudaDefault.seed();

        public static void seed_all() => Generator.CudaDefault.seed();

        public static long initial_seed()
        {
            GpuRuntime.CheckIndex(0);
            return Generator.CudaDefault.initial_seed();
        }

        /// <summary>The generator state as a CPU uint8 tensor of 16 bytes: seed (uint64), then Philox offset (int64).</summary>
        public static Tensor get_rng_state(int device = 0)
        {
            GpuRuntime.CheckIndex(device);
            return torch.tensor((Array)Generator.CudaDefault.get_state(), DType.UInt8);
        }

        public static void set_rng_state(Tensor new_state, int device = 0)
        {
            ArgumentNullException.ThrowIfNull(new_state);
            GpuRuntime.CheckIndex(device);
            // PyTorch's check_rng_state: a CPU byte tensor.
            if (new_state.dtype != DType.UInt8 || !new_state.is_cpu)
                throw new ArgumentException("RNG state must be a torch.ByteTensor");
            Generator.CudaDefault.set_state(new_state.contiguous().ToArray<byte>());
        }

        public static Tensor[] get_rng_state_all() => [get_rng_state(0)];

        public static void set_rng_state_all(IEnumerable<Tensor> new_states)
        {
            ArgumentNullException.ThrowIfNull(new_states);
            int i = 0;
            foreach (var s in new_states) set_rng_state(s, i++);
        }

        private static long IfOpen(long v) => GpuRuntime.IsAvailable ? v : 0;
    }
}
