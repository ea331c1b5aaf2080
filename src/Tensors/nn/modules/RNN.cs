using Notebooks.Tensors.Autograd;
using Mode = Notebooks.Tensors.Autograd.Recurrent.Mode;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// PyTorch's <c>nn.RNNBase</c> (torch/nn/modules/rnn.py): the settings, the parameters per layer and direction
        /// under PyTorch's names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0 with proj_size,
        /// then the same with _reverse, then layer 1), all drawn from U(-1/√hidden_size, 1/√hidden_size) in that
        /// order, the input/hidden checks with PyTorch's messages, and the repr.
        /// </summary>
        public abstract class RNNBase : Module
        {
            public string mode { get; }
            public long input_size { get; }
            public long hidden_size { get; }
            public int num_layers { get; }
            public new bool bias { get; }
            public bool batch_first { get; }
            public double dropout { get; }
            public bool bidirectional { get; }
            public long proj_size { get; }

            private readonly List<string[]> _all_weights = [];
            private protected readonly Mode _mode;

            private protected RNNBase(string mode, long input_size, long hidden_size, int num_layers, bool bias, bool batch_first,
                double dropout, bool bidirectional, long proj_size, Device? device, DType? dtype)
            {
                this.mode = mode; this.input_size = input_size; this.hidden_size = hidden_size; this.num_layers = num_layers;
                this.bias = bias; this.batch_first = batch_first; this.dropout = dropout; this.bidirectional = bidirectional;
                this.proj_size = proj_size;
                if (double.IsNaN(dropout) || dropout < 0 || dropout > 1)
                    throw new ArgumentException("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
                if (dropout > 0 && num_layers == 1)
                    warnings.warnFromLibrary("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects " +
                        $"num_layers greater than 1, but got dropout={PyRepr.Float(dropout)} and num_layers={num_layers}");
                if (hidden_size <= 0) throw new ArgumentException("hidden_size must be greater than zero");
                if (num_layers <= 0) throw new ArgumentException("num_layers must be greater than zero");
                if (proj_size < 0) throw new ArgumentException("proj_size should be a positive integer or zero to disable projections");
                if (proj_size >= hidden_size) throw new ArgumentException("proj_size has to be smaller than hidden_size");
                _mode = mode switch
                {
                    "LSTM" => Mode.Lstm,
                    "GRU" => Mode.Gru,
                    "RNN_TANH" => Mode.RnnTanh,
                    "RNN_RELU" => Mode.RnnRelu,
                    _ => throw new ArgumentException("Unrecognized RNN mode: " + mode),
                };
                long gateSize = Recurrent.Gates(_mode) * hidden_size;
                int dirs = bidirectional ? 2 : 1;
                long realHidden = proj_size > 0 ? proj_size : hidden_size;
                for (int layer = 0; layer < num_layers; layer++)
                    for (int direction = 0; direction < dirs; direction++)
                    {
                        long layerInput = layer == 0 ? input_size : realHidden * dirs;
                        var suffix = direction == 1 ? "_reverse" : "";
                        var names = new List<string> { $"weight_ih_l{layer}{suffix}", $"weight_hh_l{layer}{suffix}" };
                        var values = new List<Tensor> { torch.empty([gateSize, layerInput], dtype, device), torch.empty([gateSize, realHidden], dtype, device) };
                        if (bias)
                        {
                            names.Add($"bias_ih_l{layer}{suffix}"); names.Add($"bias_hh_l{layer}{suffix}");
                            values.Add(torch.empty([gateSize], dtype, device)); values.Add(torch.empty([gateSize], dtype, device));
                        }
                        if (proj_size > 0)
                        {
                            names.Add($"weight_hr_l{layer}{suffix}");
                            values.Add(torch.empty([proj_size, hidden_size], dtype, device));
                        }
                        for (int i = 0; i < names.Count; i++) register_parameter(names[i], Parameter(values[i]));
                        _all_weights.Add([.. names]);
                    }
                reset_parameters();
            }

            /// <summary>Every parameter ~ U(-1/√hidden_size, 1/√hidden_size), in registration order.</summary>
            public void reset_parameters()
            {
                double stdv = hidden_size > 0 ? 1.0 / Math.Sqrt(hidden_size) : 0;
                foreach (var w in parameters()) init.uniform_(w, -stdv, stdv);
            }

            /// <summary>A parameter by its PyTorch name (<c>lstm["weight_hh_l0_reverse"]</c>, Python's <c>lstm.weight_hh_l0_reverse</c>).</summary>
            public Tensor this[string name]
            {
                get => _parameters.TryGetValue(name, out var p) && p is not null ? p
                    : throw new KeyNotFoundException($"'{_get_name()}' object has no attribute '{name}'");
                set => SetParameter(name, value);
            }

            public Tensor weight_ih_l0 { get => this["weight_ih_l0"]; set => this["weight_ih_l0"] = value; }
            public Tensor weight_hh_l0 { get => this["weight_hh_l0"]; set => this["weight_hh_l0"] = value; }
            public Tensor bias_ih_l0 { get => this["bias_ih_l0"]; set => this["bias_ih_l0"] = value; }
            public Tensor bias_hh_l0 { get => this["bias_hh_l0"]; set => this["bias_hh_l0"] = value; }

            /// <summary>The parameters per layer and direction, in the order PyTorch's <c>all_weights</c> lists them.</summary>
            public List<List<Tensor>> all_weights => _all_weights.Select(ws => ws.Select(n => this[n]).ToList()).ToList();

            private protected Recurrent.CellParams[] CellParams()
            {
                var r = new Recurrent.CellParams[_all_weights.Count];
                for (int i = 0; i < r.Length; i++)
                {
                    var ws = _all_weights[i];
                    r[i] = new Recurrent.CellParams(this[ws[0]], this[ws[1]], bias ? this[ws[2]] : null, bias ? this[ws[3]] : null,
                        proj_size > 0 ? this[ws[^1]] : null);
                }
                return r;
            }

            // ---- checks (RNNBase.check_input / get_expected_hidden_size / check_hidden_size) ----

            private protected void CheckInput(Tensor input)
            {
                var w = this[_all_weights[0][0]];
                if (input.dtype != w.dtype)
                    throw new ArgumentException($"input must have the type {w.dtype}, got type {input.dtype}");
                if (input.dim() != 3) throw new ArgumentException($"input must have 3 dimensions, got {input.dim()}");
                if (input_size != input.size(-1))
                    throw new ArgumentException($"input.size(-1) must be equal to input_size. Expected {input_size}, got {input.size(-1)}");
            }

            private protected long[] ExpectedHiddenSize(Tensor input, long size) =>
                [num_layers * (bidirectional ? 2 : 1), batch_first ? input.size(0) : input.size(1), size];

            private protected static void CheckHiddenSize(Tensor hx, long[] expected, string msg = "Expected hidden size {0}, got {1}")
            {
                if (!Shapes.SameShape(hx._shape, expected))
                    throw new ArgumentException(string.Format(msg, PyRepr.Tuple(expected), "[" + string.Join(", ", hx._shape) + "]"));
            }

            /// <summary>Runs the stack on a batched (T, B, I) or (B, T, I) input: ATen's rnn_tanh/rnn_relu/gru/lstm.</summary>
            private protected (Tensor output, Recurrent.Hidden[] finals) RunStack(Tensor input, Tensor hx, Tensor? cx)
            {
                var x = batch_first ? input.transpose(0, 1) : input;
                var hs = Recurrent.Unbind(hx, 0);
                var cs = cx is null ? null : Recurrent.Unbind(cx, 0);
                var hiddens = new Recurrent.Hidden[hs.Length];
                for (int i = 0; i < hs.Length; i++) hiddens[i] = new Recurrent.Hidden(hs[i], cs?[i]);
                var (output, finals) = Recurrent.Run(_mode, x, hiddens, CellParams(), num_layers, dropout, training, bidirectional);
                if (!batch_first) return (output, finals);
                if (_mode == Mode.Lstm) return (output.transpose(0, 1), finals);
                // rnn_tanh/rnn_relu/gru turn their result around in place (transpose_): TransposeBackward1.
                Tensor turned;
                using (new NoGradScope()) turned = output.transpose(0, 1);
                return (Derivatives.TransposeInPlace.Record(turned, output, ints: [0, 1]), finals);
            }

            private protected static Tensor StackH(Recurrent.Hidden[] finals) => torch.stack(Array.ConvertAll(finals, f => f.h), 0);

            /// <summary>Forward hooks receive a tensor; these modules return tuples, so hooks would see only part of it.</summary>
            private protected void RefuseHooks()
            {
                if (_hooks is not null || ModuleHooks.GlobalCount != 0)
                    throw new NotSupportedException($"{_get_name()}.call: module hooks are not supported on recurrent modules (their output is a tuple); call forward directly or remove the hooks");
            }

            /// <summary>RNN.forward and GRU.forward (the same code in rnn.py): unbatched input, hx checks, default zeros.</summary>
            private protected (Tensor output, Tensor h_n) OneHiddenForward(string name, Tensor input, Tensor? hx)
            {
                if (input.dim() != 2 && input.dim() != 3)
                    throw new ArgumentException(name == "RNN"
                        ? $"RNN: Expected input to be 2D or 3D, got {input.dim()}D tensor instead"
                        : $"{name}: Expected input to be 2D or 3D, got {input.dim()}D instead");
                bool batched = input.dim() == 3;
                int batchDim = batch_first ? 0 : 1;
                if (!batched)
                {
                    input = input.unsqueeze(batchDim);
                    if (hx is not null)
                    {
                        if (hx.dim() != 2) throw new ArgumentException($"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor");
                        hx = hx.unsqueeze(1);
                    }
                }
                else if (hx is not null && hx.dim() != 3)
                    throw new ArgumentException($"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor");
                long maxBatch = batch_first ? input.size(0) : input.size(1);
                hx ??= torch.zeros([num_layers * (bidirectional ? 2 : 1), maxBatch, hidden_size], dtype: input.dtype, device: input.device);
                CheckInput(input);
                CheckHiddenSize(hx, ExpectedHiddenSize(input, hidden_size));
                var (output, finals) = RunStack(input, hx, null);
                var hidden = StackH(finals);
                if (!batched) { output = output.squeeze(batchDim); hidden = hidden.squeeze(1); }
                return (output, hidden);
            }

            public override string extra_repr()
            {
                var s = $"{input_size}, {hidden_size}";
                if (proj_size != 0) s += $", proj_size={proj_size}";
                if (num_layers != 1) s += $", num_layers={num_layers}";
                if (!bias) s += ", bias=False";
                if (batch_first) s += ", batch_first=True";
                if (dropout != 0) s += $", dropout={PyRepr.Float(dropout)}";
                if (bidirectional) s += ", bidirectional=True";
                return s;
            }
        }

        /// <summary>
        /// An Elman RNN, h_t = tanh(x_t W_ihᵀ + b_ih + h_(t-1) W_hhᵀ + b_hh) (or ReLU), over (L, N, H_in) — (N, L, H_in)
        /// with batch_first — or an unbatched (L, H_in). <c>var (output, h_n) = rnn.call(x, h0);</c>
        /// </summary>
        public class RNN : RNNBase
        {
            public string nonlinearity { get; }

            public RNN(long input_size, long hidden_size, int num_layers = 1, string nonlinearity = "tanh", bool bias = true,
                bool batch_first = false, double dropout = 0.0, bool bidirectional = false, Device? device = null, DType? dtype = null)
                : base(ModeOf(nonlinearity), input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype)
            {
                this.nonlinearity = nonlinearity;
            }

            private static string ModeOf(string nonlinearity) => nonlinearity switch
            {
                "tanh" => "RNN_TANH",
                "relu" => "RNN_RELU",
                _ => throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."),
            };

            public (Tensor output, Tensor h_n) forward(Tensor input, Tensor? hx = null) => OneHiddenForward("RNN", input, hx);

            public (Tensor output, Tensor h_n) call(Tensor input, Tensor? hx = null)
            {
                RefuseHooks();
                return forward(input, hx);
            }
        }

        /// <summary>
        /// A multi-layer LSTM (gates i, f, g, o in that order of the weights' rows; c_t = f ⊙ c_(t-1) + i ⊙ g,
        /// h_t = o ⊙ tanh(c_t), projected by weight_hr with proj_size). <c>var (output, (h_n, c_n)) = lstm.call(x);</c>
        /// </summary>
        public class LSTM : RNNBase
        {
            public LSTM(long input_size, long hidden_size, int num_layers = 1, bool bias = true, bool batch_first = false,
                double dropout = 0.0, bool bidirectional = false, long proj_size = 0, Device? device = null, DType? dtype = null)
                : base("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size, device, dtype) { }

            public (Tensor output, (Tensor h_n, Tensor c_n) hidden) forward(Tensor input, (Tensor h_0, Tensor c_0)? hx = null)
            {
                if (input.dim() != 2 && input.dim() != 3)
                    throw new ArgumentException($"LSTM: Expected input to be 2D or 3D, got {input.dim()}D instead");
                bool batched = input.dim() == 3;
                int batchDim = batch_first ? 0 : 1;
                if (!batched) input = input.unsqueeze(batchDim);
                long maxBatch = batch_first ? input.size(0) : input.size(1);
                int layers = num_layers * (bidirectional ? 2 : 1);
                Tensor h0, c0;
                if (hx is not { } given)
                {
                    h0 = torch.zeros([layers, maxBatch, proj_size > 0 ? proj_size : hidden_size], dtype: input.dtype, device: input.device);
                    c0 = torch.zeros([layers, maxBatch, hidden_size], dtype: input.dtype, device: input.device);
                }
                else
                {
                    (h0, c0) = given;
                    if (batched && (h0.dim() != 3 || c0.dim() != 3))
                        throw new ArgumentException($"For batched 3-D input, hx and cx should also be 3-D but got ({h0.dim()}-D, {c0.dim()}-D) tensors");
                    if (!batched)
                    {
                        if (h0.dim() != 2 || c0.dim() != 2)
                            throw new ArgumentException($"For unbatched 2-D input, hx and cx should also be 2-D but got ({h0.dim()}-D, {c0.dim()}-D) tensors");
                        h0 = h0.unsqueeze(1); c0 = c0.unsqueeze(1);
                    }
                }
                CheckInput(input);
                CheckHiddenSize(h0, ExpectedHiddenSize(input, proj_size > 0 ? proj_size : hidden_size), "Expected hidden[0] size {0}, got {1}");
                CheckHiddenSize(c0, ExpectedHiddenSize(input, hidden_size), "Expected hidden[1] size {0}, got {1}");
                var (output, finals) = RunStack(input, h0, c0);
                var hy = StackH(finals);
                var cy = torch.stack(Array.ConvertAll(finals, f => f.c!), 0);
                if (!batched) { output = output.squeeze(batchDim); hy = hy.squeeze(1); cy = cy.squeeze(1); }
                return (output, (hy, cy));
            }

            public (Tensor output, (Tensor h_n, Tensor c_n) hidden) call(Tensor input, (Tensor h_0, Tensor c_0)? hx = null)
            {
                RefuseHooks();
                return forward(input, hx);
            }
        }

        /// <summary>
        /// A multi-layer GRU: r, z, n gates (rows of the weights in that order), n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn)),
        /// h_t = (1 - z) ⊙ n + z ⊙ h_(t-1). <c>var (output, h_n) = gru.call(x, h0);</c>
        /// </summary>
        public class GRU : RNNBase
        {
            public GRU(long input_size, long hidden_size, int num_layers = 1, bool bias = true, bool batch_first = false,
                double dropout = 0.0, bool bidirectional = false, Device? device = null, DType? dtype = null)
                : base("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype) { }

            public (Tensor output, Tensor h_n) forward(Tensor input, Tensor? hx = null) => OneHiddenForward("GRU", input, hx);

            public (Tensor output, Tensor h_n) call(Tensor input, Tensor? hx = null)
            {
                RefuseHooks();
                return forward(input, hx);
            }
        }
    }
}
