using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors.Autograd;

/// <summary>
/// A whole LSTM layer-direction as one recorded op, for float32 on the CPU — where PyTorch runs oneDNN's fused layer
/// (<c>mkldnn_rnn_layer</c>, grad_fn MkldnnRnnLayerBackward0) instead of the composed cells. Forward: the input
/// projection of all steps in one product written straight into the gate buffer (both biases folded into it, as
/// oneDNN does), then per step one product h·W_hhᵀ and one pass over the gates (vectorised sigmoid/tanh, c and h
/// written in place; the folded biases are added to a step's rows just before its product's). Backward: per step one pass for the gate gradients and one product for dh; the weight and input
/// gradients are three products over all steps at once. It saves the activated gates and the states; nothing per
/// step is recorded. Its derivative row is <see cref="Derivatives.MkldnnRnnLayer"/>.
/// <para>
/// Threads split the batch, not the products: a batch row's recurrence never reads another row, so each thread runs
/// every step for its own rows with no synchronisation between steps (a product per step split across threads cost
/// a fork and join per step, and on two cores doubled the CPU time). Every element is computed by the same operations
/// whatever the split, so the results do not depend on the thread count.
/// </para>
/// <para>
/// Layout: gates, tanh(c) and gate gradients are stored in time order; the states in a [T + 1] buffer where time t
/// reads its previous state from row <see cref="Prev"/> and writes its new one to <see cref="Next"/> (forwards, row
/// 0 is the initial state; backwards, row T), so the output is a contiguous slice in time order either way.
/// </para>
/// </summary>
internal static class FusedLstm
{
    public static bool Applies(Tensor input, Recurrent.CellParams p) =>
        input.dtype == DType.Float32 && input.device.type == "cpu" && p.w_hr is null
        && p.w_ih.dtype == DType.Float32 && p.w_ih.device.type == "cpu";

    private static long Prev(long t, bool reverse) => reverse ? t + 1 : t;
    private static long Next(long t, bool reverse) => reverse ? t : t + 1;

    /// <summary>The layer over input (T, B, I) from (h0, c0), stepping backwards in time when <paramref name="reverse"/>.</summary>
    public static unsafe (Tensor output, Recurrent.Hidden final) Layer(Tensor input, Recurrent.Hidden hidden, Recurrent.CellParams p, bool reverse)
    {
        long T = input.size(0), B = input.size(1), I = input.size(2), H = p.w_hh.size(1), G = 4 * H;
        if (T == 0) throw new ArgumentException("Expected sequence length to be larger than 0 in RNN");
        var dev = input.device;
        Tensor gates, hs, cs, tcs, output, hn, cn;
        using (new NoGradScope())
        {
            gates = Tensor.Empty([T, B, G], DType.Float32, dev);   // x·W_ihᵀ + biases, then the activated i, f, g, o
            hs = Tensor.Empty([T + 1, B, H], DType.Float32, dev);  // the states, see Prev/Next
            cs = Tensor.Empty([T + 1, B, H], DType.Float32, dev);
            tcs = Tensor.Empty([T, B, H], DType.Float32, dev);     // tanh(c) after each step
            // All steps' input projections at once, written into the gate buffer (x·W_ihᵀ as mm rounds it).
            var x = input.contiguous(); var wih = p.w_ih.contiguous();
            fixed (float* px = Span(x)) fixed (float* pw = Span(wih)) fixed (float* pg = Span(gates))
                HostGemm.Multiply((int)(T * B), (int)G, (int)I, px, (nint)I, 1, pw, 1, (nint)I, pg, (nint)G, 1, HostParallel.Threads);
            // Both biases folded into one vector, added to each step's rows by the thread that owns them (a broadcast
            // add_ over all of the gates ran on one thread, 3-4× slower than a plain add).
            var bias = (p.b_ih is null ? p.b_hh : p.b_hh is null ? p.b_ih : p.b_ih.add(p.b_hh))?.contiguous();
            hs.select(0, reverse ? T : 0).copy_(hidden.h);
            cs.select(0, reverse ? T : 0).copy_(hidden.c!);
            var recurrent = new RecurrentProduct(p.w_hh, transposed: true, (int)B);
            fixed (float* pg = Span(gates)) fixed (float* ph = Span(hs)) fixed (float* pc = Span(cs)) fixed (float* pt = Span(tcs))
            fixed (float* pb = bias is null ? default : Span(bias))
            {
                var run = new ForwardRun(recurrent, (nint)pg, (nint)pb, (nint)ph, (nint)pc, (nint)pt, T, B, H, reverse);
                recurrent.ForRowRanges(run.Rows);
            }
            output = hs.slice(0, reverse ? 0 : 1, reverse ? T : T + 1).clone();
            hn = hs.select(0, reverse ? 0 : T).clone();
            cn = cs.select(0, reverse ? 0 : T).clone();
        }
        if (Derivatives.MkldnnRnnLayer.NodeFor(output, [input, p.w_ih, p.w_hh, p.b_ih, p.b_hh, hidden.h, hidden.c],
                state: new Saved(gates, hs, cs, tcs, reverse, p.b_ih, p.b_hh)) is { } node)
        {
            output.WithGrad(node, 0); hn.WithGrad(node, 1); cn.WithGrad(node, 2);
        }
        return (output, new Recurrent.Hidden(hn, cn));
    }

