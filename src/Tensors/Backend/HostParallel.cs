using Notebooks.Tensors.Backend.Cpu;

namespace Notebooks.Tensors.Backend;

/// <summary>
/// The CPU backend's worker team (<see cref="WorkerTeam"/>) for host code outside <c>Backend/</c> (the fused LSTM
/// layer): the one door to it, as <see cref="HostGemm"/> is to the GEMM's panels.
/// </summary>
internal static class HostParallel
{
    /// <summary>The threads the CPU kernels use (<c>torch.get_num_threads()</c>).</summary>
    public static int Threads => WorkerTeam.Threads;

    /// <summary>Runs body(from, to) over [0, count) cut into <paramref name="parts"/> contiguous ranges, in parallel.</summary>
    public static void ForRanges(long count, int parts, Action<long, long> body) => WorkerTeam.ForRanges(count, parts, body);
}
