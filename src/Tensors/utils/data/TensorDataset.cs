namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class utils
    {
        public static partial class data
        {
            /// <summary>A map-style dataset: <c>dataset[i]</c> gives an item, <c>len()</c> the number of items.</summary>
            public interface Dataset<out T>
            {
                T this[long index] { get; }
                long len();
            }

            /// <summary>Samples are the i-th rows of each tensor (all must share the first dimension).</summary>
            public sealed class TensorDataset : Dataset<Tensor[]>
            {
                public Tensor[] tensors { get; }

                public TensorDataset(params Tensor[] tensors)
                {
                    if (tensors.Length == 0 || tensors.Any(t => t.dim() == 0 || t.size(0) != tensors[0].size(0)))
                        throw new ArgumentException("Size mismatch between tensors");
                    this.tensors = tensors;
                }

                public Tensor[] this[long index] => tensors.Select(t => t.select(0, index)).ToArray();

                public long len() => tensors[0].size(0);
            }
        }
    }
}
