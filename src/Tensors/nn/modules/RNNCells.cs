using Notebooks.Tensors.Autograd;
using Mode = Notebooks.Tensors.Autograd.Recurrent.Mode;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// PyTorch's <c>nn.RNNCellBase</c>: weight_ih (gates·hidden, input), weight_hh (gates·hidden, hidden), bias_ih,
        /// bias_hh, drawn from U(-1/√hidden_size, 1/√hidden_size) in that order. One step of the recurrence, on (N, H_in)
        /// or an unbatched (H_in).
        /// </summary>
        public abstract class RNNCellBase : Module
        {
            public long input_size { get; }
            public long hidden_size { get; }
            public new bool bias { get; }

            public Tensor weight_ih { get => _parameters["weight_ih"]!; set => SetParameter("weight_ih", value); }
            public Tensor weight_hh { get => _parameters["weight_hh"]!; set => SetParameter("weight_hh", value); }
            public Tensor? bias_ih { get => _parameters["bias_ih"]; set => SetParameter("bias_ih", value); }
            public Tensor? bias_hh { get => _parameters["bias_hh"]; set => SetParameter("bias_hh", value); }

            private protected RNNCellBase(long input_size, long hidden_size, bool bias, int num_chunks, Device? device, DType? dtype)
            {
                this.input_size = input_size; this.hidden_size = hidden_size; this.bias = bias;
                weight_ih = Parameter(torch.empty([num_chunks * hidden_size, input_size], dtype, device));
                weight_hh = Parameter(torch.empty([num_chunks * hidden_size, hidden_size], dtype, device));
                if (bias)
                {
                    bias_ih = Parameter(torch.empty([num_chunks * hidden_size], dtype, device));
                    bias_hh = Parameter(torch.empty([num_chunks * hidden_size], dtype, device));
                }
                else
                {
                    register_parameter("bias_ih", null);
                    register_parameter("bias_hh", null);
                }
                reset_parameters();
            }

            public void reset_parameters()
            {
                double stdv = hidden_size > 0 ? 1.0 / Math.Sqrt(hidden_size) : 0;
                foreach (var w in parameters()) init.uniform_(w, -stdv, stdv);
            }

            private protected Recurrent.CellParams Params => new(weight_ih, weight_hh, bias_ih, bias_hh);

            /// <summary>Input 1-D or 2-D (PyTorch's ValueError wording); an unbatched input gets a batch of one.</summary>
            private protected static bool Batch(string name, ref Tensor input)
            {
                if (input.dim() != 1 && input.dim() != 2)
                    throw new ArgumentException($"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead");
                if (input.dim() == 2) return true;
                input = input.unsqueeze(0);
                return false;
            }

            private protected void RefuseHooks()
            {
                if (_hooks is not null || ModuleHooks.GlobalCount != 0)
                    throw new NotSupportedException($"{_get_name()}.call: module hooks are not supported on recurrent cells yet; call forward directly or remove the hooks");
            }

            public override string extra_repr()
            {
                var s = $"{input_size}, {hidden_size}";
                if (!bias) s += ", bias=False";
                if (this is RNNCell { nonlinearity: not "tanh" } r) s += $", nonlinearity={r.nonlinearity}";
                return s;
            }
        }

        /// <summary>h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (or ReLU). <c>h = cell.call(x, h);</c></summary>
        public class RNNCell : RNNCellBase
        {
            public string nonlinearity { get; }

            public RNNCell(long input_size, long hidden_size, bool bias = true, string nonlinearity = "tanh", Device? device = null, DType? dtype = null)
                : base(input_size, hidden_size, bias, 1, device, dtype)
            {
                this.nonlinearity = nonlinearity;
            }

            public override Tensor forward(Tensor input) => forward(input, null);

            public Tensor forward(Tensor input, Tensor? hx)
            {
                bool batched = Batch("RNNCell", ref input);
                if (hx is not null && hx.dim() != 1 && hx.dim() != 2)
                    throw new ArgumentException($"RNNCell: Expected hidden to be 1D or 2D, got {hx.dim()}D instead");
                hx = hx is null ? torch.zeros([input.size(0), hidden_size], dtype: input.dtype, device: input.device) : batched ? hx : hx.unsqueeze(0);
                var mode = nonlinearity switch
                {
                    "tanh" => Mode.RnnTanh,
                    "relu" => Mode.RnnRelu,
                    _ => throw new InvalidOperationException($"Unknown nonlinearity: {nonlinearity}"),
                };
                // rnn_tanh_cell / rnn_relu_cell check the weights, then the input, then the hidden state.
                Recurrent.CheckCellWeights(weight_ih, weight_hh, weight_hh.size(1), 1);
                Recurrent.CheckCellInput(input, weight_ih.size(1));
                Recurrent.CheckCellHidden(input, hx, weight_hh.size(1), 0);
                var r = Recurrent.Cell(mode, input, new Recurrent.Hidden(hx, null), Params, preComputed: false).h;
                return batched ? r : r.squeeze(0);
            }

            public Tensor call(Tensor input, Tensor? hx = null)
            {
                RefuseHooks();
                return forward(input, hx);
            }
        }

        /// <summary>One LSTM step: gates i, f, g, o; c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c'). <c>var (h, c) = cell.call(x, (h, c));</c></summary>
        public class LSTMCell : RNNCellBase
        {
            public LSTMCell(long input_size, long hidden_size, bool bias = true, Device? device = null, DType? dtype = null)
                : base(input_size, hidden_size, bias, 4, device, dtype) { }

            public (Tensor h_1, Tensor c_1) forward(Tensor input, (Tensor h_0, Tensor c_0)? hx = null)
            {
                if (input.dim() != 1 && input.dim() != 2)
                    throw new ArgumentException($"LSTMCell: Expected input to be 1D or 2D, got {input.dim()}D instead");
                if (hx is { } given)
                {
                    if (given.h_0.dim() != 1 && given.h_0.dim() != 2)
                        throw new ArgumentException($"LSTMCell: Expected hx[0] to be 1D or 2D, got {given.h_0.dim()}D instead");
                    if (given.c_0.dim() != 1 && given.c_0.dim() != 2)
                        throw new ArgumentException($"LSTMCell: Expected hx[1] to be 1D or 2D, got {given.c_0.dim()}D instead");
                }
                bool batched = Batch("LSTMCell", ref input);
                Tensor h0, c0;
                if (hx is { } s) (h0, c0) = batched ? s : (s.h_0.unsqueeze(0), s.c_0.unsqueeze(0));
                else h0 = c0 = torch.zeros([input.size(0), hidden_size], dtype: input.dtype, device: input.device);
                // lstm_cell checks the input, the weights, then both states.
                Recurrent.CheckCellInput(input, weight_ih.size(1));
                Recurrent.CheckCellWeights(weight_ih, weight_hh, weight_hh.size(1), 4);
                Recurrent.CheckCellHidden(input, h0, weight_hh.size(1), 0);
                Recurrent.CheckCellHidden(input, c0, weight_hh.size(1), 1);
                var r = Recurrent.Cell(Mode.Lstm, input, new Recurrent.Hidden(h0, c0), Params, preComputed: false);
                return batched ? (r.h, r.c!) : (r.h.squeeze(0), r.c!.squeeze(0));
            }

            public (Tensor h_1, Tensor c_1) call(Tensor input, (Tensor h_0, Tensor c_0)? hx = null)
            {
                RefuseHooks();
                return forward(input, hx);
            }
        }

        /// <summary>One GRU step: r, z, n; h' = (1 - z) ⊙ n + z ⊙ h. <c>h = cell.call(x, h);</c></summary>
        public class GRUCell : RNNCellBase
        {
            public GRUCell(long input_size, long hidden_size, bool bias = true, Device? device = null, DType? dtype = null)
                : base(input_size, hidden_size, bias, 3, device, dtype) { }

            public override Tensor forward(Tensor input) => forward(input, null);

            public Tensor forward(Tensor input, Tensor? hx)
            {
                bool batched = Batch("GRUCell", ref input);
                if (hx is not null && hx.dim() != 1 && hx.dim() != 2)
                    throw new ArgumentException($"GRUCell: Expected hidden to be 1D or 2D, got {hx.dim()}D instead");
                hx = hx is null ? torch.zeros([input.size(0), hidden_size], dtype: input.dtype, device: input.device) : batched ? hx : hx.unsqueeze(0);
                // gru_cell checks the input, then the hidden state, then the weights.
                Recurrent.CheckCellInput(input, weight_ih.size(1));
                Recurrent.CheckCellHidden(input, hx, weight_hh.size(1), 0);
                Recurrent.CheckCellWeights(weight_ih, weight_hh, weight_hh.size(1), 3);
                var r = Recurrent.Cell(Mode.Gru, input, new Recurrent.Hidden(hx, null), Params, preComputed: false).h;
                return batched ? r : r.squeeze(0);
            }

            public Tensor call(Tensor input, Tensor? hx = null)
            {
                RefuseHooks();
                return forward(input, hx);
            }
        }
    }
}
