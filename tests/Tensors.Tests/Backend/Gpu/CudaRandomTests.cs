using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>Random numbers drawn on the device from the CUDA generators (Philox), on ILGPU's CPU accelerator.</summary>
public class CudaRandomTests
{
    private static readonly Device Cuda = torch.device("cuda");

    private static DType D(string name) => name switch
    {
        "float64" => torch.float64, "float16" => torch.float16, "bfloat16" => torch.bfloat16, _ => torch.float32,
    };

    private static double[] Values(Tensor t) => t.cpu().to(torch.float64).ToArray<double>();

    private static (double mean, double var) Moments(Tensor t)
    {
        var v = Values(t);
        double m = v.Average();
        return (m, v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
    }

    [Test]
    public void SameSeedSameTensorAndSuccessiveCallsDiffer()
    {
        torch.cuda.manual_seed(7);
        var a = torch.rand([1000], device: Cuda);
        var b = torch.rand([1000], device: Cuda);
        torch.cuda.manual_seed(7);
        var a2 = torch.rand([1000], device: Cuda);
        Assert.That(a.device.ToString(), Is.EqualTo("cuda:0"));
        Assert.That(Values(a2), Is.EqualTo(Values(a)));
        Assert.That(Values(b), Is.Not.EqualTo(Values(a)));
        Assert.That(Values(a).Distinct().Count(), Is.GreaterThan(990), "1000 draws of 24 bits are almost all distinct");
    }

    [Test]
    public void DeviceValuesAreTheDocumentedPhiloxStream()
    {
        // Element i of a float32 rand() is word i % 4 of Philox block (offset / 4, subsequence i / 4), top 24 bits / 2^24.
        torch.cuda.manual_seed(123);
        _ = torch.rand([5], device: Cuda);
        var state = torch.cuda.get_rng_state().ToArray<byte>();
        ulong seed = BitConverter.ToUInt64(state, 0), offset = BitConverter.ToUInt64(state, 8);
        var got = torch.rand([1001], device: Cuda).cpu().ToArray<float>();
        for (int i = 0; i < got.Length; i++)
        {
            var w = Philox.Block(seed, offset / 4, (ulong)(i / 4));
            Assert.That(got[i], Is.EqualTo((w.Word(i % 4) >> 8) * (1f / 16777216f)), $"element {i}");
        }
        // float64: two words per value, 53 bits.
        torch.cuda.manual_seed(123);
        var d = torch.rand([7], torch.float64, Cuda).cpu().ToArray<double>();
        for (int i = 0; i < d.Length; i++)
        {
            var w = Philox.Block(123UL, 0, (ulong)(i / 2));
            ulong bits = ((ulong)w.Word(2 * (i % 2)) << 32 | w.Word(2 * (i % 2) + 1)) >> 11;
            Assert.That(d[i], Is.EqualTo(bits * (1.0 / (1UL << 53))));
        }
    }

    [Test]
    public void TorchManualSeedSeedsCudaTooWithoutTouchingTheCpuStream()
    {
        torch.manual_seed(11);
        var cpuFirst = torch.randn(5).ToArray<float>();
        var gpuFirst = Values(torch.randn([64], device: Cuda));

        torch.manual_seed(11);
        var gpuAgain = Values(torch.randn([64], device: Cuda));
        _ = torch.rand([100], device: Cuda);
        torch.cuda.manual_seed(12345);
        var cpuAgain = torch.randn(5).ToArray<float>();

        Assert.That(gpuAgain, Is.EqualTo(gpuFirst));
        Assert.That(cpuAgain, Is.EqualTo(cpuFirst), "CUDA draws and torch.cuda.manual_seed leave the CPU generator alone");
        // The CPU stream itself is PyTorch's: torch.manual_seed(0); torch.randn(2) == [1.5410, -0.2934].
        torch.manual_seed(0);
        Assert.That(torch.randn(2).ToArray<float>(), Is.EqualTo(new[] { 1.5409961f, -0.2934289f }).Within(1e-7f));
    }

    [Test]
    public void RngStateIsSeedAndOffsetAndReplays()
    {
        torch.cuda.manual_seed(42);
        Assert.That(torch.cuda.initial_seed(), Is.EqualTo(42));
        var s0 = torch.cuda.get_rng_state();
        Assert.That(s0.dtype, Is.EqualTo(torch.uint8));
        Assert.That(s0.shape, Is.EqualTo(new long[] { 16 }));
        Assert.That(s0.ToArray<byte>(), Is.EqualTo(new byte[] { 42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));

        var x = Values(torch.randn([3, 5], device: Cuda));
        var s1 = torch.cuda.get_rng_state().ToArray<byte>();
        Assert.That(BitConverter.ToInt64(s1, 8), Is.EqualTo(4), "one Philox block per thread: the offset moves by 4");
        var y = Values(torch.rand([7], device: Cuda));

        torch.cuda.set_rng_state(torch.tensor((Array)s1, torch.uint8));
        Assert.That(Values(torch.rand([7], device: Cuda)), Is.EqualTo(y));
        torch.cuda.set_rng_state(s0);
        Assert.That(Values(torch.randn([3, 5], device: Cuda)), Is.EqualTo(x));

        var bad = (byte[])s1.Clone(); bad[8] = 6;
        Assert.That(() => torch.cuda.set_rng_state(torch.tensor((Array)bad, torch.uint8)), Throws.ArgumentException.With.Message.EqualTo("offset must be a multiple of 4"));
        Assert.That(() => torch.cuda.set_rng_state(torch.zeros([5], torch.uint8)), Throws.ArgumentException.With.Message.EqualTo("RNG state is wrong size"));
    }

    [Test]
    public void CudaGeneratorObjects()
    {
        var g = new Generator(device: "cuda");
        Assert.That(g.device, Is.EqualTo("cuda:0"));
        Assert.That(g.initial_seed(), Is.EqualTo(67280421310721));
        g.manual_seed(3);
        var a = Values(torch.rand([50], device: Cuda, generator: g));
        torch.cuda.manual_seed(3);
        var viaDefault = Values(torch.rand([50], device: Cuda));
        Assert.That(viaDefault, Is.EqualTo(a), "same seed and offset as the default generator: same numbers");
        g.manual_seed(3);
        Assert.That(Values(torch.empty([50], device: Cuda).uniform_(0, 1, g)), Is.EqualTo(a));
        Assert.That(g.get_state().Length, Is.EqualTo(16));

        var e = Assert.Throws<InvalidOperationException>(() => torch.rand([2], device: Cuda, generator: new Generator()));
        Assert.That(e!.Message, Is.EqualTo("Expected a 'cuda' device type for generator but found 'cpu'"));
        e = Assert.Throws<InvalidOperationException>(() => torch.rand([2], generator: g));
        Assert.That(e!.Message, Is.EqualTo("Expected a 'cpu' device type for generator but found 'cuda'"));
    }

    [Test]
    public void StridedDestinationsGetTheSameValuesInLogicalOrder()
    {
        torch.cuda.manual_seed(3);
        var contiguous = Values(torch.empty([6, 4], device: Cuda).normal_());
        torch.cuda.manual_seed(3);
        var t = torch.empty([4, 6], device: Cuda).t();
        Assert.That(t.is_contiguous(), Is.False);
        t.normal_();
        Assert.That(Values(t), Is.EqualTo(contiguous));

        // Only the view's elements change.
        var full = torch.zeros([4, 6], device: Cuda);
        full[.., torch.slice(null, null, 2)].uniform_(5, 6);
        var v = Values(full);
        for (int i = 0; i < 24; i++)
            Assert.That(v[i], i % 2 == 0 ? Is.InRange(5.0, 6.0) : Is.EqualTo(0.0));
    }

    [TestCase("float32")]
    [TestCase("float64")]
    [TestCase("float16")]
    [TestCase("bfloat16")]
    public void UniformStatisticsAndBounds(string dtype)
    {
        var dt = D(dtype);
        torch.cuda.manual_seed(1);
        const int n = 100_000;
        var u = torch.empty([n], dt, Cuda).uniform_(-2, 3);
        var v = Values(u);
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo(-2.0));
        Assert.That(v.Max(), Is.LessThan(3.0));
        var (m, var) = Moments(u);
        double sd = 5 / Math.Sqrt(12);
        Assert.That(m, Is.EqualTo(0.5).Within(5 * sd / Math.Sqrt(n)));
        Assert.That(var, Is.EqualTo(sd * sd).Within(dt.itemsize == 2 ? 0.05 : 0.03));
    }

    [TestCase("float16")]
    [TestCase("bfloat16")]
    [TestCase("float32")]
    public void UniformNeverReturnsTo(string dtype)
    {
        // u in [0, 1) rounded to half or bfloat16 lands on 1.0 for u close to 1; PyTorch's range stays open.
        torch.cuda.manual_seed(5);
        var v = Values(torch.empty([200_000], D(dtype), Cuda).uniform_(0, 1));
        Assert.That(v.Max(), Is.LessThan(1.0));
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo(0.0));
        var w = Values(torch.empty([200_000], D(dtype), Cuda).uniform_(1, 2));
        Assert.That(w.Max(), Is.LessThan(2.0));
    }

