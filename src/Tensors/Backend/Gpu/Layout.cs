namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>
/// An iteration shape passed to kernels by value (no per-launch device buffer). Fields rather than an array because
/// kernel parameters must be plain structs; <see cref="MaxRank"/> dims remain after merging, which covers PyTorch's
/// usual ranks.
/// </summary>
internal struct Dims
{
    public const int MaxRank = 8;
    public int Rank;
    public long N0, N1, N2, N3, N4, N5, N6, N7;

    public readonly long Get(int d) => d switch { 0 => N0, 1 => N1, 2 => N2, 3 => N3, 4 => N4, 5 => N5, 6 => N6, _ => N7 };

    public void Set(int d, long v)
    {
        switch (d) { case 0: N0 = v; break; case 1: N1 = v; break; case 2: N2 = v; break; case 3: N3 = v; break; case 4: N4 = v; break; case 5: N5 = v; break; case 6: N6 = v; break; default: N7 = v; break; }
    }
}

/// <summary>One operand's strides (in elements) and offset over a <see cref="Dims"/>.</summary>
internal struct Strd
{
    public long Offset;
    public long S0, S1, S2, S3, S4, S5, S6, S7;

    public readonly long Get(int d) => d switch { 0 => S0, 1 => S1, 2 => S2, 3 => S3, 4 => S4, 5 => S5, 6 => S6, _ => S7 };

    public void Set(int d, long v)
    {
        switch (d) { case 0: S0 = v; break; case 1: S1 = v; break; case 2: S2 = v; break; case 3: S3 = v; break; case 4: S4 = v; break; case 5: S5 = v; break; case 6: S6 = v; break; default: S7 = v; break; }
    }

    /// <summary>The storage index of row-major element <paramref name="linear"/>.</summary>
    public readonly long At(long linear, Dims d)
    {
        long off = Offset;
        for (int k = d.Rank - 1; k >= 0; k--)
        {
            long n = d.Get(k);
            off += linear % n * Get(k);
            linear /= n;
        }
        return off;
    }
}

internal static class Layouts
{
    /// <summary>
    /// Drops size-1 dims and merges dims that are contiguous in every operand (as the CPU's StridedLoop does), so
    /// kernels do less index arithmetic and any rank that collapses to <see cref="Dims.MaxRank"/> works.
    /// </summary>
    public static (Dims dims, Strd[] strides) Make(long[] shape, params StridedBuffer[] ops)
    {
        var n = new List<long>();
        var s = ops.Select(_ => new List<long>()).ToArray();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            if (n.Count > 0)
            {
                int last = n.Count - 1;
                bool merge = true;
                for (int o = 0; o < ops.Length; o++)
                    if (s[o][last] != ops[o]._strides[d] * shape[d]) { merge = false; break; }
                if (merge)
                {
                    n[last] *= shape[d];
                    for (int o = 0; o < ops.Length; o++) s[o][last] = ops[o]._strides[d];
                    continue;
                }
            }
            n.Add(shape[d]);
            for (int o = 0; o < ops.Length; o++) s[o].Add(ops[o]._strides[d]);
        }
        if (n.Count > Dims.MaxRank)
            throw new NotSupportedException($"the CUDA backend handles at most {Dims.MaxRank} non-mergeable dims, got {n.Count}");
        var dims = new Dims { Rank = n.Count };
        for (int d = 0; d < n.Count; d++) dims.Set(d, n[d]);
        var strides = new Strd[ops.Length];
        for (int o = 0; o < ops.Length; o++)
        {
            strides[o].Offset = ops[o]._offset;
            for (int d = 0; d < n.Count; d++) strides[o].Set(d, s[o][d]);
        }
        return (dims, strides);
    }

    /// <summary>A layout from explicit shape/strides (no merging), for the reduced block of a reduction.</summary>
    public static (Dims, Strd) Raw(long[] shape, long[] strides, long offset)
    {
        if (shape.Length > Dims.MaxRank) throw new NotSupportedException($"the CUDA backend handles at most {Dims.MaxRank} dims here, got {shape.Length}");
        var d = new Dims { Rank = shape.Length };
        var s = new Strd { Offset = offset };
        for (int i = 0; i < shape.Length; i++) { d.Set(i, shape[i]); s.Set(i, strides[i]); }
        return (d, s);
    }
}
