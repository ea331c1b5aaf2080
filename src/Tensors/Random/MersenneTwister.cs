namespace Notebooks.Tensors;

/// <summary>
/// The 32-bit Mersenne Twister exactly as PyTorch's <c>at::mt19937</c>
/// (aten/src/ATen/core/MT19937RNGEngine.h): the standard MT19937 recurrence and tempering,
/// seeded from the low 32 bits of a 64-bit seed with Knuth's initialiser.
/// <c>left</c>/<c>next</c> are kept in PyTorch's form (not the textbook <c>mti</c>) so that
/// <see cref="Generator.get_state"/> can write them in PyTorch's layout.
/// </summary>
internal sealed class MersenneTwister
{
    internal const int StateSize = 624;   // MERSENNE_STATE_N
    private const int Shift = 397;        // MERSENNE_STATE_M
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _state = new uint[StateSize];

    /// <summary>The full 64-bit seed (PyTorch keeps it, although only 32 bits reach the state).</summary>
    internal ulong Seed { get; private set; }
    internal bool Seeded { get; private set; }
    /// <summary>Outputs left before the next twist, plus one (PyTorch decrements before testing).</summary>
    internal int Left { get; private set; }
    /// <summary>Index of the next state word to temper.</summary>
    internal int Next { get; private set; }
    internal ReadOnlySpan<uint> State => _state;

    internal MersenneTwister(ulong seed) => Reseed(seed);

    internal void Reseed(ulong seed)
    {
        Seed = seed;
        Seeded = true;
        _state[0] = (uint)seed;
        for (int j = 1; j < StateSize; j++)
            _state[j] = 1812433253u * (_state[j - 1] ^ (_state[j - 1] >> 30)) + (uint)j;
        // left = 1 makes the first draw twist the freshly initialised state.
        Left = 1;
        Next = 0;
    }

    internal void Restore(ulong seed, bool seeded, int left, int next, ReadOnlySpan<uint> state)
    {
        if (state.Length != StateSize) throw new ArgumentException($"expected {StateSize} state words", nameof(state));
        if (left < 1 || left > StateSize || next < 0 || next > StateSize)
            throw new ArgumentException("corrupt Mersenne Twister position");
        Seed = seed;
        Seeded = seeded;
        Left = left;
        Next = next;
        state.CopyTo(_state);
    }

    internal void CopyFrom(MersenneTwister other) => Restore(other.Seed, other.Seeded, other.Left, other.Next, other._state);

    internal uint NextUInt32()
    {
        if (--Left == 0) Twist();
        uint y = _state[Next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        uint[] s = _state;
        int k = 0;
        for (; k < StateSize - Shift; k++) s[k] = s[k + Shift] ^ Mix(s[k], s[k + 1]);
        for (; k < StateSize - 1; k++) s[k] = s[k + Shift - StateSize] ^ Mix(s[k], s[k + 1]);
        s[StateSize - 1] = s[Shift - 1] ^ Mix(s[StateSize - 1], s[0]);
        Left = StateSize;
        Next = 0;
    }

    private static uint Mix(uint u, uint v) => (((u & UpperMask) | (v & LowerMask)) >> 1) ^ ((v & 1) != 0 ? MatrixA : 0);
}