    /// <summary>The forward recurrence over rows [b0, b1) of the batch, every step (one thread's share).</summary>
    private sealed unsafe class ForwardRun(RecurrentProduct product, nint gates, nint bias, nint hs, nint cs, nint tcs, long T, long B, long H, bool reverse)
    {
        public void Rows(int b0, int b1, float* hw)
        {
            long G = 4 * H, nb = b1 - b0;
            for (long k = 0; k < T; k++)
            {
                long t = reverse ? T - 1 - k : k, prev = Prev(t, reverse), next = Next(t, reverse);
                product.Times(nb, (float*)hs + (prev * B + b0) * H, hw);
                if (bias != 0)
                {
                    // (x·W_ihᵀ + b) + h·W_hhᵀ: the bias rounded onto the input projection first, as before.
                    var bv = new ReadOnlySpan<float>((float*)bias, (int)G);
                    for (long r = 0; r < nb; r++)
                    {
                        var row = new Span<float>((float*)gates + ((t * B + b0 + r) * G), (int)G);
                        TensorPrimitives.Add(row, bv, row);
                    }
                }
                StepForward(new ReadOnlySpan<float>(hw, (int)(nb * G)), new Span<float>((float*)gates + (t * B + b0) * G, (int)(nb * G)),
                    new ReadOnlySpan<float>((float*)cs + (prev * B + b0) * H, (int)(nb * H)), new Span<float>((float*)cs + (next * B + b0) * H, (int)(nb * H)),
                    new Span<float>((float*)tcs + (t * B + b0) * H, (int)(nb * H)), new Span<float>((float*)hs + (next * B + b0) * H, (int)(nb * H)),
                    (int)nb, (int)H);
            }
        }
    }

    /// <summary>
    /// The recurrent product of every step, rows × K times W_hhᵀ (forward) or W_hh (backward), with W_hh packed into
    /// the GEMM's panels once per pass rather than once per step. Whether the direct loops or the blocked GEMM run is
    /// decided on the whole batch's product (as mm decides), so a row's result does not depend on how the batch is split.
    /// </summary>
    private sealed unsafe class RecurrentProduct
    {
        private readonly Tensor _w;
        private readonly HostGemm.PackedRhs? _packed;
        private readonly int _rows, _k, _n;
        private readonly nint _rsb, _csb;

        public RecurrentProduct(Tensor whh, bool transposed, int rows)
        {
            _w = whh.contiguous();
            long r = _w.size(0), c = _w.size(1);
            _rows = rows;
            // Forward: B = W_hhᵀ (H × 4H), element (k, n) at n·H + k. Backward: B = W_hh (4H × H), at k·H + n.
            (_k, _n, _rsb, _csb) = transposed ? ((int)c, (int)r, (nint)1, (nint)c) : ((int)r, (int)c, (nint)c, (nint)1);
            if ((long)rows * _k * _n < HostGemm.DirectLimit) return;
            fixed (float* w = Span(_w)) _packed = HostGemm.Pack(_k, _n, w, _rsb, _csb);
        }

