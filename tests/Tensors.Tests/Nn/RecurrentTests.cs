using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// nn.RNN / LSTM / GRU and their cells beyond the reference values: gradients against finite differences (float64),
/// shapes for every setting, repr, grad_fn names, and argument checks with PyTorch's wording
/// (torch/nn/modules/rnn.py for the modules, aten/src/ATen/native/RNN.cpp for the cell functions).
/// </summary>
public class RecurrentTests
{
    private static Tensor Randn(params long[] shape) => torch.randn(shape, dtype: torch.float64, requires_grad: true);

    // ---- gradients ----

    [TestCase("lstm"), TestCase("lstm_bi_2layers_batch_first"), TestCase("gru"), TestCase("rnn_relu"), TestCase("lstm_proj")]
    public void Module_gradients_match_finite_differences(string which)
    {
        torch.manual_seed(3);
        nn.RNNBase m = which switch
        {
            "lstm" => new nn.LSTM(3, 4, dtype: torch.float64),
            "lstm_bi_2layers_batch_first" => new nn.LSTM(3, 4, num_layers: 2, bidirectional: true, batch_first: true, dtype: torch.float64),
            "gru" => new nn.GRU(3, 4, num_layers: 2, dtype: torch.float64),
            "rnn_relu" => new nn.RNN(3, 4, nonlinearity: "relu", bidirectional: true, dtype: torch.float64),
            _ => new nn.LSTM(3, 4, proj_size: 2, dtype: torch.float64),
        };
        int dirs = m.bidirectional ? 2 : 1;
        long hsize = m.proj_size > 0 ? m.proj_size : m.hidden_size;
        var x = m.batch_first ? Randn(2, 4, 3) : Randn(4, 2, 3);   // batch 2, sequence 4
        var h0 = Randn(m.num_layers * dirs, 2, hsize);
        var c0 = Randn(m.num_layers * dirs, 2, m.hidden_size);
        var ps = m.parameters().ToArray();
        Tensor[] inputs = [x, h0, c0, .. ps];
        Assert.That(torch.autograd.gradcheck(xs =>
        {
            switch (m)
            {
                case nn.LSTM lstm:
                    var (y, (h, c)) = lstm.forward(xs[0], (xs[1], xs[2]));
                    return [y, h, c];
                case nn.GRU gru:
                    var (gy, gh) = gru.forward(xs[0], xs[1]);
                    return [gy, gh];
                default:
                    var (ry, rh) = ((nn.RNN)m).forward(xs[0], xs[1]);
                    return [ry, rh];
            }
        }, inputs), Is.True);
    }

    [Test]
    public void Cell_gradients_match_finite_differences_twice()
    {
        torch.manual_seed(5);
        var lstm = new nn.LSTMCell(3, 4, dtype: torch.float64);
        var gru = new nn.GRUCell(3, 4, dtype: torch.float64);
        var rnn = new nn.RNNCell(3, 4, nonlinearity: "relu", dtype: torch.float64);
        var x = Randn(2, 3); var h = Randn(2, 4); var c = Randn(2, 4);
        Tensor[] li = [x, h, c, .. lstm.parameters()];
        Assert.That(torch.autograd.gradcheck(xs => { var (h1, c1) = lstm.forward(xs[0], (xs[1], xs[2])); return [h1, c1]; }, li), Is.True);
        Assert.That(torch.autograd.gradgradcheck(xs => { var (h1, c1) = lstm.forward(xs[0], (xs[1], xs[2])); return [h1, c1]; }, li), Is.True);
        Tensor[] gi = [x, h, .. gru.parameters()];
        Assert.That(torch.autograd.gradcheck(xs => gru.forward(xs[0], xs[1]), gi), Is.True);
        Assert.That(torch.autograd.gradgradcheck(xs => gru.forward(xs[0], xs[1]), gi), Is.True);
        Tensor[] ri = [x.abs().detach().requires_grad_(), h, .. rnn.parameters()];
        Assert.That(torch.autograd.gradcheck(xs => rnn.forward(xs[0], xs[1]), ri), Is.True);
    }

