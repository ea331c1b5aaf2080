using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// The recurrent modules on the cuda backend (ILGPU's CPU accelerator in CI): the same composed ops run there, so
/// outputs, states and every gradient agree with the CPU run (float64, so only the kernels' own roundings differ).
/// </summary>
public class CudaRecurrentTests
{
    private static void Close(Tensor gpu, Tensor cpu, string what)
    {
        Assert.That(gpu.device.type, Is.EqualTo("cuda"), what);
        Assert.That(torch.allclose(gpu.cpu(), cpu, rtol: 1e-12, atol: 1e-12), Is.True, what);
    }

    [TestCase("lstm"), TestCase("gru"), TestCase("rnn")]
    public void Forward_and_backward_match_the_cpu(string which)
    {
        torch.manual_seed(11);
        nn.RNNBase Make() => which switch
        {
            "lstm" => new nn.LSTM(3, 4, num_layers: 2, bidirectional: true, dtype: torch.float64),
            "gru" => new nn.GRU(3, 4, batch_first: true, dtype: torch.float64),
            _ => new nn.RNN(3, 4, nonlinearity: "relu", dtype: torch.float64),
        };
        var cpu = Make();
        var gpu = Make();
        gpu.load_state_dict(cpu.state_dict());
        gpu.to("cuda");
        var x = torch.randn([5, 2, 3], dtype: torch.float64);
        var xc = x.clone().requires_grad_();
        var xg = x.cuda().requires_grad_();
        Tensor[] Run(nn.RNNBase m, Tensor input) => m switch
        {
            nn.LSTM l => l.call(input) is var (y, (h, c)) ? [y, h, c] : [],
            nn.GRU g => g.call(input) is var (y, h) ? [y, h] : [],
            _ => ((nn.RNN)m).call(input) is var (y, h) ? [y, h] : [],
        };
        var oc = Run(cpu, xc);
        var og = Run(gpu, xg);
        for (int i = 0; i < oc.Length; i++) Close(og[i], oc[i], $"output {i}");
        oc.Select(o => (o * o).sum()).Aggregate((a, b) => a + b).backward();
        og.Select(o => (o * o).sum()).Aggregate((a, b) => a + b).backward();
        Close(xg.grad!, xc.grad!, "input gradient");
        foreach (var ((name, pc), (_, pg)) in cpu.named_parameters().Zip(gpu.named_parameters()))
            Close(pg.grad!, pc.grad!, name + " gradient");
    }

    [Test]
    public void Lstm_cell_runs_on_cuda()
    {
        torch.manual_seed(12);
        var cell = new nn.LSTMCell(3, 4, dtype: torch.float64);
        var x = torch.randn([2, 3], dtype: torch.float64);
        var (h, c) = cell.call(x);
        cell.to("cuda");
        var (hg, cg) = cell.call(x.cuda());
        Close(hg, h, "h");
        Close(cg, c, "c");
    }
}
