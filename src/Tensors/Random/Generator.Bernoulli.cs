using System.Numerics;

namespace Notebooks.Tensors;

public sealed partial class Generator
{
    /// <summary>
    /// bernoulli_(p) with a scalar p: each element is <c>uniform &lt; p</c> with a 53-bit double uniform
    /// (templates::cpu::bernoulli_kernel with at::bernoulli_distribution&lt;double&gt;,
    /// aten/src/ATen/native/cpu/DistributionTemplates.h). This is PyTorch's path when it is built without MKL
    /// or runs on a non-Intel CPU. MKL builds on Intel CPUs instead draw one 32-bit seed and sample with MKL's
    /// MCG31 stream (bernoulli_scalar_kernel, aten/src/ATen/native/cpu/DistributionKernels.cpp); that stream is
    /// not reproduced here.
    /// </summary>
    internal void FillBernoulli<T>(Span<T> dst, double p) where T : unmanaged, INumberBase<T>
    {
        CheckProbability(p);
        lock (_sync)
        {
            foreach (ref T x in dst) x = UnitDouble53(Random64()) < p ? T.One : T.Zero;
        }
    }

    /// <summary>bernoulli_(p) with a float32 probability per element: at::bernoulli_distribution&lt;float&gt;,
    /// a 24-bit float uniform compared in float.</summary>
    internal void FillBernoulli<T>(Span<T> dst, ReadOnlySpan<float> p) where T : unmanaged, INumberBase<T>
    {
        if (p.Length != dst.Length) throw new ArgumentException("bernoulli_: p must have one probability per element");
        foreach (float pi in p) CheckProbability(pi);   // all checked before any draw, as PyTorch does
        lock (_sync)
        {
            for (int i = 0; i < dst.Length; i++) dst[i] = UnitFloat24(Random32()) < p[i] ? T.One : T.Zero;
        }
    }

    /// <summary>bernoulli_(p) with a float64 probability per element: at::bernoulli_distribution&lt;double&gt;.</summary>
    internal void FillBernoulli<T>(Span<T> dst, ReadOnlySpan<double> p) where T : unmanaged, INumberBase<T>
    {
        if (p.Length != dst.Length) throw new ArgumentException("bernoulli_: p must have one probability per element");
        foreach (double pi in p) CheckProbability(pi);
        lock (_sync)
        {
            for (int i = 0; i < dst.Length; i++) dst[i] = UnitDouble53(Random64()) < p[i] ? T.One : T.Zero;
        }
    }

    private static void CheckProbability(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"bernoulli_ expects p to be in [0, 1], but got p={p}");
    }
}
