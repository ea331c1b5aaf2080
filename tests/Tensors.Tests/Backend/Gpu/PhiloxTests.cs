namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>Philox4x32-10 against Random123's known-answer vectors (kat_vectors: philox4x32_10).</summary>
public class PhiloxTests
{
    [TestCase(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        var r = Philox.Block(new UInt4(c0, c1, c2, c3), k0, k1);
        Assert.That(new[] { r.X, r.Y, r.Z, r.W }, Is.EqualTo(new[] { r0, r1, r2, r3 }));
    }

    [Test]
    public void SeedBlockAndSubsequenceFillTheCounterAsCuRandDoes()
    {
        var a = Philox.Block(0x299f31d0a4093822UL, 0x85a308d3243f6a88UL, 0x0370734413198a2eUL);
        Assert.That(new[] { a.X, a.Y, a.Z, a.W }, Is.EqualTo(new[] { 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u }));
    }
}
