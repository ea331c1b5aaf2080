namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>Indexing CUDA tensors: runs on the device (no host mirrors) and raises PyTorch's bounds errors.</summary>
public class CudaIndexingTests
{
    private static readonly Device Cuda = torch.device("cuda");

    private static Tensor X(Device d) => torch.arange(0, 12, 1, device: d).to(torch.float32).reshape(3, 4);

    private static Tensor L(Device d, params long[] v) => torch.tensor(v).to(d);

    [Test]
    public void IndexOpsOnCudaTensorsNeverMirrorToTheHost()
    {
        var before = IndexMoves.HostMirrorMoves;
        var x = X(Cuda).requires_grad_();
        var i = L(Cuda, 2, 0, 2);
        var y = x[i].sum().add(x.gather(1, torch.tensor(new long[,] { { 1 }, { 0 }, { 3 } }).to(Cuda)).sum())
            .add(x.index_select(1, i).sum()).add(x[x.detach().gt(5)].sum()).add(x.take(L(Cuda, -1, 3)).sum())
            .add(x.masked_select(x.detach().lt(3)).sum());
        y.backward();
        var z = torch.zeros([3, 4], device: Cuda);
        z[i] = torch.ones([3, 4], device: Cuda);
        z.index_put_([i], torch.ones([4], device: Cuda), accumulate: true);
        z[z.gt(1)] = -1;
        _ = z.scatter_add(0, L(Cuda, 1, 1).reshape(1, 2), torch.ones([1, 2], device: Cuda)).nonzero();
        Assert.That(IndexMoves.HostMirrorMoves, Is.EqualTo(before));
        Assert.That(x.grad!.cpu().ToArray<float>(), Is.EqualTo(new float[] { 3, 3, 4, 2, 2, 0, 3, 1, 4, 3, 5, 5 }));
        Assert.That(z.cpu().ToArray<float>(), Is.EqualTo(new float[] { -1, -1, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1 }));
    }

