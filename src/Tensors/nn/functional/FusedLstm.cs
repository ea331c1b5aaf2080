using System.Numerics.Tensors;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors.Autograd;

/// <summary>
/// A whole LSTM layer-direction as one recorded op, for float32 on the CPU — where PyTorch runs oneDNN's fused layer
/// (<c>mkldnn_rnn_layer</c>, grad_fn MkldnnRnnLayerBackward0) instead of the composed cells. Forward: the input
/// projection of all steps in one product (both biases folded into it, as oneDNN does), then per step one product
/// h·W_hhᵀ and one pass over the gates (vectorised sigmoid/tanh, c and h written in place). Backward: per step one
/// pass for the gate gradients and one product for dh; the weight and input gradients are three products over all
/// steps at once. It saves the activated gates and the states; nothing per step is recorded. Its derivative row is
/// <see cref="Derivatives.MkldnnRnnLayer"/>.
/// </summary>
internal static class FusedLstm
{
    public static bool Applies(Tensor input, Recurrent.CellParams p) =>
        input.dtype == DType.Float32 && input.device.type == "cpu" && p.w_hr is null
        && p.w_ih.dtype == DType.Float32 && p.w_ih.device.type == "cpu";

    /// <summary>The layer over input (T, B, I) from (h0, c0), stepping backwards in time when <paramref name="reverse"/>.</summary>
    public static (Tensor output, Recurrent.Hidden final) Layer(Tensor input, Recurrent.Hidden hidden, Recurrent.CellParams p, bool reverse)
    {
        long T = input.size(0), B = input.size(1), I = input.size(2), H = p.w_hh.size(1), G = 4 * H;
        if (T == 0) throw new ArgumentException("Expected sequence length to be larger than 0 in RNN");
        var dev = input.device;
        Tensor gates, hs, cs, tcs, output, hn, cn;
        using (new NoGradScope())
        {
            // All steps' input projections at once; the biases (b_ih + b_hh) folded in.
            var xw = input.reshape(T * B, I).mm(p.w_ih.t());
            var bias = p.b_ih is null ? p.b_hh : p.b_hh is null ? p.b_ih : p.b_ih.add(p.b_hh);
            if (bias is not null) xw.add_(bias);
            var recurrent = new RecurrentProduct(p.w_hh, transposed: true, (int)B);
            gates = Tensor.Empty([T, B, G], DType.Float32, dev);   // activated i, f, g, o per processing step
            hs = Tensor.Empty([T + 1, B, H], DType.Float32, dev);  // h before each step, then after the last
            cs = Tensor.Empty([T + 1, B, H], DType.Float32, dev);
            tcs = Tensor.Empty([T, B, H], DType.Float32, dev);     // tanh(c) after each step
            hs.select(0, 0).copy_(hidden.h);
            cs.select(0, 0).copy_(hidden.c!);
            var xws = Span(xw);
            var gs = Span(gates); var hsp = Span(hs); var csp = Span(cs); var tsp = Span(tcs);
            for (long k = 0; k < T; k++)
            {
                long t = reverse ? T - 1 - k : k;
                var hw = recurrent.Times(hs.select(0, k));
                StepForward(xws.Slice((int)(t * B * G), (int)(B * G)), hw, gs.Slice((int)(k * B * G), (int)(B * G)),
                    csp.Slice((int)(k * B * H), (int)(B * H)), csp.Slice((int)((k + 1) * B * H), (int)(B * H)),
                    tsp.Slice((int)(k * B * H), (int)(B * H)), hsp.Slice((int)((k + 1) * B * H), (int)(B * H)), (int)B, (int)H);
            }
            var steps = hs.slice(0, 1, T + 1);
            output = (reverse ? steps.flip(0) : steps).contiguous();
            if (ReferenceEquals(output, steps)) output = steps.clone();
            hn = hs.select(0, T).clone();
            cn = cs.select(0, T).clone();
        }
        if (Derivatives.MkldnnRnnLayer.NodeFor(output, [input, p.w_ih, p.w_hh, p.b_ih, p.b_hh, hidden.h, hidden.c],
                state: new Saved(gates, hs, cs, tcs, reverse, p.b_ih, p.b_hh)) is { } node)
        {
            output.WithGrad(node, 0); hn.WithGrad(node, 1); cn.WithGrad(node, 2);
        }
        return (output, new Recurrent.Hidden(hn, cn));
    }

