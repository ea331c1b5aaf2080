using System.Buffers.Binary;

namespace Notebooks.Tensors;

public sealed partial class Generator
{
    // get_state/set_state use the byte layout of PyTorch's CPUGeneratorImplState
    // (aten/src/ATen/CPUGeneratorImpl.cpp), little-endian, x86-64 alignment:
    //   legacy THGeneratorState: uint64 the_initial_seed; int32 left; int32 seeded; uint64 next;
    //                            uint64 state[624]; double normal_x, normal_y, normal_rho;
    //                            int32 normal_is_valid; (4 bytes padding)
    //   float next_float_normal_sample; bool is_next_float_normal_sample_valid; (3 bytes padding)
    // The cached double normal travels in normal_y, as in PyTorch; normal_x and normal_rho are unused.
    private const int SeedOffset = 0, LeftOffset = 8, SeededOffset = 12, NextOffset = 16, StateOffset = 24;
    private const int NormalYOffset = StateOffset + MersenneTwister.StateSize * 8 + 8;
    private const int NormalValidOffset = NormalYOffset + 16;
    private const int FloatNormalOffset = NormalValidOffset + 8;
    private const int FloatNormalValidOffset = FloatNormalOffset + 4;
    internal const int StateByteCount = FloatNormalValidOffset + 4; // 5056, torch.get_rng_state().numel()

    /// <summary>A snapshot of the generator (<c>torch.Generator.get_state</c>).</summary>
    public byte[] get_state()
    {
        if (_philox is { } p) return p.GetState();
        var bytes = new byte[StateByteCount];
        Span<byte> b = bytes;
        lock (_sync)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b[SeedOffset..], _engine.Seed);
            BinaryPrimitives.WriteInt32LittleEndian(b[LeftOffset..], _engine.Left);
            BinaryPrimitives.WriteInt32LittleEndian(b[SeededOffset..], _engine.Seeded ? 1 : 0);
            BinaryPrimitives.WriteUInt64LittleEndian(b[NextOffset..], (ulong)_engine.Next);
            ReadOnlySpan<uint> state = _engine.State;
            for (int i = 0; i < state.Length; i++)
                BinaryPrimitives.WriteUInt64LittleEndian(b[(StateOffset + 8 * i)..], state[i]);
            if (_nextDoubleNormal is double d)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(b[NormalYOffset..], d);
                BinaryPrimitives.WriteInt32LittleEndian(b[NormalValidOffset..], 1);
            }
            if (_nextFloatNormal is float f)
            {
                BinaryPrimitives.WriteSingleLittleEndian(b[FloatNormalOffset..], f);
                b[FloatNormalValidOffset] = 1;
            }
        }
        return bytes;
    }

    /// <summary>Restores a snapshot taken by <see cref="get_state"/> and returns this generator.</summary>
    public Generator set_state(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_philox is { } p) { p.SetState(state); return this; }
        if (state.Length != StateByteCount)
            throw new ArgumentException($"RNG state must have {StateByteCount} bytes, got {state.Length}", nameof(state));
        ReadOnlySpan<byte> b = state;
        var words = new uint[MersenneTwister.StateSize];
        for (int i = 0; i < words.Length; i++)
        {
            ulong w = BinaryPrimitives.ReadUInt64LittleEndian(b[(StateOffset + 8 * i)..]);
            if (w > uint.MaxValue) throw new ArgumentException("corrupt RNG state: state word exceeds 32 bits", nameof(state));
            words[i] = (uint)w;
        }
        ulong next = BinaryPrimitives.ReadUInt64LittleEndian(b[NextOffset..]);
        if (next > MersenneTwister.StateSize) throw new ArgumentException("corrupt RNG state: next out of range", nameof(state));
        lock (_sync)
        {
            _engine.Restore(
                BinaryPrimitives.ReadUInt64LittleEndian(b[SeedOffset..]),
                BinaryPrimitives.ReadInt32LittleEndian(b[SeededOffset..]) != 0,
                BinaryPrimitives.ReadInt32LittleEndian(b[LeftOffset..]),
                (int)next,
                words);
            _nextDoubleNormal = BinaryPrimitives.ReadInt32LittleEndian(b[NormalValidOffset..]) != 0
                ? BinaryPrimitives.ReadDoubleLittleEndian(b[NormalYOffset..])
                : null;
            _nextFloatNormal = b[FloatNormalValidOffset] != 0
                ? BinaryPrimitives.ReadSingleLittleEndian(b[FloatNormalOffset..])
                : null;
        }
        return this;
    }
}