    [Test]
    public void Lstm_second_derivatives_match_finite_differences()
    {
        torch.manual_seed(9);
        var m = new nn.LSTM(2, 3, dtype: torch.float64);
        var x = Randn(3, 2, 2);
        Assert.That(torch.autograd.gradgradcheck(xs => { var (y, (h, c)) = m.forward(xs[0]); return [y, h, c]; }, [x, m.weight_hh_l0]), Is.True);
    }

    [TestCase(1, false, false, true, 3, 5, 6), TestCase(2, true, true, true, 3, 5, 6), TestCase(1, false, false, false, 3, 5, 6)]
    [TestCase(1, true, false, true, 16, 32, 24)]
    public void Fused_float32_layer_matches_the_composed_float64_one(int layers, bool bidirectional, bool batchFirst, bool bias,
        int input, int hidden, int batch)
    {
        // The float32 CPU path (FusedLstm: biases folded, one pass per step) against ATen's composition in float64
        // with the same weights: forward values and every gradient agree to float32 precision. The last case is large
        // enough for the packed recurrent product and the batch split across threads. Its reverse direction sums the
        // weight and bias gradients over time ascending where the processing order (time descending) was summed
        // before: a different float32 rounding of the same sums, which the float64 comparison's tolerance covers
        // (relative error ~ √(T·B)·2⁻²⁴ ≈ 6e-7 against rtol 1e-4).
        torch.manual_seed(8);
        var f32 = new nn.LSTM(input, hidden, num_layers: layers, bidirectional: bidirectional, batch_first: batchFirst, bias: bias);
        var f64 = new nn.LSTM(input, hidden, num_layers: layers, bidirectional: bidirectional, batch_first: batchFirst, bias: bias, dtype: torch.float64);
        f64.load_state_dict(f32.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.@double()));
        int dirs = bidirectional ? 2 : 1;
        var x = torch.randn(4, batch, input);
        var h0 = torch.randn(layers * dirs, batchFirst ? 4 : batch, hidden); var c0 = torch.randn(layers * dirs, batchFirst ? 4 : batch, hidden);
        Tensor[] Run(nn.LSTM m, DType dt, Tensor[] leaves)
        {
            var (y, (h, c)) = m.call(leaves[0], (leaves[1], leaves[2]));
            ((y * y).sum() + (h * 2).sum() + (c * c * 0.5).sum()).backward();
            return [y, h, c, .. leaves.Select(l => l.grad!), .. m.parameters().Select(p => p.grad!)];
        }
        var a = Run(f32, torch.float32, [x.clone().requires_grad_(), h0.clone().requires_grad_(), c0.clone().requires_grad_()]);
        var b = Run(f64, torch.float64, [x.@double().requires_grad_(), h0.@double().requires_grad_(), c0.@double().requires_grad_()]);
        Assert.That(a.Length, Is.EqualTo(b.Length));
        for (int i = 0; i < a.Length; i++)
            Assert.That(torch.allclose(a[i].@double(), b[i], rtol: 1e-4, atol: 1e-5), Is.True, $"tensor {i}: max diff {(a[i].@double() - b[i]).abs().max().item<double>()}");
    }

    [Test]
    public void Fused_float32_layer_rows_do_not_depend_on_how_the_batch_is_split()
    {
        // Threads split the batch (24 rows: up to three ranges; 16 rows: up to two), and a row's recurrence reads no
        // other row: the first 16 rows' outputs, final states and input gradients are the same bits either way.
        torch.manual_seed(11);
        var m = new nn.LSTM(16, 32, bidirectional: true);
        var x = torch.randn(5, 24, 16);
        Tensor[] Run(Tensor input)
        {
            var leaf = input.clone().requires_grad_();
            var (y, (h, c)) = m.call(leaf);
            ((y * y).sum() + (h * c).sum()).backward();
            return [y, h, c, leaf.grad!];
        }
        var all = Run(x);
        var part = Run(x.narrow(1, 0, 16));
        Assert.That(torch.equal(all[0].narrow(1, 0, 16), part[0]), Is.True, "output");
        Assert.That(torch.equal(all[1].narrow(1, 0, 16), part[1]), Is.True, "h_n");
        Assert.That(torch.equal(all[2].narrow(1, 0, 16), part[2]), Is.True, "c_n");
        Assert.That(torch.equal(all[3].narrow(1, 0, 16), part[3]), Is.True, "input's gradient");
    }

    [Test]
    public void Fused_float32_layer_has_second_derivatives()
    {
        // create_graph through MkldnnRnnLayerBackward0 recomputes the composed layer: the double backward of
        // Σ (dL/dx)² equals the one taken through the composed float64 layer.
        torch.manual_seed(10);
        var m = new nn.LSTM(2, 3);
        var m64 = new nn.LSTM(2, 3, dtype: torch.float64);
        m64.load_state_dict(m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.@double()));
        Tensor Penalty(nn.LSTM lstm, Tensor x)
        {
            var (y, _) = lstm.call(x);
            var gx = torch.autograd.grad((y * y).sum(), x, create_graph: true)[0]!;
            return (gx * gx).sum();
        }
        var x = torch.randn(3, 2, 2, requires_grad: true);
        var x64 = x.detach().@double().requires_grad_();
        Penalty(m, x).backward();
        Penalty(m64, x64).backward();
        Assert.That(torch.allclose(x.grad!.@double(), x64.grad!, rtol: 1e-4, atol: 1e-5), Is.True);
        Assert.That(torch.allclose(m.weight_hh_l0.grad!.@double(), m64.weight_hh_l0.grad!, rtol: 1e-4, atol: 1e-5), Is.True);
    }

    // ---- shapes and state ----

    [Test]
    public void Shapes_follow_batch_first_bidirectional_layers_and_proj_size()
    {
        torch.manual_seed(0);
        var lstm = new nn.LSTM(4, 6, num_layers: 3, batch_first: true, bidirectional: true, proj_size: 2);
        var (y, (h, c)) = lstm.call(torch.randn(5, 7, 4));
        Assert.That(y.shape, Is.EqualTo(torch.Size(5, 7, 4)));
        Assert.That(h.shape, Is.EqualTo(torch.Size(6, 5, 2)));
        Assert.That(c.shape, Is.EqualTo(torch.Size(6, 5, 6)));
        Assert.That(lstm.named_parameters().Select(p => p.name).Take(6),
            Is.EqualTo(new[] { "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0", "weight_ih_l0_reverse" }));
        Assert.That(lstm["weight_ih_l1"].shape, Is.EqualTo(torch.Size(24, 4)));   // 4 gates × 6; input = 2 directions × proj 2
        Assert.That(lstm["weight_hh_l0"].shape, Is.EqualTo(torch.Size(24, 2)));
        Assert.That(lstm.all_weights.Count, Is.EqualTo(6));

        var gru = new nn.GRU(3, 5, bias: false);
        Assert.That(gru.parameters().Count(), Is.EqualTo(2));
        var (gy, gh) = gru.call(torch.randn(4, 3));   // unbatched (L, H_in)
        Assert.That(gy.shape, Is.EqualTo(torch.Size(4, 5)));
        Assert.That(gh.shape, Is.EqualTo(torch.Size(1, 5)));
    }

    [Test]
    public void Unbatched_input_gives_the_batched_result_without_the_batch_dim()
    {
        torch.manual_seed(1);
        var lstm = new nn.LSTM(3, 4, num_layers: 2);
        var x = torch.randn(5, 3); var h0 = torch.randn(2, 4); var c0 = torch.randn(2, 4);
        var (y1, (h1, c1)) = lstm.call(x, (h0, c0));
        var (y2, (h2, c2)) = lstm.call(x.unsqueeze(1), (h0.unsqueeze(1), c0.unsqueeze(1)));
        Assert.That(y1.ToArray<float>(), Is.EqualTo(y2.squeeze(1).ToArray<float>()));
        Assert.That(h1.ToArray<float>(), Is.EqualTo(h2.squeeze(1).ToArray<float>()));
        Assert.That(c1.ToArray<float>(), Is.EqualTo(c2.squeeze(1).ToArray<float>()));
    }

    [Test]
    public void Module_equals_its_cell_stepped_by_hand()
    {
        // nn.LSTM's first layer with the same weights as an LSTMCell, stepped over the sequence (rnn.py's docstring loop).
        torch.manual_seed(2);
        var lstm = new nn.LSTM(3, 4, dtype: torch.float64);
        var cell = new nn.LSTMCell(3, 4, dtype: torch.float64);
        cell.load_state_dict(new Dictionary<string, Tensor>
        {
            ["weight_ih"] = lstm.weight_ih_l0, ["weight_hh"] = lstm.weight_hh_l0, ["bias_ih"] = lstm.bias_ih_l0, ["bias_hh"] = lstm.bias_hh_l0,
        });
        var x = torch.randn([6, 2, 3], dtype: torch.float64);
        var (y, (hn, cn)) = lstm.call(x);
        var h = torch.zeros([2, 4], dtype: torch.float64); var c = torch.zeros([2, 4], dtype: torch.float64);
        for (int t = 0; t < 6; t++)
        {
            (h, c) = cell.call(x[t], (h, c));
            Assert.That(torch.allclose(y[t], h, rtol: 0, atol: 1e-15), Is.True, $"step {t}");
        }
        Assert.That(torch.allclose(hn[0], h, rtol: 0, atol: 1e-15), Is.True);
        Assert.That(torch.allclose(cn[0], c, rtol: 0, atol: 1e-15), Is.True);
    }

    [Test]
    public void Dropout_acts_between_layers_only_while_training()
    {
        torch.manual_seed(4);
        var gru = new nn.GRU(3, 8, num_layers: 2, dropout: 0.5);
        var x = torch.randn(5, 2, 3);
        gru.eval();
        var (e1, _) = gru.call(x);
        var (e2, _) = gru.call(x);
        Assert.That(e1.ToArray<float>(), Is.EqualTo(e2.ToArray<float>()));
        gru.train();
        var (t1, _) = gru.call(x);
        Assert.That(t1.ToArray<float>(), Is.Not.EqualTo(e1.ToArray<float>()));
    }

    [Test]
    public void Zero_initial_states_equal_no_initial_states()
    {
        torch.manual_seed(6);
        var rnn = new nn.RNN(2, 3, num_layers: 2, bidirectional: true);
        var x = torch.randn(4, 5, 2);
        var (a, ha) = rnn.call(x);
        var (b, hb) = rnn.call(x, torch.zeros(4, 5, 3));
        Assert.That(a.ToArray<float>(), Is.EqualTo(b.ToArray<float>()));
        Assert.That(ha.ToArray<float>(), Is.EqualTo(hb.ToArray<float>()));
    }

    // ---- grad_fn names: the ops ATen's CPU path records ----

    [Test]
    public void Grad_fn_names_are_those_of_the_recorded_ops()
    {
        torch.manual_seed(0);
        var x = torch.randn(3, 2, 4, requires_grad: true);
        // A float32 LSTM layer on the CPU is one op, as PyTorch's oneDNN layer (mkldnn_rnn_layer); float64 is composed.
        var (y, (h, c)) = new nn.LSTM(4, 5).call(x);
        Assert.That(y.grad_fn!.name(), Is.EqualTo("MkldnnRnnLayerBackward0"));
        var (y64, _) = new nn.LSTM(4, 5, dtype: torch.float64).call(x.@double());
        Assert.That(y64.grad_fn!.name(), Is.EqualTo("StackBackward0"));
        Assert.That(h.grad_fn!.name(), Is.EqualTo("StackBackward0"));
        Assert.That(c.grad_fn!.name(), Is.EqualTo("StackBackward0"));
        var (yb, _) = new nn.LSTM(4, 5, bidirectional: true).call(x);
        Assert.That(yb.grad_fn!.name(), Is.EqualTo("CatBackward0"));
        // RNN.cpp: rnn_tanh/rnn_relu/gru end with output.transpose_(0, 1) (TransposeBackward1); lstm with transpose.
        var (yf, _) = new nn.GRU(4, 5, batch_first: true).call(x);
        Assert.That(yf.grad_fn!.name(), Is.EqualTo("TransposeBackward1"));
        var (ylf, _) = new nn.LSTM(4, 5, batch_first: true).call(x);
        Assert.That(ylf.grad_fn!.name(), Is.EqualTo("TransposeBackward0"));
        var (h1, c1) = new nn.LSTMCell(4, 5).call(x[0]);
        Assert.That(h1.grad_fn!.name(), Is.EqualTo("MulBackward0"));
        Assert.That(c1.grad_fn!.name(), Is.EqualTo("AddBackward0"));
        Assert.That(new nn.GRUCell(4, 5).call(x[0]).grad_fn!.name(), Is.EqualTo("AddBackward0"));
        Assert.That(new nn.RNNCell(4, 5).call(x[0]).grad_fn!.name(), Is.EqualTo("TanhBackward0"));
        Assert.That(new nn.RNNCell(4, 5, nonlinearity: "relu").call(x[0]).grad_fn!.name(), Is.EqualTo("ReluBackward0"));
    }

    // ---- repr ----

    [Test]
    public void Repr_lists_settings_that_differ_from_the_defaults()
    {
        // RNNBase.extra_repr / RNNCellBase.extra_repr in torch/nn/modules/rnn.py.
        Assert.That(new nn.LSTM(10, 20).ToString(), Is.EqualTo("LSTM(10, 20)"));
        Assert.That(new nn.LSTM(10, 20, num_layers: 2, bias: false, batch_first: true, dropout: 0.5, bidirectional: true, proj_size: 5).ToString(),
            Is.EqualTo("LSTM(10, 20, proj_size=5, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)"));
        Assert.That(new nn.RNN(3, 4, nonlinearity: "relu").ToString(), Is.EqualTo("RNN(3, 4)"));
        Assert.That(new nn.GRU(3, 4, num_layers: 3).ToString(), Is.EqualTo("GRU(3, 4, num_layers=3)"));
        Assert.That(new nn.RNNCell(3, 4, nonlinearity: "relu").ToString(), Is.EqualTo("RNNCell(3, 4, nonlinearity=relu)"));
        Assert.That(new nn.LSTMCell(3, 4, bias: false).ToString(), Is.EqualTo("LSTMCell(3, 4, bias=False)"));
        Assert.That(new nn.GRUCell(3, 4).ToString(), Is.EqualTo("GRUCell(3, 4)"));
        var model = new nn.Sequential(new nn.GRU(2, 3), new nn.Linear(3, 1));
        Assert.That(model.ToString(), Is.EqualTo("Sequential(\n  (0): GRU(2, 3)\n  (1): Linear(in_features=3, out_features=1, bias=True)\n)"));
    }

    // ---- argument checks ----

    private static void Refuses(Action f, string message) =>
        Assert.That(() => f(), NUnit.Framework.Throws.InstanceOf<ArgumentException>().With.Message.EqualTo(message));

    [Test]
    public void Constructor_arguments_are_checked_as_in_rnn_py()
    {
        Refuses(() => new nn.LSTM(3, 4, dropout: 1.5), "dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
        Refuses(() => new nn.GRU(3, 0), "hidden_size must be greater than zero");
        Refuses(() => new nn.GRU(3, 4, num_layers: 0), "num_layers must be greater than zero");
        Refuses(() => new nn.LSTM(3, 4, proj_size: -1), "proj_size should be a positive integer or zero to disable projections");
        Refuses(() => new nn.LSTM(3, 4, proj_size: 4), "proj_size has to be smaller than hidden_size");
        Refuses(() => new nn.RNN(3, 4, nonlinearity: "sigmoid"), "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.");
    }

    [Test]
    public void Dropout_on_a_single_layer_warns()
    {
        using (warnings.catch_warnings())
        {
            warnings.simplefilter("error");
            Assert.That(() => new nn.LSTM(3, 4, dropout: 0.2), NUnit.Framework.Throws.InstanceOf<Warning>().With.Message.EqualTo(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=0.2 and num_layers=1"));
        }
    }

    [Test]
    public void Forward_arguments_are_checked_as_in_rnn_py()
    {
        var lstm = new nn.LSTM(4, 5, num_layers: 2);
        Refuses(() => lstm.call(torch.randn(3, 2, 3)), "input.size(-1) must be equal to input_size. Expected 4, got 3");
        Refuses(() => lstm.call(torch.randn(3)), "LSTM: Expected input to be 2D or 3D, got 1D instead");
        Refuses(() => lstm.call(torch.randn(3, 2, 4, dtype: torch.float64)), "input must have the type torch.float32, got type torch.float64");
        Refuses(() => lstm.call(torch.randn(3, 2, 4), (torch.zeros(2, 3, 5), torch.zeros(2, 2, 5))), "Expected hidden[0] size (2, 2, 5), got [2, 3, 5]");
        Refuses(() => lstm.call(torch.randn(3, 2, 4), (torch.zeros(2, 2, 5), torch.zeros(1, 2, 5))), "Expected hidden[1] size (2, 2, 5), got [1, 2, 5]");
        Refuses(() => lstm.call(torch.randn(3, 2, 4), (torch.zeros(2, 5), torch.zeros(2, 2, 5))), "For batched 3-D input, hx and cx should also be 3-D but got (2-D, 3-D) tensors");
        Refuses(() => lstm.call(torch.randn(3, 4), (torch.zeros(2, 1, 5), torch.zeros(2, 1, 5))), "For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 3-D) tensors");

        var rnn = new nn.RNN(4, 5);
        Refuses(() => rnn.call(torch.randn(3, 2, 4), torch.zeros(1, 3, 5)), "Expected hidden size (1, 2, 5), got [1, 3, 5]");
        Refuses(() => rnn.call(torch.randn(3, 2, 4), torch.zeros(2, 5)), "For batched 3-D input, hx should also be 3-D but got 2-D tensor");
        Refuses(() => rnn.call(torch.randn(3, 4), torch.zeros(1, 1, 5)), "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor");
        Refuses(() => rnn.call(torch.randn(1, 3, 2, 4)), "RNN: Expected input to be 2D or 3D, got 4D tensor instead");
        Refuses(() => new nn.GRU(4, 5).call(torch.randn(1, 3, 2, 4)), "GRU: Expected input to be 2D or 3D, got 4D instead");
        Refuses(() => new nn.GRU(4, 5).call(torch.zeros(0, 2, 4)), "Expected sequence length to be larger than 0 in RNN");
    }

    [Test]
    public void Cell_arguments_are_checked_as_in_aten()
    {
        // rnn.py's dim checks, then RNN.cpp's check_rnn_cell_forward_input / _hidden.
        var lstm = new nn.LSTMCell(4, 5);
        Refuses(() => lstm.call(torch.randn(2, 3)), "input has inconsistent input_size: got 3 expected 4");
        Refuses(() => lstm.call(torch.randn(2, 4), (torch.zeros(3, 5), torch.zeros(2, 5))), "Input batch size 2 doesn't match hidden0 batch size 3");
        Refuses(() => lstm.call(torch.randn(2, 4), (torch.zeros(2, 5), torch.zeros(2, 6))), "hidden1 has inconsistent hidden_size: got 6, expected 5");
        Refuses(() => lstm.call(torch.randn(1, 2, 4)), "LSTMCell: Expected input to be 1D or 2D, got 3D instead");
        Refuses(() => lstm.call(torch.randn(2, 4), (torch.zeros(1, 2, 5), torch.zeros(2, 5))), "LSTMCell: Expected hx[0] to be 1D or 2D, got 3D instead");
        Refuses(() => new nn.GRUCell(4, 5).call(torch.randn(2, 4), torch.zeros(1, 2, 5)), "GRUCell: Expected hidden to be 1D or 2D, got 3D instead");
        Refuses(() => new nn.RNNCell(4, 5).call(torch.randn(1, 2, 4)), "RNNCell: Expected input to be 1D or 2D, got 3D instead");
        var (h, c) = lstm.call(torch.randn(4));   // unbatched: (H_in) → (H_out)
        Assert.That(h.shape, Is.EqualTo(torch.Size(5)));
        Assert.That(c.shape, Is.EqualTo(torch.Size(5)));
    }
}