    /// <summary>
    /// The recurrent product of every step, rows (B × K) times W_hhᵀ (forward) or W_hh (backward), with W_hh packed
    /// into the GEMM's panels once per pass rather than once per step, into one result buffer reused by every step.
    /// Products small enough for the direct loops take mm as before, so every product rounds as mm's would.
    /// </summary>
    private sealed unsafe class RecurrentProduct
    {
        private readonly Tensor _w, _rhs, _result;
        private readonly HostGemm.PackedRhs? _packed;
        private readonly int _m, _k, _n;

        public RecurrentProduct(Tensor whh, bool transposed, int rows)
        {
            _w = whh.contiguous();
            _rhs = transposed ? _w.t() : _w;
            _m = rows; _k = (int)_rhs.size(0); _n = (int)_rhs.size(1);
            _result = Tensor.EmptyForWrite([rows, _n], DType.Float32, Device.CPU);
            if ((long)_m * _k * _n < HostGemm.DirectLimit) return;
            fixed (float* w = Span(_w))
                _packed = HostGemm.Pack(_k, _n, w, (nint)_rhs._strides[0], (nint)_rhs._strides[1]);
        }

        /// <summary>lhs (rows × K, contiguous) times the right operand; the span is valid until the next call.</summary>
        public Span<float> Times(Tensor lhs)
        {
            if (_packed is null) return Span(lhs.mm(_rhs).contiguous());
            var r = Span(_result);
            fixed (float* a = Span(lhs)) fixed (float* c = r)
                HostGemm.Multiply(_m, _k, a, _k, 1, _packed, c, _n, 1, Environment.ProcessorCount);
            return r;
        }
    }

    internal static Span<float> Span(Tensor t)
    {
        if (!t.is_contiguous()) throw new InvalidOperationException("FusedLstm expects contiguous buffers");
        return HostMemory.Elements<float>(t.Buffer);
    }

    /// <summary>pre = xw + hw; i, f, o = σ, g = tanh; c' = f·c + i·g; h' = o·tanh(c'). Rows of 4H gates: [i f g o].</summary>
    private static void StepForward(ReadOnlySpan<float> xw, ReadOnlySpan<float> hw, Span<float> gates, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tc, Span<float> h, int B, int H)
    {
        TensorPrimitives.Add(xw, hw, gates);
        for (int b = 0; b < B; b++)
        {
            var row = gates.Slice(b * 4 * H, 4 * H);
            var i = row[..H]; var f = row.Slice(H, H); var g = row.Slice(2 * H, H); var o = row.Slice(3 * H, H);
            TensorPrimitives.Sigmoid(i, i); TensorPrimitives.Sigmoid(f, f); TensorPrimitives.Tanh(g, g); TensorPrimitives.Sigmoid(o, o);
            var cb = c.Slice(b * H, H);
            TensorPrimitives.Multiply(f, cPrev.Slice(b * H, H), cb);
            TensorPrimitives.MultiplyAdd(i, g, cb, cb);
            var tb = tc.Slice(b * H, H);
            TensorPrimitives.Tanh(cb, tb);
            TensorPrimitives.Multiply(o, tb, h.Slice(b * H, H));
        }
    }

