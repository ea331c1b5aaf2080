namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// A C# number beside a CUDA tensor is a CPU scalar that the kernel takes as an argument (PyTorch's
/// gpu_kernel_with_scalars, TensorIterator's is_cpu_scalar): the result is the only device memory an op asks for,
/// and nothing is copied to the device. The values must be those of the same op on the CPU.
/// </summary>
public class CudaScalarOperandTests
{
    private static readonly Device Cuda = torch.device("cuda");

    private static IEnumerable<TestCaseData> Ops()
    {
        TestCaseData C(string name, Func<Tensor, Tensor> f) => new TestCaseData(f).SetName($"scalar operand: {name}");
        yield return C("x * 2", x => x * 2);
        yield return C("2 * x", x => 2 * x);
        yield return C("x + 0.5", x => x + 0.5);
        yield return C("x - 3 (alpha path)", x => x.sub(3, alpha: 2));
        yield return C("1.5 - x (rsub: scalar on the left)", x => 1.5 - x);
        yield return C("x / 3", x => x / 3);
        yield return C("3 / x", x => 3 / x);
        yield return C("x.pow(2)", x => x.pow(2));
        yield return C("x > 0.25 (comparison)", x => x.gt(0.25));
        yield return C("x.remainder(0.75)", x => x.remainder(0.75));
        yield return C("x.maximum(0) through clamp_min", x => x.clamp_min(0));
        yield return C("x + tensor(2.0) (a CPU 0-dim tensor)", x => x + torch.tensor(2.0));
    }

    [TestCaseSource(nameof(Ops))]
    public void FloatOpsMatchTheCpu(Func<Tensor, Tensor> op)
    {
        var x = torch.tensor(new[] { -1.25f, 0.5f, 2f, 3.75f });
        var expected = op(x);
        var onDevice = op(x.cuda());
        Assert.That(onDevice.device.ToString(), Is.EqualTo("cuda:0"));
        Assert.That(onDevice.dtype, Is.EqualTo(expected.dtype));
        Assert.That(onDevice.cpu().ToString(), Is.EqualTo(expected.ToString()));
    }

    [TestCase("int64")]
    [TestCase("int32")]
    [TestCase("uint8")]
    [TestCase("float16")]
    [TestCase("bfloat16")]
    [TestCase("float64")]
    public void EveryDtypeReadsTheScalarsBits(string dtype)
    {
        var dt = new Dictionary<string, DType> { ["int64"] = torch.int64, ["int32"] = torch.int32, ["uint8"] = torch.uint8, ["float16"] = torch.float16, ["bfloat16"] = torch.bfloat16, ["float64"] = torch.float64 }[dtype];
        var x = torch.tensor(new long[] { 1, 2, 3, 4 }).to(dt);
        foreach (var (name, op) in new (string, Func<Tensor, Tensor>)[] { ("x * 3", t => t * 3), ("5 - x", t => 5 - t), ("x == 2", t => t.eq(2)), ("x + 7", t => t + 7) })
        {
            Assert.That(op(x.cuda()).cpu().ToString(), Is.EqualTo(op(x).ToString()), $"{dtype}: {name}");
        }
    }

    [Test]
    public void BoolTensorWithAScalar()
    {
        var b = torch.tensor(new[] { true, false, true });
        Assert.That(b.cuda().logical_and(torch.tensor(true)).cpu().ToString(), Is.EqualTo("tensor([ True, False,  True])"));
        Assert.That(b.cuda().eq(false).cpu().ToString(), Is.EqualTo("tensor([False,  True, False])"));
    }

    [Test]
    public void AScalarOpAllocatesOnlyItsResult()
    {
        var x = torch.ones([1000], device: Cuda);
        // Dead storages return their blocks from finalizers; none may be pending while the count is read.
        for (int i = 0; i < 2; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        var before = torch.cuda.memory_allocated();
        var results = new[] { x * 2, x + 1, x.sub(x, alpha: 0.5), 1 - x, x.lt(3) };
        var after = torch.cuda.memory_allocated();
        GC.KeepAlive(x);
        // 4 float results of 4000 bytes (rounded to 4096) and one bool of 1000 (rounded to 1024); no 512-byte blocks
        // for uploaded scalars.
        Assert.That(after - before, Is.EqualTo(4 * 4096 + 1024));
        GC.KeepAlive(results);
    }

    [TestCase("float32")]
    [TestCase("float64")]
    [TestCase("bfloat16")]
    public void AddWithAlphaRoundsOnceAsOnTheCpu(string dtype)
    {
        var dt = dtype == "float32" ? torch.float32 : dtype == "float64" ? torch.float64 : torch.bfloat16;
        torch.manual_seed(7);
        var x = torch.randn(4096).to(dt);
        var y = torch.randn(4096).to(dt);
        var cpu = x.add(y, alpha: 0.1);
        var gpu = x.cuda().add(y.cuda(), alpha: 0.1).cpu();
        Assert.That(torch.equal(gpu, cpu), Is.True, "one fused rounding on both devices");
        var twoRoundings = x.add(y.mul(torch.tensor(0.1).to(dt)));
        Assert.That(torch.equal(cpu, twoRoundings), Is.False, "the inputs include cases where rounding twice differs");
    }

    [Test]
    public void ReversedDivisionIsReciprocalTimesTheNumber()
    {
        // torch/_tensor.py: __rtruediv__ = __rdiv__ = `self.reciprocal() * other`, so 3 / x rounds twice and its
        // grad_fn is MulBackward0 (x / 3 is DivBackward0).
        var x = torch.tensor(new[] { 3f, 7f, 0.1f }, requires_grad: true);
        var y = 3 / x;
        Assert.That(y.grad_fn!.name(), Is.EqualTo("MulBackward0"));
        Assert.That(y.ToArray<float>(), Is.EqualTo(new[] { (1f / 3f) * 3f, (1f / 7f) * 3f, (1f / 0.1f) * 3f }));
        Assert.That((1f / 7f) * 3f, Is.Not.EqualTo(3f / 7f), "the case where the two roundings differ from one");
        Assert.That((x / 3).grad_fn!.name(), Is.EqualTo("DivBackward0"));
        var i = 2 / torch.tensor(new long[] { 1, 4 });
        Assert.That(i.ToString(), Is.EqualTo("tensor([2.0000, 0.5000])"));
    }
}
