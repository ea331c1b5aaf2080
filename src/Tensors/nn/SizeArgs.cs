namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// An int or a tuple of ints, as PyTorch's <c>_size_2_t</c>: <c>kernel_size: 5</c> or <c>kernel_size: (2, 4)</c>.
        /// A single number is repeated for every spatial dimension (<c>_pair(5) == (5, 5)</c>).
        /// </summary>
        public readonly struct _size_t
        {
            internal readonly long[] Values;
            private _size_t(long[] values) => Values = values;

            public static implicit operator _size_t(int v) => new([v]);
            public static implicit operator _size_t(long v) => new([v]);
            public static implicit operator _size_t((int, int) v) => new([v.Item1, v.Item2]);
            public static implicit operator _size_t((long, long) v) => new([v.Item1, v.Item2]);
            public static implicit operator _size_t(long[] v) => new((long[])v.Clone());
            public static implicit operator _size_t(int[] v) => new(Array.ConvertAll(v, x => (long)x));

            internal bool IsSet => Values is not null;

            /// <summary>The values for <paramref name="n"/> dimensions (PyTorch's _ntuple: one value repeated, or exactly n).</summary>
            internal long[] Expand(int n, string name)
            {
                if (Values.Length == 1) return Enumerable.Repeat(Values[0], n).ToArray();
                if (Values.Length != n) throw new ArgumentException($"{name} must be either a single int, or a tuple of {n} ints");
                return (long[])Values.Clone();
            }
        }

        /// <summary>A convolution's padding: a <see cref="_size_t"/> or one of the strings 'valid' and 'same'.</summary>
        public readonly struct _padding_t
        {
            internal readonly _size_t Size;
            internal readonly string? Mode;
            private _padding_t(_size_t size, string? mode) { Size = size; Mode = mode; }

            public static implicit operator _padding_t(int v) => new(v, null);
            public static implicit operator _padding_t(long v) => new(v, null);
            public static implicit operator _padding_t((int, int) v) => new(v, null);
            public static implicit operator _padding_t((long, long) v) => new(v, null);
            public static implicit operator _padding_t(long[] v) => new(v, null);
            public static implicit operator _padding_t(int[] v) => new(v, null);
            public static implicit operator _padding_t(string v) => new(default, v);
        }
    }
}
