namespace Notebooks.Tensors.Tests.Random;

// Checks beyond torch_rng.json. Where a test spells out expected bits, they come from PyTorch's formulas
// applied to a twin generator's raw draws, not from libtorch output.
public class SamplingTests
{
    [Test]
    public void RandIntOnA40BitRangeUsesTheFull64BitDraw()
    {
        const long range = 1L << 40;
        var values = new long[2000];
        new Generator().manual_seed(5).FillRandomRange(values, 0, range);

        var twin = new Generator().manual_seed(5);
        for (int i = 0; i < values.Length; i++)
            Assert.That(values[i], Is.EqualTo((long)(twin.NextUInt64() % range)), $"element {i}");
        Assert.That(values, Has.All.InRange(0L, range - 1));
        Assert.That(values.Max(), Is.GreaterThan(1L << 39), "high bits never set: 32-bit draws?");
    }

    [Test]
    public void RandIntBelow2To32UsesOne32BitDraw()
    {
        var longs = new long[50];
        var ints = new int[50];
        new Generator().manual_seed(9).FillRandomRange(longs, -5, 1L << 31);
        new Generator().manual_seed(9).FillRandomRange(ints, -5, 1L << 31);
        var twin = new Generator().manual_seed(9);
        for (int i = 0; i < longs.Length; i++)
        {
            long expected = (long)(twin.NextUInt32() % ((1UL << 31) + 5)) - 5;
            Assert.That(longs[i], Is.EqualTo(expected));
            Assert.That(ints[i], Is.EqualTo((int)expected));
        }
    }

    [Test]
    public void RandIntRejectsAnEmptyRange()
    {
        Assert.Throws<ArgumentException>(() => new Generator().FillRandomRange(new long[1], 3, 3));
    }

    [Test]
    public void RandomWithoutBoundsCoversEachDtypesRange()
    {
        var g = new Generator().manual_seed(1);
        var twin = new Generator().manual_seed(1);
        var l = new long[3]; g.FillRandom(l);
        var i32 = new int[3]; g.FillRandom(i32);
        var f = new float[3]; g.FillRandom(f);
        var b = new bool[3]; g.FillRandom(b);
        for (int k = 0; k < 3; k++) Assert.That(l[k], Is.EqualTo((long)(twin.NextUInt64() & long.MaxValue)));
        for (int k = 0; k < 3; k++) Assert.That(i32[k], Is.EqualTo((int)(twin.NextUInt32() & int.MaxValue)));
        for (int k = 0; k < 3; k++) Assert.That(f[k], Is.EqualTo((float)(twin.NextUInt32() % ((1u << 24) + 1))));
        for (int k = 0; k < 3; k++) Assert.That(b[k], Is.EqualTo((twin.NextUInt32() & 1) == 1));
    }

    [Test]
    public void RandPermIsAPermutation()
    {
        long[] p = new Generator().manual_seed(2).RandPerm(1000);
        Assert.That(p.Order(), Is.EqualTo(Enumerable.Range(0, 1000).Select(i => (long)i)));
        Assert.That(p, Is.Not.EqualTo(Enumerable.Range(0, 1000).Select(i => (long)i)));
    }

    [Test]
    public void BernoulliWithScalarPHasMeanNearP()
    {
        var samples = new float[200_000];
        new Generator().manual_seed(0).FillBernoulli(samples, 0.3);
        Assert.That(samples, Has.All.Matches<float>(x => x == 0f || x == 1f));
        Assert.That(samples.Average(), Is.EqualTo(0.3).Within(0.005));
    }

    [Test]
    public void BernoulliWithScalarPComparesA53BitUniform()
    {
        // Derived from at::bernoulli_distribution<double>; not checked against libtorch (see Generator.Bernoulli.cs).
        var samples = new float[64];
        new Generator().manual_seed(4).FillBernoulli(samples, 0.5);
        var twin = new Generator().manual_seed(4);
        foreach (float s in samples)
            Assert.That(s, Is.EqualTo((twin.NextUInt64() & ((1UL << 53) - 1)) * Math.Pow(2, -53) < 0.5 ? 1f : 0f));
    }

    [Test]
    public void BernoulliWithFloatProbabilitiesComparesA24BitUniform()
    {
        float[] p = Enumerable.Range(0, 64).Select(i => i / 63f).ToArray();
        var samples = new double[64];
        new Generator().manual_seed(4).FillBernoulli(samples, (ReadOnlySpan<float>)p);
        var twin = new Generator().manual_seed(4);
        for (int i = 0; i < p.Length; i++)
            Assert.That(samples[i], Is.EqualTo((twin.NextUInt32() & 0xFFFFFF) / 16777216f < p[i] ? 1.0 : 0.0));
        Assert.That(samples[0], Is.Zero);
        Assert.That(samples[^1], Is.EqualTo(1.0));
    }

    [Test]
    public void HalfUniformUses11BitsAndStaysInRange()
    {
        var h = new Half[500];
        new Generator().manual_seed(8).FillUniform(h, 0, 1);
        var twin = new Generator().manual_seed(8);
        foreach (Half x in h)
            Assert.That((float)x * 2048, Is.EqualTo((float)(twin.NextUInt32() & 0x7FF)));

        var wide = new Half[500];
        new Generator().manual_seed(8).FillUniform(wide, -3, 5);
        Assert.That(wide.Select(x => (float)x), Has.All.InRange(-3f, 5f));
    }

    [Test]
    public void BFloat16UniformUses8Bits()
    {
        var bits = new ushort[300];
        new Generator().manual_seed(8).FillUniformBFloat16(bits, 0, 1);
        var twin = new Generator().manual_seed(8);
        foreach (ushort b in bits)
            Assert.That(BitConverter.UInt32BitsToSingle((uint)b << 16) * 256, Is.EqualTo((float)(twin.NextUInt32() & 0xFF)));
    }

    [Test]
    public void UniformRejectsReversedBounds()
    {
        Assert.Throws<ArgumentException>(() => new Generator().FillUniform(new float[1], 2, 1));
    }

    [Test]
    public void NormalStatisticsOnBothPaths()
    {
        var big = new float[100_003];   // vectorised blocks plus a recomputed tail
        new Generator().manual_seed(6).FillNormal(big, 2, 3);
        double mean = big.Average();
        double var = big.Select(x => (x - mean) * (x - mean)).Average();
        Assert.That(mean, Is.EqualTo(2).Within(0.05));
        Assert.That(Math.Sqrt(var), Is.EqualTo(3).Within(0.05));

        var g = new Generator().manual_seed(6);
        var small = new List<double>();
        var chunk = new double[7];      // < 16: the scalar Box–Muller path
        for (int i = 0; i < 10_000; i++) { g.FillNormal(chunk, 0, 1); small.AddRange(chunk); }
        Assert.That(small.Average(), Is.EqualTo(0).Within(0.03));
    }

    [Test]
    public void UniformFillDoesNotAllocatePerElement()
    {
        var g = new Generator().manual_seed(0);
        var data = new float[1_000_000];
        g.FillUniform(data, 0, 1);      // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        g.FillUniform(data, -1, 1);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.LessThan(1024));
    }
}
