using System.Buffers.Binary;

namespace Notebooks.Tensors;

/// <summary>
/// The state of a CUDA generator as PyTorch's <c>CUDAGeneratorImpl</c> keeps it: a seed (Philox's key) and a
/// Philox offset in 32-bit words (aten/src/ATen/cuda/CUDAGeneratorImpl.cpp). Every random op reserves counter space
/// by advancing the offset by a multiple of 4 (one 128-bit block per thread), so successive calls never reuse a
/// counter and the same (seed, offset) replays the same numbers.
/// </summary>
internal sealed class PhiloxState
{
    /// <summary>PyTorch's CUDA state is 16 bytes: seed uint64, then the Philox offset as int64.</summary>
    public const int StateByteCount = 16;

    private readonly Lock _sync = new();
    private ulong _seed = Generator.DefaultSeed;
    private ulong _offset;

    public ulong Seed { get { lock (_sync) return _seed; } }
    public ulong Offset { get { lock (_sync) return _offset; } }

    /// <summary>CUDAGeneratorImpl::set_current_seed: a new key restarts the counter.</summary>
    public void Reseed(ulong seed)
    {
        lock (_sync) { _seed = seed; _offset = 0; }
    }

    /// <summary>The (seed, offset) to draw from now, moving the offset past <paramref name="words"/> 32-bit words.</summary>
    public (ulong seed, ulong offset) Reserve(ulong words)
    {
        // philox_cuda_state rounds each reservation up to whole blocks of 4 words.
        ulong increment = (words + 3) / 4 * 4;
        lock (_sync)
        {
            var r = (_seed, _offset);
            _offset += increment;
            return r;
        }
    }

    public byte[] GetState()
    {
        var b = new byte[StateByteCount];
        lock (_sync)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, _seed);
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), (long)_offset);
        }
        return b;
    }

    /// <summary>CUDAGeneratorImpl::set_state: 16 bytes, or 8 (a seed alone, offset 0); the offset must be a multiple of 4.</summary>
    public void SetState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateByteCount && state.Length != 8) throw new ArgumentException("RNG state is wrong size");
        ulong seed = BinaryPrimitives.ReadUInt64LittleEndian(state);
        long offset = state.Length == StateByteCount ? BinaryPrimitives.ReadInt64LittleEndian(state[8..]) : 0;
        if (offset % 4 != 0) throw new ArgumentException("offset must be a multiple of 4");
        lock (_sync) { _seed = seed; _offset = (ulong)offset; }
    }
}
