namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for the indexing family (index, index_put, gather, scatter, index_select, index_add, take,
// masked_select, masked_scatter). Each formula is made of differentiable indexing ops, so create_graph works: the
// gradient of index is an accumulating index_put into zeros, and the gradient of that is index again. The index
// tensors travel in `state` (detached copies or the planned, normalised indices), `scalar` holds the dim.
internal static partial class Derivatives
{
    public static readonly Derivative
        // state: the normalised indices (Tensor?[]).
        Index = new("IndexBackward0", (Saves.None, static c =>
            torch.zeros(c.shape(0), dtype: c.grad.dtype, device: c.grad.device).index_put(c.state<Tensor?[]>(), c.grad, accumulate: true))),
        // state: the normalised indices; scalar: accumulate.
        IndexPut = new("IndexPutBackward0",
            (Saves.None, static c => c.scalar.Long != 0
                ? c.grad
                : c.grad.index_put(c.state<Tensor?[]>(), torch.zeros(Array.Empty<long>(), dtype: c.grad.dtype, device: c.grad.device))),
            (Saves.None, static c => c.grad.IndexAdvanced(c.state<Tensor?[]>()))),
        // scalar: dim; state: the index.
        Gather = new("GatherBackward0", (Saves.None, static c =>
            torch.zeros(c.shape(0), dtype: c.grad.dtype, device: c.grad.device).scatter_add((int)c.scalar.Long, c.state<Tensor>(), c.grad))),
        Scatter = new("ScatterBackward0",
            (Saves.None, static c => c.grad.scatter((int)c.scalar.Long, c.state<Tensor>(), 0)),
            (Saves.None, static c => c.grad.gather((int)c.scalar.Long, c.state<Tensor>()))),
        ScatterValue = new("ScatterBackward1", (Saves.None, static c => c.grad.scatter((int)c.scalar.Long, c.state<Tensor>(), 0))),
        ScatterAdd = new("ScatterAddBackward0",
            (Saves.None, static c => c.grad),
            (Saves.None, static c => c.grad.gather((int)c.scalar.Long, c.state<Tensor>()))),
        // scalar: dim; state: the normalised indices.
        IndexSelect = new("IndexSelectBackward0", (Saves.None, static c =>
            c.shape(0).Length == 0
                ? c.grad.clone()
                : torch.zeros(c.shape(0), dtype: c.grad.dtype, device: c.grad.device).index_put(c.state<Tensor?[]>(), c.grad, accumulate: true))),
        // scalar: dim; state: (index, alpha).
        IndexAdd = new("IndexAddBackward0",
            (Saves.None, static c => c.grad),
            (Saves.None, static c =>
            {
                var (ix, alpha) = c.state<(Tensor, Scalar?)>();
                var picked = (c.grad._shape.Length == 0 ? c.grad.reshape(1) : c.grad).index_select((int)c.scalar.Long, ix);
                return (alpha is { } a ? picked.mul(a) : picked).reshape(c.shape(1));
            })),
        // state: the normalised indices into the flattened input.
        Take = new("TakeBackward0", (Saves.None, static c =>
            torch.zeros([Shapes.Numel(c.shape(0))], dtype: c.grad.dtype, device: c.grad.device)
                .index_put(c.state<Tensor?[]>(), c.grad, accumulate: true).reshape(c.shape(0)))),
        // state: (broadcast shape, normalised mask indices); the gradient is summed back to self's shape.
        MaskedSelect = new("MaskedSelectBackward0", (Saves.None, static c =>
        {
            var (full, norm) = c.state<(long[], Tensor?[])>();
            return torch.zeros(full, dtype: c.grad.dtype, device: c.grad.device).index_put(norm, c.grad, accumulate: true);
        })),
        // state: the broadcast mask.
        MaskedScatter = new("MaskedScatterBackward0",
            (Saves.None, static c => c.grad.masked_fill(c.state<Tensor>(), 0)),
            (Saves.None, static c =>
            {
                var picked = c.grad.masked_select(c.state<Tensor>());
                long srcN = Shapes.Numel(c.shape(1));
                if (picked.numel() < srcN)
                    picked = torch.cat([picked, torch.zeros([srcN - picked.numel()], dtype: c.grad.dtype, device: c.grad.device)]);
                return picked.reshape(c.shape(1));
            })),
        // nn.functional.embedding: the gradient rows summed back by index (state: EmbeddingArgs).
        Embedding = new("EmbeddingBackward0", (Saves.None, static c =>
        {
            var (flat, paddingIdx) = c.state<(Tensor, long?)>();
            long rows = c.shape(0)[0], dim = c.shape(0)[1];
            var g2 = c.grad.reshape(-1, dim);
            if (paddingIdx is { } p) g2 = g2 * flat.ne(p).unsqueeze(1).to(g2.dtype);
            return torch.zeros([rows, dim], dtype: c.grad.dtype, device: c.grad.device).scatter_add(0, flat.unsqueeze(1).expand(flat.size(0), dim), g2);
        }));
}