        /// <summary>c (rows × N, contiguous) = a (rows × K, contiguous) · the right operand.</summary>
        public void Times(long rows, float* a, float* c)
        {
            if (_packed is not null) { HostGemm.Multiply((int)rows, _k, a, _k, 1, _packed, c, _n, 1, 1); return; }
            fixed (float* w = Span(_w)) HostGemm.MultiplyDirect((int)rows, _n, _k, a, _k, 1, w, _rsb, _csb, c, _n, 1);
        }

        /// <summary>
        /// Runs body(b0, b1, scratch) over the batch's rows, one contiguous range per thread (at least 8 rows each, one
        /// range when the product is small enough for the direct loops); scratch holds a range's rows × N results.
        /// </summary>
        public void ForRowRanges(RowsBody body)
        {
            int parts = _packed is null ? 1 : Math.Clamp(_rows / 8, 1, HostParallel.Threads);
            if (parts == 1) { Range(body, 0, _rows); return; }
            HostParallel.ForRanges(_rows, parts, (b0, b1) => Range(body, (int)b0, (int)b1));
        }

        private void Range(RowsBody body, int b0, int b1)
        {
            var scratch = GC.AllocateUninitializedArray<float>((b1 - b0) * _n, pinned: true);
            fixed (float* s = scratch) body(b0, b1, s);
        }
    }

    internal unsafe delegate void RowsBody(int b0, int b1, float* scratch);

    internal static Span<float> Span(Tensor t)
    {
        if (!t.is_contiguous()) throw new InvalidOperationException("FusedLstm expects contiguous buffers");
        return HostMemory.Elements<float>(t.Buffer);
    }

