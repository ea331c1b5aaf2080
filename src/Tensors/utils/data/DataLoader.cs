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
            /// Each pass consumes the random stream as PyTorch's does, so a seeded script draws the same numbers after it:
            /// starting a pass (<c>iter(loader)</c>) draws the iterator's base seed,
            /// <c>torch.empty((), dtype=torch.int64).random_(generator=loader.generator)</c> (_BaseDataLoaderIter.__init__
            /// in torch/utils/data/dataloader.py; drawn even with num_workers=0, where nothing uses it); then, with
            /// shuffle, the order is drawn as RandomSampler draws it: a seed from the default generator the same way (or
            /// the loader's generator is used directly), then randperm(n) from a generator seeded with it.
            /// </summary>
            public sealed class DataLoader : IEnumerable<Tensor[]>
            {
                public Dataset<Tensor[]> dataset { get; }
                public long? batch_size { get; }
                public bool shuffle { get; }
                public bool drop_last { get; }
                public Generator? generator { get; }

                /// <summary>The worker count asked for. Items are always loaded in this process, in order.</summary>
                public int num_workers { get; }

                /// <remarks>
                /// <paramref name="num_workers"/> is accepted so PyTorch code ports unchanged (the blitz tutorials pass 2);
                /// the batches are the same as PyTorch's with workers (workers only change where items are loaded, and
                /// each pass draws the same seeds), except for a data set that draws from the global generator per item,
                /// which PyTorch's workers reseed per worker.
                /// </remarks>
                public DataLoader(Dataset<Tensor[]> dataset, long? batch_size = 1, bool shuffle = false, bool drop_last = false, Generator? generator = null,
                    int num_workers = 0)
                {
                    if (batch_size is <= 0) throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batch_size}");
                    // torch/utils/data/dataloader.py, DataLoader.__init__.
                    if (num_workers < 0) throw new ArgumentException("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
                    this.dataset = dataset; this.batch_size = batch_size; this.shuffle = shuffle; this.drop_last = drop_last; this.generator = generator;
                    this.num_workers = num_workers;
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
                    // The base seed is drawn when the pass starts, before the sampler's draws (RandomSampler.__iter__ is a
                    // generator, so its seed is drawn at the first next()).
                    (generator ?? Generator.Default).FillRandom<long>(new long[1]);
                    return Batches();
                }

                private IEnumerator<Tensor[]> Batches()
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
