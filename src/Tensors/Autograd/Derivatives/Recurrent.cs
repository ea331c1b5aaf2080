namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for the ops ATen's recurrent layers record (aten/src/ATen/native/RNN.cpp and
// mkldnn/RNN.cpp): the multi-output splits of a sequence and of the gates, the in-place transpose of a batch_first
// result, and the whole float32 LSTM layer.
internal static partial class Derivatives
{
    public static readonly Derivative
        // unbind(dim): one node for all pieces; the pieces' gradients are stacked back (zeros for pieces that got none),
        // so T steps cost one join. ints: [dim]; the recording op sets the node's output count to the piece count.
        Unbind = Derivative.AllInputs("UnbindBackward0", Saves.None, static c => [JoinPieces(c, unbind: true)]),
        // unsafe_split / unsafe_chunk: pieces that are not autograd views; gradients concatenated. ints: [dim, sizes…].
        UnsafeSplit = Derivative.AllInputs("UnsafeSplitBackward0", Saves.None, static c => [JoinPieces(c, unbind: false)]),
        // transpose_(dim0, dim1) (rnn_tanh/rnn_relu/gru turning a batch_first result around in place). ints: [dim0, dim1].
        TransposeInPlace = new("TransposeBackward1", (Saves.None, static c => c.grad.transpose((int)c.ints[0], (int)c.ints[1]))),
        // mkldnn_rnn_layer (a float32 LSTM layer on the CPU, FusedLstm): inputs x, w_ih, w_hh, b_ih, b_hh, h0, c0;
        // outputs (output, h_n, c_n). state: FusedLstm.Saved (the activated gates and states kept by the forward pass).
        MkldnnRnnLayer = Derivative.AllInputs("MkldnnRnnLayerBackward0",
            Saves.Self | Saves.Other | Saves.Input2 | (Saves)(1 << 5) | (Saves)(1 << 6), static c => FusedLstm.Backward(c), outputs: 3);

    private static Tensor? JoinPieces(BackwardContext c, bool unbind)
    {
        var g = c.grads;
        Tensor? any = null;
        foreach (var x in g) if (x is not null) { any = x; break; }
        if (any is null) return null;
        int dim = (int)c.ints[0];
        var inShape = c.shape(0);
        var parts = new Tensor[g.Length];
        for (int k = 0; k < parts.Length; k++)
        {
            if (g[k] is { } gk) { parts[k] = gk; continue; }
            long[] shape = unbind ? [.. inShape[..dim], .. inShape[(dim + 1)..]] : (long[])inShape.Clone();
            if (!unbind) shape[dim] = c.ints[1 + k];
            parts[k] = torch.zeros(shape, dtype: any.dtype, device: any.device);
        }
        return unbind ? torch.stack(parts, dim) : torch.cat(parts, dim);
    }
}
