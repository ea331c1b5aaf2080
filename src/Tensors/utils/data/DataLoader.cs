using System.Collections;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class utils
    {
        public static partial class data
        {
            /// <summary>
            /// Batches of a <see cref="TensorDataset"/> as Tensor[] (one stacked tensor per dataset tensor), for foreach.
            /// With shuffle, each pass draws its order as PyTorch's RandomSampler does: a seed from
            /// <c>torch.empty((), dtype=torch.int64).random_()</c> on the default generator (or the given one is used
            /// directly), then randperm(n) from a generator seeded with it.
            /// </summary>
            public sealed class DataLoader : IEnumerable<Tensor[]>
            {
                public Dataset<Tensor[]> dataset { get; }
                public long? batch_size { get; }
                public bool shuffle { get; }
                public bool drop_last { get; }
                public Generator? generator { get; }

                public DataLoader(Dataset<Tensor[]> dataset, long? batch_size = 1, bool shuffle = false, bool drop_last = false, Generator? generator = null)
                {
                    if (batch_size is <= 0) throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batch_size}");
                    this.dataset = dataset; this.batch_size = batch_size; this.shuffle = shuffle; this.drop_last = drop_last; this.generator = generator;
                }

                /// <summary>The number of batches.</summary>
                public long len()
                {
                    long n = dataset.len();
                    if (batch_size is not { } b) return n;
                    return drop_last ? n / b : (n + b - 1) / b;
                }

                private long[] Order()
                {
                    long n = dataset.len();
                    if (!shuffle) return Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
                    var g = generator;
                    if (g is null)
                    {
                        // torch.empty((), dtype=torch.int64).random_(): one 64-bit draw kept on [0, 2^63).
                        var seed = new long[1];
                        Generator.Default.FillRandom<long>(seed);
                        g = new Generator().manual_seed(seed[0]);
                    }
                    return torch.randperm(n, generator: g).ToArray<long>();
                }

                public IEnumerator<Tensor[]> GetEnumerator()
                {
                    var order = Order();
                    if (batch_size is not { } b)
                    {
                        foreach (var i in order) yield return dataset[i];
                        yield break;
                    }
                    for (long start = 0; start < order.Length; start += b)
                    {
                        long end = Math.Min(start + b, order.Length);
                        if (end - start < b && drop_last) yield break;
                        var items = new List<Tensor[]>();
                        for (long k = start; k < end; k++) items.Add(dataset[order[k]]);
                        // default_collate: stack each field of the samples.
                        yield return Enumerable.Range(0, items[0].Length).Select(f => torch.stack(items.Select(it => it[f]).ToArray())).ToArray();
                    }
                }

                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            }
        }
    }
}
