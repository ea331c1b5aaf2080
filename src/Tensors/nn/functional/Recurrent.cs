namespace Notebooks.Tensors.Autograd;

/// <summary>
/// ATen's recurrent layers (aten/src/ATen/native/RNN.cpp), composed from differentiable ops exactly as its CPU path
/// composes them, so autograd records the same graph (and the same grad_fn names: StackBackward0, AddBackward0, ...)
/// and the cuda backend runs them with the ops it already has. Per layer the input projection of every time step is
/// one matrix product (<c>linear_ih(inputs)</c> over [T, B, I], ATen's <c>pre_compute_input</c>); each step then adds
/// <c>linear_hh(h)</c> and applies the cell's gate math.
/// </summary>
internal static class Recurrent
{
    internal enum Mode { RnnTanh, RnnRelu, Lstm, Gru }

    /// <summary>One layer-direction's weights (ATen's CellParams); w_hr only for LSTMs with projections.</summary>
    internal sealed record CellParams(Tensor w_ih, Tensor w_hh, Tensor? b_ih, Tensor? b_hh, Tensor? w_hr = null)
    {
        public Tensor LinearIh(Tensor x) => torch.nn.functional.linear(x, w_ih, b_ih);
        public Tensor LinearHh(Tensor h) => torch.nn.functional.linear(h, w_hh, b_hh);
        public Tensor MatmulHr(Tensor h) => w_hr is null ? h : h.matmul(w_hr.t());
    }

    /// <summary>A cell's state: h, and c for LSTMs.</summary>
    internal readonly record struct Hidden(Tensor h, Tensor? c);

    public static int Gates(Mode mode) => mode switch { Mode.Lstm => 4, Mode.Gru => 3, _ => 1 };

    /// <summary>
    /// One step (ATen's SimpleCell / LSTMCell / GRUCell CPU code). With <paramref name="preComputed"/> the input is
    /// already <c>linear_ih(x)</c>. ATen writes some of these in place (add_, sigmoid_ on chunks); the out-of-place
    /// forms compute the same numbers in the same order.
    /// </summary>
    public static Hidden Cell(Mode mode, Tensor input, Hidden hidden, CellParams p, bool preComputed)
    {
        var hx = hidden.h;
        switch (mode)
        {
            case Mode.RnnTanh:
            case Mode.RnnRelu:
            {
                var pre = p.LinearHh(hx).add(preComputed ? input : p.LinearIh(input));
                return new Hidden(mode == Mode.RnnTanh ? pre.tanh() : pre.relu(), null);
            }
            case Mode.Lstm:
            {
                var gates = p.LinearHh(hx).add(preComputed ? input : p.LinearIh(input));
                var chunked = UnsafeChunk(gates, 4, 1);
                var ingate = chunked[0].sigmoid();
                var forgetgate = chunked[1].sigmoid();
                var cellgate = chunked[2].tanh();
                var outgate = chunked[3].sigmoid();
                var cy = forgetgate.mul(hidden.c!).add(ingate.mul(cellgate));
                var hy = outgate.mul(cy.tanh());
                return new Hidden(p.MatmulHr(hy), cy);
            }
            default:
            {
                var igates = UnsafeChunk(preComputed ? input : p.LinearIh(input), 3, 1);
                var hgates = UnsafeChunk(p.LinearHh(hx), 3, 1);
                var resetgate = hgates[0].add(igates[0]).sigmoid();
                var inputgate = hgates[1].add(igates[1]).sigmoid();
                var newgate = igates[2].add(hgates[2].mul(resetgate)).tanh();
                return new Hidden(hx.sub(newgate).mul(inputgate).add(newgate), null);
            }
        }
    }

    /// <summary>
    /// One layer-direction. A float32 CPU LSTM runs as one fused op (<see cref="FusedLstm"/>), where PyTorch runs
    /// oneDNN's; everything else as ATen composes it.
    /// </summary>
    private static (Tensor output, Hidden final) Layer(Mode mode, Tensor input, Hidden hidden, CellParams p, bool reverse) =>
        mode == Mode.Lstm && FusedLstm.Applies(input, p) ? FusedLstm.Layer(input, hidden, p, reverse) : ComposedLayer(mode, input, hidden, p, reverse);

    /// <summary>ATen's FullLayer on the CPU: one projection of all steps, then the cell over them; outputs stacked.</summary>
    internal static (Tensor output, Hidden final) ComposedLayer(Mode mode, Tensor input, Hidden hidden, CellParams p, bool reverse)
    {
        var steps = Unbind(p.LinearIh(input), 0);
        if (steps.Length == 0) throw new ArgumentException("Expected sequence length to be larger than 0 in RNN");
        var outputs = new Tensor[steps.Length];
        for (int k = 0; k < steps.Length; k++)
        {
            int t = reverse ? steps.Length - 1 - k : k;
            hidden = Cell(mode, steps[t], hidden, p, preComputed: true);
            outputs[t] = hidden.h;
        }
        return (torch.stack(outputs, 0), hidden);
    }

