namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class utils
    {
        public static partial class data
        {
            /// <summary>The items of <paramref name="dataset"/> at <paramref name="indices"/> (torch.utils.data.Subset).</summary>
            public sealed class Subset<T>(Dataset<T> dataset, IReadOnlyList<long> indices) : Dataset<T>
            {
                public Dataset<T> dataset { get; } = dataset;
                public IReadOnlyList<long> indices { get; } = indices;

                /// <summary><c>self.dataset[self.indices[idx]]</c>: a Python list index, so negative counts from the end.</summary>
                public T this[long index]
                {
                    get
                    {
                        long i = index < 0 ? index + indices.Count : index;
                        if (i < 0 || i >= indices.Count) throw new IndexOutOfRangeException("list index out of range");
                        return dataset[indices[(int)i]];
                    }
                }

                public long len() => indices.Count;
            }

            /// <summary>
            /// Splits <paramref name="dataset"/> into non-overlapping random subsets of the given lengths, or of the
            /// given fractions (summing to 1: floor(fraction·len) each, the remainder handed out one by one from the
            /// first), drawn as one <c>randperm</c> from <paramref name="generator"/> (the default generator when null),
            /// as torch/utils/data/dataset.py's random_split.
            /// </summary>
            public static Subset<T>[] random_split<T>(Dataset<T> dataset, double[] lengths, Generator? generator = null)
            {
                long n = dataset.len();
                long[] sizes;
                double sum = lengths.Sum();
                // Python: math.isclose(sum(lengths), 1) and sum(lengths) <= 1 (isclose: relative 1e-9).
                if (Math.Abs(sum - 1) <= 1e-9 * Math.Max(Math.Abs(sum), 1) && sum <= 1)
                {
                    sizes = new long[lengths.Length];
                    for (int i = 0; i < lengths.Length; i++)
                    {
                        if (lengths[i] < 0 || lengths[i] > 1) throw new ArgumentException($"Fraction at index {i} is not between 0 and 1");
                        sizes[i] = (long)Math.Floor(n * lengths[i]);
                    }
                    long remainder = n - sizes.Sum();
                    for (long i = 0; i < remainder; i++) sizes[i % sizes.Length]++;
                    for (int i = 0; i < sizes.Length; i++)
                        if (sizes[i] == 0) warnings.warn($"Length of split at index {i} is 0. This might result in an empty dataset.");
                }
                else
                {
                    sizes = new long[lengths.Length];
                    for (int i = 0; i < lengths.Length; i++)
                    {
                        // Python's sum over the given ints; randperm then refuses a negative or fractional total.
                        if (lengths[i] != Math.Floor(lengths[i]))
                            throw new ArgumentException("Sum of input lengths does not equal the length of the input dataset!");
                        sizes[i] = (long)lengths[i];
                    }
                }
                if (sizes.Sum() != n) throw new ArgumentException("Sum of input lengths does not equal the length of the input dataset!");
                var order = randperm(n, generator: generator).ToArray<long>();
                var subsets = new Subset<T>[sizes.Length];
                int offset = 0;
                for (int i = 0; i < sizes.Length; i++)
                {
                    subsets[i] = new Subset<T>(dataset, order[offset..(offset + (int)sizes[i])]);
                    offset += (int)sizes[i];
                }
                return subsets;
            }

            /// <summary><see cref="random_split{T}(Dataset{T}, double[], Generator?)"/> with lengths as item counts.</summary>
            public static Subset<T>[] random_split<T>(Dataset<T> dataset, long[] lengths, Generator? generator = null) =>
                random_split(dataset, lengths.Select(l => (double)l).ToArray(), generator);
        }
    }
}
