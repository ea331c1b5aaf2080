using System.Runtime.CompilerServices;
using Notebooks.Tensors.Backend.Gpu;

namespace Notebooks.Tensors.Tests.Gpu;

public class CudaDeviceTests
{
    [Test]
    public void CudaModuleReportsTheTestAccelerator()
    {
        Assert.That(torch.cuda.is_available(), Is.True);
        Assert.That(torch.cuda.device_count(), Is.EqualTo(1));
        Assert.That(torch.cuda.current_device(), Is.EqualTo(0));
        Assert.That(torch.cuda.get_device_name(), Is.EqualTo("ILGPU CPU accelerator (test)"));
        torch.cuda.synchronize();
    }

    [Test]
    public void MovingBetweenDevices()
    {
        var x = torch.tensor(new[] { 1.5f, -2f, 3f });
        var g = x.cuda();
        Assert.That(g.device, Is.EqualTo(torch.device("cuda:0")));
        Assert.That(g.is_cuda, Is.True);
        Assert.That(x.to("cuda").device.ToString(), Is.EqualTo("cuda:0"));
        Assert.That(ReferenceEquals(g.to("cuda"), g), Is.True);
        var back = g.to(torch.device("cpu"), torch.float64);
        Assert.That(back.dtype, Is.EqualTo(torch.float64));
        Assert.That(back.ToArray<double>(), Is.EqualTo(new[] { 1.5, -2, 3 }));
        Assert.That(g.cpu().device.ToString(), Is.EqualTo("cpu"));
        Assert.That(g.mul(2).ToArray<float>(), Is.EqualTo(new[] { 3f, -4f, 6f }));
        Assert.That(g.sum().item<float>(), Is.EqualTo(2.5f));
    }

    [Test]
    public void PrintsWithDeviceSuffix()
    {
        var g = torch.tensor(new[] { 1.0f, 2.5f }).cuda();
        Assert.That(g.ToString(), Is.EqualTo("tensor([1.0000, 2.5000], device='cuda:0')"));
        var r = torch.ones([2], device: torch.device("cuda"), requires_grad: true);
        Assert.That(r.mul(2).ToString(), Is.EqualTo("tensor([2., 2.], device='cuda:0', grad_fn=<MulBackward0>)"));
    }

    [Test]
    public void MixingDevicesThrowsPyTorchsMessage()
    {
        var a = torch.ones(3).cuda();
        var b = torch.ones(3);
        var e = Assert.Throws<InvalidOperationException>(() => a.add(b));
        Assert.That(e!.Message, Is.EqualTo("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"));
        // A CPU 0-dim tensor may join an op on another device, as in PyTorch.
        Assert.That(a.add(torch.tensor(2.0f)).device.ToString(), Is.EqualTo("cuda:0"));
    }

    [Test]
    public void OtherDeviceIndexIsRejected()
    {
        Assert.Throws<InvalidOperationException>(() => torch.ones(2).to("cuda:1"));
    }

    [Test]
    public void AutogradFlowsBackAcrossTo()
    {
        var x = torch.tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);
        var y = x.cuda().square().sum();
        y.backward();
        Assert.That(x.grad!.device.ToString(), Is.EqualTo("cpu"));
        Assert.That(x.grad!.ToArray<double>(), Is.EqualTo(new[] { 2.0, 4.0, 6.0 }));
    }

    [Test]
    public void CachingAllocatorReusesBlocksAndCounts()
    {
        // Dead storages return their blocks from finalizers; none may be pending while the counts are read.
        for (int i = 0; i < 2; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        torch.cuda.empty_cache();
        var before = torch.cuda.memory_allocated();
        var t = torch.empty([1000], device: torch.device("cuda"));
        Assert.That(torch.cuda.memory_allocated() - before, Is.EqualTo(4096));
        Assert.That(torch.cuda.max_memory_allocated(), Is.GreaterThanOrEqualTo(torch.cuda.memory_allocated()));
        Assert.That(torch.cuda.memory_reserved(), Is.GreaterThanOrEqualTo(torch.cuda.memory_allocated()));
        GC.KeepAlive(t);

        var block = GpuAllocator.Rent(3000);
        GpuAllocator.Return(block);
        var again = GpuAllocator.Rent(2600);
        Assert.That(ReferenceEquals(block, again), Is.True, "same rounded size comes back from the free list");
        GpuAllocator.Return(again);
        var reserved = torch.cuda.memory_reserved();
        torch.cuda.empty_cache();
        Assert.That(torch.cuda.memory_reserved(), Is.LessThan(reserved));
    }

    [Test]
    public void FreedStoragesReturnToTheCache()
    {
        // Every tensor of a loop is held until the loop ends, so how many blocks it needs at once doesn't depend on
        // when the GC happens to run (a collection in the middle of one loop but not the other made this flaky).
        [MethodImpl(MethodImplOptions.NoInlining)]
        static void HoldThenDrop()
        {
            var held = new List<Tensor>();
            for (int i = 0; i < 20; i++)
            {
                var ones = torch.ones([256], device: torch.device("cuda"));
                held.Add(ones);
                held.Add(ones.mul(2));
            }
            GC.KeepAlive(held);
        }
        static void CollectDeadStorages() { for (int i = 0; i < 2; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); } }

        CollectDeadStorages();
        torch.cuda.empty_cache();
        var empty = torch.cuda.memory_reserved();
        HoldThenDrop();
        CollectDeadStorages();
        var reserved = torch.cuda.memory_reserved();
        Assert.That(reserved - empty, Is.EqualTo(40 * 1024), "the first loop asks the driver for 40 blocks of 1 KiB");
        HoldThenDrop();
        CollectDeadStorages();
        Assert.That(torch.cuda.memory_reserved(), Is.EqualTo(reserved), "the second loop is served from the cache");
    }

    [Test]
    public void Assigning_a_cuda_tensor_to_a_parameter_names_its_cuda_type()
    {
        var layer = new torch.nn.Linear(3, 2);
        layer.to("cuda");
        var e = Assert.Throws<InvalidCastException>(() => layer.weight = torch.zeros(2, 3).cuda())!;
        Assert.That(e.Message, Is.EqualTo("cannot assign 'torch.cuda.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)"));
    }
}