    /// <summary>
    /// ATen's <c>_rnn_impl</c> + <c>apply_layer_stack</c>: layers (each direction over the same input, outputs joined
    /// on the last dim), dropout between layers while training; returns the last layer's output and every
    /// layer-direction's final state, in weight order. <paramref name="input"/> is (T, B, I).
    /// </summary>
    public static (Tensor output, Hidden[] finals) Run(Mode mode, Tensor input, Hidden[] hiddens, CellParams[] weights,
        int numLayers, double dropout, bool train, bool bidirectional)
    {
        int dirs = bidirectional ? 2 : 1;
        var finals = new Hidden[numLayers * dirs];
        var layerInput = input;
        for (int l = 0; l < numLayers; l++)
        {
            if (!bidirectional)
            {
                (layerInput, finals[l]) = Layer(mode, layerInput, hiddens[l], weights[l], reverse: false);
            }
            else
            {
                var (fw, fwFinal) = Layer(mode, layerInput, hiddens[2 * l], weights[2 * l], reverse: false);
                var (rev, revFinal) = Layer(mode, layerInput, hiddens[2 * l + 1], weights[2 * l + 1], reverse: true);
                finals[2 * l] = fwFinal;
                finals[2 * l + 1] = revFinal;
                layerInput = torch.cat([fw, rev], fw.dim() - 1);
            }
            if (dropout != 0 && train && l < numLayers - 1)
                layerInput = torch.nn.functional.dropout(layerInput, dropout, training: true);
        }
        return (layerInput, finals);
    }

    // ---- multi-output splits: one node for all pieces, so backward joins their gradients once ----

    /// <summary>input.unbind(dim) as views sharing one UnbindBackward0.</summary>
    public static Tensor[] Unbind(Tensor input, int dim)
    {
        int d = Shapes.WrapDim(dim, input._shape.Length);
        long n = input._shape[d];
        var shape = new long[input._shape.Length - 1];
        var strides = new long[shape.Length];
        for (int i = 0, j = 0; i < input._shape.Length; i++)
            if (i != d) { shape[j] = input._shape[i]; strides[j++] = input._strides[i]; }
        var r = new Tensor[n];
        for (int k = 0; k < n; k++)
        {
            long idx = k;
            r[k] = input.MakeView(shape, strides, input._offset + idx * input._strides[d], t => t.select(d, idx));
        }
        if (n > 0 && Derivatives.Unbind.NodeFor(r[0], [input], ints: [d]) is { } node)
        {
            node.NumOutputs = (int)n;
            for (int k = 0; k < n; k++) r[k].WithGrad(node, k);
        }
        return r;
    }

    /// <summary>ATen's unsafe_chunk: equal pieces (the last may be shorter) sharing one UnsafeSplitBackward0.</summary>
    public static Tensor[] UnsafeChunk(Tensor input, int chunks, int dim)
    {
        int d = Shapes.WrapDim(dim, input._shape.Length);
        long n = input._shape[d], size = (n + chunks - 1) / chunks;
        var sizes = new List<long>();
        for (long s = 0; s < n; s += size) sizes.Add(Math.Min(size, n - s));
        var r = new Tensor[sizes.Count];
        long at = 0;
        for (int k = 0; k < r.Length; k++)
        {
            var piece = input.Narrowed(d, at, at + sizes[k], 1);
            // Not a view for autograd (ATen's unsafe_split): fresh tensors over the same memory.
            r[k] = new Tensor(piece._storage, piece._shape, piece._strides, piece._offset) { _isInference = input._isInference };
            at += sizes[k];
        }
        if (r.Length > 0 && Derivatives.UnsafeSplit.NodeFor(r[0], [input], ints: [d, .. sizes]) is { } node)
        {
            node.NumOutputs = r.Length;
            for (int k = 0; k < r.Length; k++) r[k].WithGrad(node, k);
        }
        return r;
    }

    // ---- ATen's argument checks for the cell functions (check_rnn_cell_forward_*) ----

    public static void CheckCellInput(Tensor input, long inputSize)
    {
        if (input.size(1) != inputSize)
            throw new ArgumentException($"input has inconsistent input_size: got {input.size(1)} expected {inputSize}");
    }

    public static void CheckCellHidden(Tensor input, Tensor hx, long hiddenSize, int label)
    {
        if (input.size(0) != hx.size(0))
            throw new ArgumentException($"Input batch size {input.size(0)} doesn't match hidden{label} batch size {hx.size(0)}");
        if (hx.size(1) != hiddenSize)
            throw new ArgumentException($"hidden{label} has inconsistent hidden_size: got {hx.size(1)}, expected {hiddenSize}");
    }

    public static void CheckCellWeights(Tensor w_ih, Tensor w_hh, long hiddenSize, int gates)
    {
        if (w_ih.size(0) != gates * hiddenSize)
            throw new ArgumentException($"weight_ih first dim must be {gates} * hidden_size = {gates * hiddenSize}, but got {w_ih.size(0)}");
        if (w_hh.size(0) != gates * hiddenSize)
            throw new ArgumentException($"weight_hh first dim must be {gates} * hidden_size = {gates * hiddenSize}, but got {w_hh.size(0)}");
    }
}
