namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// In-place arithmetic on a CUDA tensor writes into its memory with the op's own kernel, as PyTorch's add_ does
/// (out=self): no result tensor and no copy back, so an optimizer step asks the allocator for nothing.
/// </summary>
public class CudaInPlaceTests
{
    private static void SettleFinalizers()
    {
        // Dead storages return their blocks from finalizers; none may be pending while the allocator is read.
        for (int i = 0; i < 2; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
    }

    [Test]
    public void UpdatesAllocateNothingAndMatchTheCpu()
    {
        torch.manual_seed(3);
        var w = torch.randn(1000);
        var g = torch.randn(1000);
        var expected = w.clone();
        var wc = w.cuda();
        var gc = g.cuda();
        SettleFinalizers();
        static void Step(Tensor w, Tensor g)
        {
            using var _ = torch.no_grad();
            w.sub_(g, alpha: 0.1);
            w.mul_(0.9);
            w.add_(g);
            w.div_(g);
            w.add_(0.5, alpha: 2);
        }
        var before = torch.cuda.memory_allocated();
        Step(wc, gc);
        Assert.That(torch.cuda.memory_allocated(), Is.EqualTo(before), "written in place: no block rented");
        Step(expected, g);
        Assert.That(torch.equal(wc.cpu(), expected), Is.True, "the same kernels and roundings as the out-of-place ops");
        GC.KeepAlive(gc);
    }

    [Test]
    public void CompoundAssignmentUnderNoGradIsTheSameTensor()
    {
        var w = torch.ones([4], device: torch.device("cuda"), requires_grad: true);
        w.sum().mul(3).backward();
        var same = w;
        using (torch.no_grad()) { w -= 0.5 * w.grad!; }
        Assert.That(ReferenceEquals(w, same), Is.True);
        Assert.That(w.detach().cpu().ToString(), Is.EqualTo("tensor([-0.5000, -0.5000, -0.5000, -0.5000])"));
        Assert.That(w._version.Value, Is.EqualTo(1));
    }

    [Test]
    public void PartialOverlapStillRaisesPyTorchsError()
    {
        var x = torch.arange(6.0).cuda();
        var e = Assert.Throws<InvalidOperationException>(() => x[torch.slice(1, null)].add_(x[torch.slice(null, -1)]))!;
        Assert.That(e.Message, Does.StartWith("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location."));
        x.add_(x);
        Assert.That(x.cpu().ToString(), Is.EqualTo("tensor([ 0.,  2.,  4.,  6.,  8., 10.])"));
    }
}
