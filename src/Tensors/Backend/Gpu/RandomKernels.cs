using ILGPU;
using ILGPU.Algorithms;

namespace Notebooks.Tensors.Backend.Gpu;

internal enum RandomOp { Uniform, Normal, Integer, Bernoulli, Exponential }

/// <summary>
/// One random fill: the Philox key and block, what to draw and its parameters. Thread t draws the single block
/// (Block, subsequence t) and turns its four words into <see cref="PerThread"/> consecutive elements (row-major),
/// so a tensor's values depend only on (seed, offset) and its shape, never on its strides.
/// </summary>
internal struct RandParams
{
    public int Op;
    /// <summary>Draw in double (53-bit uniforms, two words per value) instead of float (24-bit, one word).</summary>
    public int Wide;
    public int PerThread;
    public uint Key0, Key1;
    public ulong Block;
    public long Count;
    // Uniform: [A, A + B) with values reaching Hi replaced by Below; Normal: mean A, std B; Exponential: lambda A;
    // Bernoulli: probability A; Integer: Base + bits % Range.
    public double A, B, Hi, Below;
    public int Clamp;
    public long Base;
    public ulong Range;
}

internal static class RandomKernels
{
    private const float TwoPiF = 6.2831853071795864f;
    private const double TwoPi = 6.2831853071795864;

    /// <summary>[0, 1) from the top 24 bits of a word.</summary>
    public static float Unit24(uint w) => (w >> 8) * (1f / 16777216f);

    /// <summary>[0, 1) from 53 bits of two words.</summary>
    public static double Unit53(uint hi, uint lo) => ((((ulong)hi << 32) | lo) >> 11) * (1.0 / 9007199254740992.0);

    public static void Fill<T, E>(Index1D t, ArrayView<T> dst, Dims d, Strd s, RandParams p) where T : unmanaged where E : struct, IElem<T>
    {
        var w = Philox.Block(new UInt4((uint)p.Block, (uint)(p.Block >> 32), (uint)t.X, 0u), p.Key0, p.Key1);
        long first = (long)t.X * p.PerThread;
        for (int j = 0; j < p.PerThread; j++)
        {
            long idx = first + j;
            if (idx >= p.Count) return;
            dst[s.At(idx, d)] = Draw<T, E>(w, j, p);
        }
    }

    /// <summary>bernoulli(p) with one probability per element (p contiguous, float64, in row-major order).</summary>
    public static void BernoulliTensor<T, E>(Index1D t, ArrayView<T> dst, Dims d, Strd s, ArrayView<double> prob, RandParams p)
        where T : unmanaged where E : struct, IElem<T>
    {
        var w = Philox.Block(new UInt4((uint)p.Block, (uint)(p.Block >> 32), (uint)t.X, 0u), p.Key0, p.Key1);
        long first = (long)t.X * 4;
        for (int j = 0; j < 4; j++)
        {
            long idx = first + j;
            if (idx >= p.Count) return;
            dst[s.At(idx, d)] = default(E).FromL(Unit24(w.Word(j)) < prob[idx] ? 1 : 0);
        }
    }

    private static T Draw<T, E>(UInt4 w, int j, RandParams p) where T : unmanaged where E : struct, IElem<T>
    {
        switch ((RandomOp)p.Op)
        {
            case RandomOp.Uniform:
            {
                T r = p.Wide != 0
                    ? default(E).FromD(Unit53(w.Word(2 * j), w.Word(2 * j + 1)) * p.B + p.A)
                    : default(E).FromF(Unit24(w.Word(j)) * (float)p.B + (float)p.A);
                // Rounding (to the dtype, or of u·(to-from)+from) may land on `to`; PyTorch's range is half-open.
                return p.Clamp != 0 && default(E).ToD(r) >= p.Hi ? default(E).FromD(p.Below) : r;
            }
            case RandomOp.Normal:
            {
                // Box–Muller on a pair of uniforms: u1 in (0, 1] keeps the log finite; the pair yields cos and sin.
                int pair = j / 2;
                if (p.Wide != 0)
                {
                    double u1 = 1.0 - Unit53(w.X, w.Y), u2 = Unit53(w.Z, w.W);
                    double r = XMath.Sqrt(-2.0 * XMath.Log(u1));
                    double z = (j & 1) == 0 ? r * XMath.Cos(TwoPi * u2) : r * XMath.Sin(TwoPi * u2);
                    return default(E).FromD(z * p.B + p.A);
                }
                else
                {
                    float u1 = 1f - Unit24(w.Word(2 * pair)), u2 = Unit24(w.Word(2 * pair + 1));
                    float r = XMath.Sqrt(-2f * XMath.Log(u1));
                    float z = (j & 1) == 0 ? r * XMath.Cos(TwoPiF * u2) : r * XMath.Sin(TwoPiF * u2);
                    return default(E).FromF(z * (float)p.B + (float)p.A);
                }
            }
            case RandomOp.Integer:
            {
                ulong bits = p.Wide != 0 ? ((ulong)w.Word(2 * j) << 32) | w.Word(2 * j + 1) : w.Word(j);
                return default(E).FromL((long)(bits % p.Range + (ulong)p.Base));
            }
            case RandomOp.Bernoulli:
                return default(E).FromL(Unit24(w.Word(j)) < p.A ? 1 : 0);
            default:
            {
                // Exponential: -log(1 - u) / lambda with u in [0, 1), finite and >= 0.
                double u = Unit53(w.Word(2 * j), w.Word(2 * j + 1));
                return default(E).FromD(-XMath.Log(1.0 - u) / p.A);
            }
        }
    }
}
