using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A lookup table of num_embeddings rows, initialised N(0, 1); the padding row starts (and stays) zero.</summary>
        public class Embedding : Module
        {
            public long num_embeddings { get; }
            public long embedding_dim { get; }
            public long? padding_idx { get; }

            public new Tensor weight { get => _parameters["weight"]!; set => SetParameter("weight", value); }

            public Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null, Tensor? _weight = null, bool _freeze = false)
            {
                if (padding_idx is { } p)
                {
                    if (p >= num_embeddings || p < -num_embeddings)
                        throw new ArgumentException(p > 0 ? "Padding_idx must be within num_embeddings" : "Padding_idx must be within num_embeddings");
                    padding_idx = p < 0 ? p + num_embeddings : p;
                }
                this.num_embeddings = num_embeddings;
                this.embedding_dim = embedding_dim;
                this.padding_idx = padding_idx;
                if (_weight is null)
                {
                    weight = Parameter(torch.empty([num_embeddings, embedding_dim]), requires_grad: !_freeze);
                    init.normal_(weight);
                    if (padding_idx is { } pi) using (new NoGradScope()) weight.select(0, pi).fill_(0);
                }
                else weight = Parameter(_weight, requires_grad: !_freeze);
            }

            public static Embedding from_pretrained(Tensor embeddings, bool freeze = true, long? padding_idx = null) =>
                new(embeddings.size(0), embeddings.size(1), padding_idx, embeddings, freeze);

            public override Tensor forward(Tensor input) => functional.embedding(input, weight, padding_idx);

            public override string extra_repr() =>
                $"{num_embeddings}, {embedding_dim}" + (padding_idx is { } p ? $", padding_idx={p}" : "");
        }

        public static partial class functional
        {
            /// <summary>Rows of <paramref name="weight"/> picked by integer <paramref name="input"/>; EmbeddingBackward0 sums the
            /// gradient rows back by index (the padding row gets none).</summary>
            public static Tensor embedding(Tensor input, Tensor weight, long? padding_idx = null)
            {
                if (input.dtype != DType.Int64 && input.dtype != DType.Int32)
                    throw new InvalidOperationException($"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {Autograd.TypeNames.Legacy(input)} instead (while checking arguments for embedding)");
                var flat = input.reshape(-1).to(DType.Int64);
                Tensor r;
                using (new NoGradScope()) r = weight.index_select(0, flat).reshape([.. input._shape, weight.size(1)]);
                return GradMode.ShouldRecord(weight) ? Derivatives.Embedding.Record(r, weight, state: (flat, padding_idx)) : r;
            }
        }
    }
}
