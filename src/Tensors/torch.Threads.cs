using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors;

public static partial class torch
{
    /// <summary><c>torch.get_num_threads</c>: the threads the CPU kernels use (by default every processor the
    /// runtime sees, which <c>DOTNET_PROCESSOR_COUNT</c> sets).</summary>
    public static int get_num_threads() => WorkerTeam.Threads;

    /// <summary><c>torch.set_num_threads</c>: how many threads the CPU kernels use from now on (intra-op parallelism).</summary>
    public static void set_num_threads(int threads) => WorkerTeam.SetThreads(threads);
}