    /// <summary>
    /// pre = xw + hw (<paramref name="gates"/> holds xw); i, f, o = σ, g = tanh; c' = f·c + i·g; h' = o·tanh(c').
    /// Rows of 4H gates: [i f g o].
    /// </summary>
    private static void StepForward(ReadOnlySpan<float> hw, Span<float> gates, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> tc, Span<float> h, int B, int H)
    {
        TensorPrimitives.Add(gates, hw, gates);
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
        int W = Vector<float>.Count;
        var one = Vector<float>.One;
        for (int b = 0; b < B; b++)
        {
            var row = gates.Slice(b * 4 * H, 4 * H); var drow = dGates.Slice(b * 4 * H, 4 * H);
            int j = 0;
            // The scalar loop's operations lane by lane, in the same order (so the same bits), a vector at a time.
            if (Vector.IsHardwareAccelerated)
                for (; j + W <= H; j += W)
                {
                    var i = new Vector<float>(row[j..]); var f = new Vector<float>(row[(H + j)..]);
                    var g = new Vector<float>(row[(2 * H + j)..]); var o = new Vector<float>(row[(3 * H + j)..]);
                    var t = new Vector<float>(tc[(b * H + j)..]); var dhj = new Vector<float>(dh[(b * H + j)..]);
                    var dcj = new Vector<float>(dc[(b * H + j)..]) + dhj * o * (one - t * t);
                    (dcj * g * i * (one - i)).CopyTo(drow[j..]);
                    (dcj * new Vector<float>(cPrev[(b * H + j)..]) * f * (one - f)).CopyTo(drow[(H + j)..]);
                    (dcj * i * (one - g * g)).CopyTo(drow[(2 * H + j)..]);
                    (dhj * t * o * (one - o)).CopyTo(drow[(3 * H + j)..]);
                    (dcj * f).CopyTo(dc[(b * H + j)..]);
                }
            for (; j < H; j++)
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
    internal static unsafe Tensor?[] Backward(BackwardContext c)
    {
        var st = c.state<Saved>();
        var x = c.input(0); var wih = c.input(1); var whh = c.input(2);
        if (GradMode.Enabled) return Differentiable(c, st, x, wih, whh);
        long T = x.size(0), B = x.size(1), I = x.size(2), H = whh.size(1), G4 = 4 * H;
        var dev = x.device;
        var g = c.grads;
        // The gate gradients (time order) live only until the products below: a pooled buffer, not a fresh 2 MB
        // large-object array per backward (each of which brought the next full collection closer).
        var dGBuffer = ArrayPool<float>.Shared.Rent(checked((int)(T * B * G4)));
        var dG = new Tensor(HostMemory.Wrap(DType.Float32, dGBuffer), [T, B, G4], [B * G4, G4, 1], 0);
        var dh = (g[1] ?? torch.zeros([B, H], DType.Float32, dev)).contiguous().clone();
        var dc = (g[2] ?? torch.zeros([B, H], DType.Float32, dev)).contiguous().clone();
        var gOut = g[0]?.contiguous();
        var recurrent = new RecurrentProduct(whh, transposed: false, (int)B);
        fixed (float* pg = Span(st.Gates)) fixed (float* pt = Span(st.Tcs)) fixed (float* pc = Span(st.Cs)) fixed (float* pdG = Span(dG))
        fixed (float* pdh = Span(dh)) fixed (float* pdc = Span(dc)) fixed (float* po = gOut is null ? default : Span(gOut))
        {
            var run = new BackwardRun(recurrent, (nint)pg, (nint)pt, (nint)pc, (nint)pdG, (nint)pdh, (nint)pdc, (nint)po, T, B, H, st.Reverse, c.needs(5));
            recurrent.ForRowRanges(run.Rows);
        }
        // The products over all steps sum over (time, batch row) ascending; the biases' gradient likewise.
        var dGAll = dG.view(T * B, G4);
        var r = new Tensor?[7];
        if (c.needs(0)) r[0] = dGAll.mm(wih).reshape(T, B, I);
        if (c.needs(1)) r[1] = dGAll.t().mm(x.reshape(T * B, I));
        if (c.needs(2)) r[2] = dGAll.t().mm(st.Hs.slice(0, Prev(0, st.Reverse), Prev(0, st.Reverse) + T).reshape(T * B, H));
        if (c.needs(3) || c.needs(4))
        {
            var db = dGAll.sum(0);
            if (c.needs(3)) r[3] = db;
            if (c.needs(4)) r[4] = db;
        }
        ArrayPool<float>.Shared.Return(dGBuffer);
        if (c.needs(5)) r[5] = dh;
        if (c.needs(6)) r[6] = dc;
        return r;
    }

    /// <summary>The backward recurrence over rows [b0, b1) of the batch, every step from the last processed to the first.</summary>
    private sealed unsafe class BackwardRun(RecurrentProduct product, nint gates, nint tcs, nint cs, nint dG, nint dh, nint dc, nint gOut,
        long T, long B, long H, bool reverse, bool needsDh0)
    {
        public void Rows(int b0, int b1, float* dhTotal)
        {
            long G4 = 4 * H, nb = b1 - b0;
            var dht = new Span<float>(dhTotal, (int)(nb * H));
            var dhRows = new Span<float>((float*)dh + b0 * H, (int)(nb * H));
            for (long k = T - 1; k >= 0; k--)
            {
                long t = reverse ? T - 1 - k : k;
                if (gOut != 0) TensorPrimitives.Add(dhRows, new ReadOnlySpan<float>((float*)gOut + (t * B + b0) * H, (int)(nb * H)), dht);
                else dhRows.CopyTo(dht);
                float* dGt = (float*)dG + (t * B + b0) * G4;
                StepBackward(new ReadOnlySpan<float>((float*)gates + (t * B + b0) * G4, (int)(nb * G4)),
                    new ReadOnlySpan<float>((float*)tcs + (t * B + b0) * H, (int)(nb * H)),
                    new ReadOnlySpan<float>((float*)cs + (Prev(t, reverse) * B + b0) * H, (int)(nb * H)), dht,
                    new Span<float>((float*)dc + b0 * H, (int)(nb * H)), new Span<float>(dGt, (int)(nb * G4)), (int)nb, (int)H);
                if (k > 0 || needsDh0) product.Times(nb, dGt, (float*)dh + b0 * H);
            }
        }
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
