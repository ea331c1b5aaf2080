namespace Notebooks.Tensors.Tests.Random;

public class GeneratorTests
{
    [Test]
    public void FreshGeneratorUsesPyTorchDefaultSeed()
    {
        Assert.That(new Generator().initial_seed(), Is.EqualTo(67280421310721));
        Assert.That(Generator.Default.device, Is.EqualTo("cpu"));
    }

    [Test]
    public void EngineIsStandardMt19937()
    {
        // The C++ standard's check for std::mt19937: the 10000th output from seed 5489 is 4123659995.
        var g = new Generator().manual_seed(5489);
        uint last = 0;
        for (int i = 0; i < 10000; i++) last = g.NextUInt32();
        Assert.That(last, Is.EqualTo(4123659995u));
    }

    [Test]
    public void ManualSeedReturnsTheGeneratorAndRepeatsTheSequence()
    {
        var g = new Generator();
        Assert.That(g.manual_seed(7), Is.SameAs(g));
        Assert.That(g.initial_seed(), Is.EqualTo(7));
        var first = new float[10];
        g.FillUniform(first, 0, 1);
        var second = new float[10];
        g.manual_seed(7).FillUniform(second, 0, 1);
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void ManualSeedClearsTheCachedNormal()
    {
        var g = new Generator().manual_seed(3);
        var one = new double[1];
        g.FillNormal(one, 0, 1);           // leaves the sine half cached
        double afterSeed = Draw(g.manual_seed(3));
        Assert.That(afterSeed, Is.EqualTo(one[0]), "a stale cached sample survived manual_seed");

        static double Draw(Generator g) { var d = new double[1]; g.FillNormal(d, 0, 1); return d[0]; }
    }

    [Test]
    public void NegativeSeedsWrapLikeUInt64()
    {
        var a = new Generator().manual_seed(-1);
        var b = new Generator().manual_seed(unchecked((long)ulong.MaxValue));
        Assert.That(a.NextUInt64(), Is.EqualTo(b.NextUInt64()));
        Assert.That(a.initial_seed(), Is.EqualTo(-1));
    }

    [Test]
    public void GeneratorsAreIndependent()
    {
        var a = new Generator().manual_seed(11);
        var b = new Generator().manual_seed(11);
        var expected = new float[5];
        new Generator().manual_seed(11).FillUniform(expected, 0, 1);

        var noise = new float[1000];
        b.FillNormal(noise, 0, 1);                 // advancing b must not move a
        var fromA = new float[5];
        a.FillUniform(fromA, 0, 1);
        Assert.That(fromA, Is.EqualTo(expected));
    }

    [Test]
    public void SeedReseedsNonDeterministically()
    {
        var g = new Generator();
        long s1 = g.seed();
        Assert.That(g.initial_seed(), Is.EqualTo(s1));
        uint afterSeed = g.NextUInt32();
        Assert.That(new Generator().manual_seed(s1).NextUInt32(), Is.EqualTo(afterSeed));
        Assert.That(g.seed(), Is.Not.EqualTo(s1)); // 2^-64 chance of a false failure
    }

    [Test]
    public void StateRoundTripsIncludingTheCachedNormal()
    {
        var g = new Generator().manual_seed(123);
        var skip = new double[1];
        g.FillNormal(skip, 0, 1);                 // caches a double normal
        for (int i = 0; i < 700; i++) g.NextUInt32(); // cross a twist boundary
        byte[] state = g.get_state();
        Assert.That(state, Has.Length.EqualTo(5056), "PyTorch's CPU state size");

        var expected = new double[3];
        g.FillNormal(expected, 0, 1);
        var other = new Generator().set_state(state);
        var actual = new double[3];
        other.FillNormal(actual, 0, 1);
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(other.initial_seed(), Is.EqualTo(123));
        Assert.That(other.get_state(), Is.Not.EqualTo(state), "drawing must change the state");
    }

    [Test]
    public void SetStateRejectsWrongSizes()
    {
        Assert.Throws<ArgumentException>(() => new Generator().set_state(new byte[100]));
    }
}