    [Test]
    public void AccumulateSumsDuplicatesOnTheDevice()
    {
        var z = torch.zeros([4], torch.int16, Cuda);
        z.index_put_([L(Cuda, 1, 1, 1, 3, 1)], torch.tensor(new long[] { 1, 2, 3, 4, 5 }).to(torch.int16).to(Cuda), accumulate: true);
        Assert.That(z.cpu().ToArray<short>(), Is.EqualTo(new short[] { 0, 11, 0, 4 }));
        var h = torch.zeros([3], torch.float16, Cuda).index_put([L(Cuda, 2, 2, 0)], torch.tensor(new[] { 0.5f, 0.25f, 1f }).half().to(Cuda), accumulate: true);
        Assert.That(h.cpu().to(torch.float32).ToArray<float>(), Is.EqualTo(new[] { 1f, 0f, 0.75f }));
        // Neighbouring bytes of one 32-bit word are updated independently.
        var b = torch.zeros([8], torch.uint8, Cuda).index_put([L(Cuda, 0, 1, 2, 3, 1, 2, 3, 2, 3, 3)], torch.ones([10], torch.uint8, Cuda), accumulate: true);
        Assert.That(b.cpu().ToArray<byte>(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 0, 0, 0, 0 }));
    }

    [Test]
    public void ContendedAccumulationLosesNothing()
    {
        // Many threads hitting few slots: every atomic (and every CAS retry on shared 32-bit words) must land.
        const int n = 100_000;
        var bins = torch.arange(0, n, 1, device: Cuda).remainder(7);
        var f = torch.zeros([7], device: Cuda).scatter_add(0, bins, torch.ones([n], device: Cuda));
        var expected = Enumerable.Range(0, 7).Select(b => (float)Enumerable.Range(0, n).Count(i => i % 7 == b)).ToArray();
        Assert.That(f.cpu().ToArray<float>(), Is.EqualTo(expected));
        var bytes = torch.zeros([4], torch.uint8, Cuda).index_put([bins.remainder(4)], torch.ones([n], torch.uint8, Cuda), accumulate: true);
        var want = Enumerable.Range(0, 4).Select(b => (byte)(Enumerable.Range(0, n).Count(i => i % 7 % 4 == b) % 256)).ToArray();
        Assert.That(bytes.cpu().ToArray<byte>(), Is.EqualTo(want), "uint8 sums wrap modulo 256 as on the CPU");
        var shorts = torch.zeros([3], torch.int16, Cuda).index_put([bins.remainder(3)], torch.ones([n], torch.int16, Cuda), accumulate: true);
        Assert.That(shorts.cpu().ToArray<short>(), Is.EqualTo(torch.zeros([3], torch.int16).index_put([bins.cpu().remainder(3)], torch.ones([n], torch.int16), accumulate: true).ToArray<short>()));
    }

    [Test]
    public void NonzeroAcrossManyChunks()
    {
        torch.manual_seed(8);
        var x = torch.rand([3, 7001]).gt(0.6);
        var want = x.nonzero().ToArray<long>();
        var got = x.to(Cuda).nonzero();
        Assert.That(got.device.ToString(), Is.EqualTo("cuda:0"));
        Assert.That(got.cpu().ToArray<long>(), Is.EqualTo(want));
        var v = torch.randn([3, 7001]);
        Assert.That(v.to(Cuda)[x.to(Cuda)].cpu().ToArray<float>(), Is.EqualTo(v[x].ToArray<float>()));
    }

    private static void SameError(Func<Device, object> op)
    {
        Exception? cpu = null, gpu = null;
        try { op(Device.CPU); } catch (Exception e) { cpu = e; }
        try { op(Cuda); } catch (Exception e) { gpu = e; }
        Assert.That(cpu, Is.Not.Null, "the CPU raises");
        Assert.That(gpu, Is.Not.Null, "cuda raises");
        Assert.That(gpu!.GetType(), Is.EqualTo(cpu!.GetType()));
        Assert.That(gpu.Message, Is.EqualTo(cpu.Message));
    }

    [Test]
    public void OutOfRangeIndicesRaisePyTorchsMessages()
    {
        SameError(d => X(d)[L(d, 0, 3)]);
        SameError(d => X(d)[L(d, -4)]);
        SameError(d => X(d)[.., L(d, 1, 4, 9)]);
        SameError(d => X(d).gather(1, torch.tensor(new long[,] { { 0 }, { 4 }, { -1 } }).to(d)));
        SameError(d => X(d).scatter(0, torch.tensor(new long[,] { { 3 } }).to(d), 1.0));
        SameError(d => X(d).scatter_add(0, torch.tensor(new long[,] { { 0, -1 } }).to(d), X(d)));
        SameError(d => X(d).index_select(0, L(d, 0, 3)));
        SameError(d => X(d).index_select(0, L(d, -1)));
        SameError(d => X(d).take(L(d, 12)));
        SameError(d => X(d).index_put([L(d, 5)], torch.ones([4], device: d)));
        SameError(d => X(d)[torch.ones([2, 4], torch.@bool, d)]);
        var e = Assert.Throws<IndexOutOfRangeException>(() => _ = X(Cuda)[L(Cuda, 0, 3)]);
        Assert.That(e!.Message, Is.EqualTo("index 3 is out of bounds for dimension 0 with size 3"));
        e = Assert.Throws<IndexOutOfRangeException>(() => X(Cuda).index_select(1, L(Cuda, 4)));
        Assert.That(e!.Message, Is.EqualTo("index out of range in self"));
    }

    private static string RuntimeError(Action op) => Assert.Throws<InvalidOperationException>(() => op())!.Message;

    // index's meta function (TensorAdvancedIndexing.cpp, check_indices_on_cpu_or_selfdevice): only cpu[cpu] and
    // cuda[cpu or cuda]; a CUDA index or mask on a CPU tensor is a RuntimeError naming the indexed tensor's device.
    [Test]
    public void ACpuTensorRefusesCudaIndices()
    {
        const string Message = "indices should be either on cpu or on the same device as the indexed tensor (cpu)";
        Assert.That(RuntimeError(() => _ = X(Device.CPU)[L(Cuda, 1)]), Is.EqualTo(Message));
        Assert.That(RuntimeError(() => _ = X(Device.CPU)[.., L(Cuda, 0, 2)]), Is.EqualTo(Message));
        Assert.That(RuntimeError(() => _ = X(Device.CPU)[X(Device.CPU).gt(5).to(Cuda)]), Is.EqualTo(Message));
        // Too many indices is checked first (here by Python's applySlicing, before index runs).
        Assert.That(Assert.Throws<IndexOutOfRangeException>(() => _ = X(Device.CPU)[L(Cuda, 0), L(Cuda, 0), L(Cuda, 0)])!.Message,
            Is.EqualTo("too many indices for tensor of dimension 2"));
        // dev_tensor[cpu_tensor] stays allowed.
        Assert.That(X(Cuda)[L(Device.CPU, 2, 0)].cpu().ToArray<float>(), Is.EqualTo(new float[] { 8, 9, 10, 11, 0, 1, 2, 3 }));
    }

    // index_select, gather, scatter and index_add dispatch to their CUDA kernel when any argument is on CUDA, and the
    // generated wrapper checks each tensor argument against the first (self), naming the argument and the wrapper
    // (c10/core/op_registration/adaption.cpp, common_device_check_failure) — e.g. nn.Embedding's well-known
    // "but got index is on cuda:0, different from other tensors on cpu (... wrapper_CUDA__index_select)".
    [Test]
    public void IndexSelectGatherScatterAndIndexAddWantEveryArgumentOnSelfsDevice()
    {
        static string M(string arg, string on, string self, string method) =>
            $"Expected all tensors to be on the same device, but got {arg} is on {on}, different from other tensors on {self} (when checking argument in method wrapper_CUDA_{method})";
        var rows = torch.tensor(new long[,] { { 1 }, { 0 }, { 3 } });
        Assert.That(RuntimeError(() => X(Device.CPU).index_select(0, L(Cuda, 1))), Is.EqualTo(M("index", "cuda:0", "cpu", "_index_select")));
        Assert.That(RuntimeError(() => X(Cuda).index_select(0, L(Device.CPU, 1))), Is.EqualTo(M("index", "cpu", "cuda:0", "_index_select")));
        Assert.That(RuntimeError(() => X(Device.CPU).gather(1, rows.to(Cuda))), Is.EqualTo(M("index", "cuda:0", "cpu", "gather")));
        Assert.That(RuntimeError(() => X(Cuda).gather(1, rows)), Is.EqualTo(M("index", "cpu", "cuda:0", "gather")));
        Assert.That(RuntimeError(() => X(Device.CPU).scatter(1, rows.to(Cuda), 1.0)), Is.EqualTo(M("index", "cuda:0", "cpu", "scatter_value")));
        Assert.That(RuntimeError(() => X(Cuda).scatter(1, rows.to(Cuda), X(Device.CPU))), Is.EqualTo(M("src", "cpu", "cuda:0", "scatter_src")));
        Assert.That(RuntimeError(() => X(Cuda).scatter_add(1, rows.to(Cuda), X(Device.CPU))), Is.EqualTo(M("src", "cpu", "cuda:0", "scatter_add")));
        Assert.That(RuntimeError(() => X(Device.CPU).scatter_(1, rows, X(Cuda))), Is.EqualTo(M("src", "cuda:0", "cpu", "scatter__src")));
        Assert.That(RuntimeError(() => X(Cuda).scatter_(1, rows, 2.0)), Is.EqualTo(M("index", "cpu", "cuda:0", "scatter__value")));
        Assert.That(RuntimeError(() => X(Cuda).scatter_add_(1, rows.to(Cuda), X(Device.CPU))), Is.EqualTo(M("src", "cpu", "cuda:0", "scatter_add_")));
        var ones = torch.ones(2, 4);
        Assert.That(RuntimeError(() => X(Cuda).index_add(0, L(Device.CPU, 0, 2), ones.to(Cuda))), Is.EqualTo(M("index", "cpu", "cuda:0", "index_add")));
        Assert.That(RuntimeError(() => X(Cuda).index_add_(0, L(Cuda, 0, 2), ones)), Is.EqualTo(M("source", "cpu", "cuda:0", "index_add_")));
        // The embedding lookup goes through index_select, so its device error is index_select's.
        var table = new torch.nn.Embedding(4, 2);
        Assert.That(RuntimeError(() => table.call(L(Cuda, 1, 2))), Is.EqualTo(M("index", "cuda:0", "cpu", "_index_select")));
        // One device throughout still works, with the values PyTorch gives.
        Assert.That(X(Cuda).gather(1, rows.to(Cuda)).cpu().ToArray<float>(), Is.EqualTo(new float[] { 1, 4, 11 }));
        Assert.That(X(Cuda).index_add(0, L(Cuda, 0, 2), ones.to(Cuda))[0].cpu().ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 4 }));
    }

    // _index_put_impl_ (TensorAdvancedIndexing.cpp): a 0-dim value on another device is moved to self's; any other
    // value must be on self's device — the accumulating CUDA kernel checks it itself (the fix of pytorch#30960), a
    // plain put fails in its TensorIterator with the element-wise ops' message. Indices may stay on the CPU.
    [Test]
    public void IndexPutWantsTheValuesOnSelfsDevice()
    {
        var x = torch.zeros([5], device: Cuda);
        var idx = L(Device.CPU, 1, 3);
        Assert.That(RuntimeError(() => x.index_put_([idx], torch.ones(2), accumulate: true)), Is.EqualTo("expected device cuda:0 but got device cpu for value tensor"));
        Assert.That(RuntimeError(() => x.index_put_([idx], torch.ones(2))),
            Is.EqualTo("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"));
        Assert.That(RuntimeError(() => torch.zeros(5).index_put_([idx], torch.ones([2], device: Cuda))),
            Is.EqualTo("Expected all tensors to be on the same device, but found at least two devices, cpu and cuda:0!"));
        Assert.That(x.cpu().ToArray<float>(), Is.EqualTo(new float[5]), "a refused put writes nothing");
        x.index_put_([idx], torch.tensor(2f), accumulate: true);
        x.index_put_([idx.to(Cuda)], torch.ones([2], device: Cuda), accumulate: true);
        Assert.That(x.cpu().ToArray<float>(), Is.EqualTo(new float[] { 0, 3, 0, 3, 0 }));
    }

    // embedding's backward scatters into zeros on the gradient's device, so a CUDA embedding trains on the device.
    [Test]
    public void CudaEmbeddingGradientStaysOnTheDevice()
    {
        var w = torch.arange(0, 6, 1, device: Cuda).to(torch.float32).reshape(3, 2).requires_grad_();
        torch.nn.functional.embedding(L(Cuda, 2, 0, 2), w).sum().backward();
        Assert.That(w.grad!.device.ToString(), Is.EqualTo("cuda:0"));
        Assert.That(w.grad!.cpu().ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 0, 0, 2, 2 }));
    }
}
