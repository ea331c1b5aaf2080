using Notebooks.Tensors.Backend.Gpu;

namespace Notebooks.Tensors.Tests.GpuNoDriver;

/// <summary>Outside the Gpu namespace's fixture: the machine as it is (CI has no NVIDIA driver).</summary>
public class NoDriverTests
{
    [Test]
    public void WithoutADriverCudaIsUnavailableAndSaysWhy()
    {
        GpuRuntime.UseDefault();
        if (LibCudaResolver.DriverPresent(out _)) Assert.Ignore("this machine has an NVIDIA driver");
        Assert.That(torch.cuda.is_available(), Is.False);
        Assert.That(torch.cuda.device_count(), Is.EqualTo(0));
        Assert.That(torch.cuda.memory_allocated(), Is.EqualTo(0));
        var e = Assert.Throws<InvalidOperationException>(() => torch.ones(2).cuda());
        Assert.That(e!.Message, Does.Contain("libcuda.so.1"));
        Assert.Throws<InvalidOperationException>(() => torch.zeros([2], device: torch.device("cuda")));
    }

    [Test]
    public void CudaSeedingIsLazyAsInPyTorch()
    {
        GpuRuntime.UseDefault();
        if (LibCudaResolver.DriverPresent(out _)) Assert.Ignore("this machine has an NVIDIA driver");
        // torch.manual_seed and torch.cuda.manual_seed queue the CUDA seed without touching a device.
        Assert.DoesNotThrow(() => { torch.manual_seed(5); torch.cuda.manual_seed(5); torch.cuda.manual_seed_all(5); });
        var g = new Generator(device: "cuda").manual_seed(9);
        Assert.That(g.initial_seed(), Is.EqualTo(9));
        // Reading the state initialises CUDA, which fails here with the driver message.
        var e = Assert.Throws<InvalidOperationException>(() => torch.cuda.get_rng_state());
        Assert.That(e!.Message, Does.Contain("libcuda.so.1"));
    }
}
