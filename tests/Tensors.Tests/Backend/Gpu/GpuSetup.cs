using Notebooks.Tensors.Backend.Gpu;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// The GPU tests run the CUDA backend's kernels on ILGPU's CPU accelerator (no GPU on CI), then put the runtime back so
/// the rest of the suite sees this machine as it is.
/// </summary>
[SetUpFixture]
public class GpuSetup
{
    [OneTimeSetUp]
    public void UseCpuAccelerator() => GpuRuntime.UseCpuAccelerator();

    [OneTimeTearDown]
    public void Restore() => GpuRuntime.UseDefault();
}