    /// <summary>
    /// The gate gradients of one step from dh (incoming, output's included) and dc; leaves dc_prev in <paramref name="dc"/>.
    /// do = dh·tanh(c) → ·o(1-o); dc += dh·o·(1 - tanh²c); di = dc·g → ·i(1-i); df = dc·c_prev → ·f(1-f);
    /// dg = dc·i → ·(1-g²); dc_prev = dc·f.
    /// </summary>
    internal static void StepBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> tc, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dGates, int B, int H)
    {
        for (int b = 0; b < B; b++)
        {
            var row = gates.Slice(b * 4 * H, 4 * H); var drow = dGates.Slice(b * 4 * H, 4 * H);
            for (int j = 0; j < H; j++)
            {
                float i = row[j], f = row[H + j], g = row[2 * H + j], o = row[3 * H + j];
                float t = tc[b * H + j], dhj = dh[b * H + j];
                float dcj = dc[b * H + j] + dhj * o * (1 - t * t);
                drow[j] = dcj * g * i * (1 - i);
                drow[H + j] = dcj * cPrev[b * H + j] * f * (1 - f);
                drow[2 * H + j] = dcj * i * (1 - g * g);
                drow[3 * H + j] = dhj * t * o * (1 - o);
                dc[b * H + j] = dcj * f;
            }
        }
    }

    /// <summary>What the forward pass keeps for the backward: activated gates, states, tanh(c) per step; the biases.</summary>
    internal sealed record Saved(Tensor Gates, Tensor Hs, Tensor Cs, Tensor Tcs, bool Reverse, Tensor? BIh, Tensor? BHh);

    /// <summary>
    /// MkldnnRnnLayerBackward0's formula: inputs x, w_ih, w_hh, b_ih, b_hh, h0, c0; outputs (output, h_n, c_n). Per
    /// step, backwards through the processing order: one gate-gradient pass and one product for dh; then the weight
    /// and input gradients as three products over all steps. With create_graph it recomputes the composed layer and
    /// differentiates that, as PyTorch's mkldnn_rnn_layer_differentiable_backward does.
    /// </summary>
    internal static Tensor?[] Backward(BackwardContext c)
    {
        var st = c.state<Saved>();
        var x = c.input(0); var wih = c.input(1); var whh = c.input(2);
        if (GradMode.Enabled) return Differentiable(c, st, x, wih, whh);
        long T = x.size(0), B = x.size(1), I = x.size(2), H = whh.size(1), G4 = 4 * H;
        var dev = x.device;
        var g = c.grads;
        var dG = Tensor.Empty([T, B, G4], DType.Float32, dev);   // gate gradients per processing step
        var dh = (g[1] ?? torch.zeros([B, H], DType.Float32, dev)).contiguous().clone();
        var dc = (g[2] ?? torch.zeros([B, H], DType.Float32, dev)).contiguous().clone();
        var gOut = g[0]?.contiguous();
        var gates = Span(st.Gates); var tcs = Span(st.Tcs); var cs = Span(st.Cs);
        var dGs = Span(dG);
        var dhTotal = Tensor.Empty([B, H], DType.Float32, dev);
        var recurrent = new RecurrentProduct(whh, transposed: false, (int)B);
        for (long k = T - 1; k >= 0; k--)
        {
            long t = st.Reverse ? T - 1 - k : k;
            var dht = Span(dhTotal);
            if (gOut is not null) TensorPrimitives.Add(Span(dh), Span(gOut).Slice((int)(t * B * H), (int)(B * H)), dht);
            else Span(dh).CopyTo(dht);
            StepBackward(gates.Slice((int)(k * B * G4), (int)(B * G4)), tcs.Slice((int)(k * B * H), (int)(B * H)),
                cs.Slice((int)(k * B * H), (int)(B * H)), dht, Span(dc), dGs.Slice((int)(k * B * G4), (int)(B * G4)), (int)B, (int)H);
            if (k > 0 || c.needs(5)) recurrent.Times(dG.select(0, k)).CopyTo(Span(dh));
        }
        var dGTime = (st.Reverse ? dG.flip(0) : dG).reshape(T * B, G4);
        var r = new Tensor?[7];
        if (c.needs(0)) r[0] = dGTime.mm(wih).reshape(T, B, I);
        if (c.needs(1)) r[1] = dGTime.t().mm(x.reshape(T * B, I));
        if (c.needs(2)) r[2] = dG.reshape(T * B, G4).t().mm(st.Hs.slice(0, 0, T).reshape(T * B, H));
        if (c.needs(3) || c.needs(4))
        {
            var db = dG.reshape(T * B, G4).sum(0);
            if (c.needs(3)) r[3] = db;
            if (c.needs(4)) r[4] = db;
        }
        if (c.needs(5)) r[5] = dh;
        if (c.needs(6)) r[6] = dc;
        return r;
    }

    private static Tensor?[] Differentiable(BackwardContext c, Saved st, Tensor x, Tensor wih, Tensor whh)
    {
        var h0 = c.input(5); var c0 = c.input(6);
        Tensor?[] inputs = [x, wih, whh, st.BIh, st.BHh, h0, c0];
        var used = new List<int>();
        for (int i = 0; i < inputs.Length; i++) if (inputs[i] is not null && c.needs(i)) used.Add(i);
        var r = new Tensor?[7];
        var p = new Recurrent.CellParams(wih, whh, st.BIh, st.BHh);
        var (output, final) = Recurrent.ComposedLayer(Recurrent.Mode.Lstm, x, new Recurrent.Hidden(h0, c0), p, st.Reverse);
        Tensor[] outs = [output, final.h, final.c!];
        var outList = new List<Tensor>(); var gradList = new List<Tensor?>();
        for (int i = 0; i < 3; i++) if (c.grads[i] is not null) { outList.Add(outs[i]); gradList.Add(c.grads[i]); }
        if (outList.Count == 0 || used.Count == 0) return r;
        var grads = torch.autograd.grad([.. outList], [.. used.Select(i => inputs[i]!)], [.. gradList], create_graph: true, allow_unused: true);
        for (int k = 0; k < used.Count; k++) r[used[k]] = grads[k];
        return r;
    }
}