    [TestCase("float32")]
    [TestCase("float64")]
    [TestCase("bfloat16")]
    public void NormalStatistics(string dtype)
    {
        torch.cuda.manual_seed(2);
        const int n = 100_000;
        var x = torch.empty([n], D(dtype), Cuda).normal_(1.5, 2);
        var (m, var) = Moments(x);
        Assert.That(m, Is.EqualTo(1.5).Within(5 * 2 / Math.Sqrt(n)));
        // Var of the sample variance of a normal: 2σ⁴/(n-1).
        Assert.That(var, Is.EqualTo(4).Within(5 * 4 * Math.Sqrt(2.0 / n) + (dtype == "bfloat16" ? 0.05 : 0)));
        var v = Values(x);
        double within1 = v.Count(z => Math.Abs(z - 1.5) < 2) / (double)n;
        Assert.That(within1, Is.EqualTo(0.6827).Within(0.01));
    }

    [Test]
    public void RandintRandomAndRandperm()
    {
        torch.cuda.manual_seed(9);
        const int n = 100_000;
        var r = torch.randint(-3, 7, [n], device: Cuda);
        Assert.That(r.dtype, Is.EqualTo(torch.int64));
        var v = Values(r);
        Assert.That(v.Min(), Is.EqualTo(-3));
        Assert.That(v.Max(), Is.EqualTo(6));
        Assert.That(v.All(x => x == Math.Floor(x)), Is.True);
        for (int k = -3; k < 7; k++)
            Assert.That(v.Count(x => x == k) / (double)n, Is.EqualTo(0.1).Within(5 * Math.Sqrt(0.09 / n)), $"frequency of {k}");

        // Ranges of 2^32 and more take 64-bit draws.
        var wide = Values(torch.empty([1000], torch.int64, Cuda).random_(0, 1L << 40));
        Assert.That(wide.Max(), Is.GreaterThan((double)(1L << 36)));
        Assert.That(wide.Min(), Is.GreaterThanOrEqualTo(0));
        var small = Values(torch.empty([1000], torch.uint8, Cuda).random_(0, 256));
        Assert.That(small.Max(), Is.EqualTo(255));

        torch.manual_seed(4);
        var cpuBefore = torch.rand(3).ToArray<float>();
        torch.manual_seed(4);
        var p = torch.randperm(1000, device: Cuda);
        Assert.That(p.device.ToString(), Is.EqualTo("cuda:0"));
        Assert.That(p.cpu().ToArray<long>().Order(), Is.EqualTo(Enumerable.Range(0, 1000).Select(i => (long)i)));
        Assert.That(p.cpu().ToArray<long>().Take(20), Is.Not.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
        Assert.That(torch.rand(3).ToArray<float>(), Is.EqualTo(cpuBefore), "cuda randperm draws from the CUDA generator");
        torch.cuda.manual_seed(4);
        Assert.That(torch.randperm(1000, device: Cuda).cpu().ToArray<long>(), Is.EqualTo(p.cpu().ToArray<long>()));
    }

    [Test]
    public void BernoulliDropoutAndExponential()
    {
        torch.cuda.manual_seed(21);
        const int n = 100_000;
        var b = torch.empty([n], device: Cuda).bernoulli_(0.3);
        var bv = Values(b);
        Assert.That(bv.All(x => x is 0 or 1), Is.True);
        Assert.That(bv.Average(), Is.EqualTo(0.3).Within(5 * Math.Sqrt(0.21 / n)));

        var probs = torch.cat([torch.zeros([n / 2], device: Cuda), torch.full([n / 2], 0.8, device: Cuda)]);
        var bt = Values(torch.bernoulli(probs));
        Assert.That(bt.Take(n / 2).Sum(), Is.EqualTo(0));
        Assert.That(bt.Skip(n / 2).Average(), Is.EqualTo(0.8).Within(5 * Math.Sqrt(0.16 / (n / 2))));
        Assert.That(torch.bernoulli(torch.ones([4], torch.float64, Cuda)).dtype, Is.EqualTo(torch.float64));

        var x = torch.ones([n], device: Cuda, requires_grad: true);
        var y = F.dropout(x, 0.25);
        var yv = Values(y.detach());
        Assert.That(yv.All(v => v == 0 || Math.Abs(v - 1 / 0.75) < 1e-6), Is.True);
        Assert.That(yv.Count(v => v == 0) / (double)n, Is.EqualTo(0.25).Within(5 * Math.Sqrt(0.1875 / n)));
        y.sum().backward();
        Assert.That(Values(x.grad!), Is.EqualTo(yv));

        var e = torch.empty([n], torch.float64, Cuda).exponential_(2);
        var (m, var) = Moments(e);
        Assert.That(Values(e).Min(), Is.GreaterThanOrEqualTo(0));
        Assert.That(m, Is.EqualTo(0.5).Within(5 * 0.5 / Math.Sqrt(n)));
        Assert.That(var, Is.EqualTo(0.25).Within(0.02));
    }

    [Test]
    public void LikeFactoriesStayOnTheDevice()
    {
        var t = torch.zeros([2, 3], torch.float64, Cuda);
        var r = torch.rand_like(t);
        var n = torch.randn_like(t);
        Assert.That(r.device.ToString(), Is.EqualTo("cuda:0"));
        Assert.That(n.dtype, Is.EqualTo(torch.float64));
        Assert.That(Values(r).All(v => v is >= 0 and < 1), Is.True);
        Assert.That(torch.randint_like(t, 5).device.ToString(), Is.EqualTo("cuda:0"));
    }
}
