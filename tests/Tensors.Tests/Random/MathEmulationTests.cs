using System.Runtime.InteropServices;

namespace Notebooks.Tensors.Tests.Random;

public class MathEmulationTests
{
    [Test]
    public unsafe void Log1PIsTheCLibrarysOnLinuxAndTheManagedPortIsWithinOneUlp()
    {
        IntPtr libm = IntPtr.Zero;
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libm.so.6", out libm))
            Assert.Ignore("needs glibc's libm");
        var log1p = (delegate* unmanaged<double, double>)NativeLibrary.GetExport(libm, "log1p");
        var rng = new System.Random(1);
        var inputs = new List<double> { 0, -0.5, 1e-30, -1e-17, 0.41421356, -0.29289321, 1e300, 3 };
        for (int i = 0; i < 100_000; i++) inputs.Add(-rng.NextDouble());     // the Box–Muller domain (-1, 0]
        for (int i = 0; i < 10_000; i++) inputs.Add(Math.ScaleB(rng.NextDouble(), rng.Next(-60, 60)));
        int exact = 0;
        foreach (double x in inputs)
        {
            long expected = BitConverter.DoubleToInt64Bits(log1p(x));
            Assert.That(BitConverter.DoubleToInt64Bits(Log1P.Compute(x)), Is.EqualTo(expected), $"log1p({x:R})");
            long managed = BitConverter.DoubleToInt64Bits(Log1P.Managed(x));
            Assert.That(Math.Abs(managed - expected), Is.LessThanOrEqualTo(1), $"managed log1p({x:R})");
            if (managed == expected) exact++;
        }
        Assert.That(exact, Is.GreaterThan(inputs.Count * 99 / 100), "managed port should match glibc almost everywhere");
        NativeLibrary.Free(libm);
    }

    [Test]
    public void Log1PEdgeCases()
    {
        Assert.That(Log1P.Compute(-1), Is.EqualTo(double.NegativeInfinity));
        Assert.That(double.IsNaN(Log1P.Compute(-2)));
        Assert.That(Log1P.Compute(double.PositiveInfinity), Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void AvxLogAndSinCosStayCloseToTheTrueFunctions()
    {
        var rng = new System.Random(2);
        for (int i = 0; i < 100_000; i++)
        {
            float u = 1f - (rng.Next(1 << 24) / 16777216f);        // (0, 1], the kernel's log domain
            Assert.That(AvxMathFun.Log(u), Is.EqualTo(Math.Log(u)).Within(2e-7 + 2e-7 * Math.Abs(Math.Log(u))), $"log({u:R})");
            float theta = (float)(2 * Math.PI) * (rng.Next(1 << 24) / 16777216f); // [0, 2 pi)
            AvxMathFun.SinCos(theta, out float s, out float c);
            Assert.That(s, Is.EqualTo(Math.Sin(theta)).Within(3e-7), $"sin({theta:R})");
            Assert.That(c, Is.EqualTo(Math.Cos(theta)).Within(3e-7), $"cos({theta:R})");
        }
        Assert.That(float.IsNaN(AvxMathFun.Log(0f)));
    }
}
