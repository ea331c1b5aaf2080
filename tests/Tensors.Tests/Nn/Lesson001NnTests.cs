using Notebooks.Tensors.Printing;
using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// Lesson 001 (shared/lessons/001_2f83663ecc969b4a.txt), "Градиентный спуск своими руками": the cells run in order
/// after torch.manual_seed(0), so every printed MSE is deterministic.
/// </summary>
public class Lesson001NnTests
{
    private static string Fmt(Tensor mse) => PyFloatFormat.Fixed(mse.item<float>(), 5);

    private static (Tensor x, Tensor y, Tensor wTrue) Data()
    {
        torch.manual_seed(0);
        var wTrue = torch.randn(2);
        var bTrue = torch.randn(1);
        var x = (torch.rand(300, 2) - 0.5) * 10 * (torch.arange(2) * 2 + 1);
        var y = torch.matmul(x, wTrue) + torch.randn(300) + bTrue;
        return (x, y, wTrue);
    }

    [Test]
    public void Hand_written_gradient_descent_then_nn_Linear_print_the_lesson_values()
    {
        var (x, y, wTrue) = Data();
        var w = torch.rand([2], requires_grad: true);
        var b = torch.rand([1], requires_grad: true);
        var printed = new List<string>();
        for (int i = 0; i < 200; i++)
        {
            var mse = torch.mean((torch.matmul(x, w) + b - y).pow(2));
            if (i < 20 || i % 10 == 0) printed.Add($"MSE на шаге {i + 1} {Fmt(mse)}");
            mse.backward();
            using (torch.no_grad())
            {
                w -= w.grad! * 1e-2;
                b -= b.grad! * 1e-2;
            }
            w.grad!.zero_();
            b.grad!.zero_();
        }
        Assert.That(printed.Take(3), Is.EqualTo(new[] { "MSE на шаге 1 23.65750", "MSE на шаге 2 15.53605", "MSE на шаге 3 12.11575" }));
        Assert.That(printed[20], Is.EqualTo("MSE на шаге 21 4.64871"));
        Assert.That(printed[^1], Is.EqualTo("MSE на шаге 191 1.02661"));
        Assert.That(wTrue.ToString(), Is.EqualTo("tensor([ 1.5410, -0.2934])"));
        Assert.That(w.ToString(), Is.EqualTo("tensor([ 1.5492, -0.2854], requires_grad=True)"));

        // Next cell: the same loop through nn.Linear, updating .data and calling layer.zero_grad().
        // The notebook's printed state does not follow from running its cells once in order: the generator had
        // already given one more nn.Linear(2, 1) init (the cell was evidently run twice). Run in order, the first MSE
        // would be 94.84772; with that one extra init, this cell and the next print exactly the lesson's values.
        _ = new nn.Linear(in_features: 2, out_features: 1);
        var layer = new nn.Linear(in_features: 2, out_features: 1);
        printed.Clear();
        for (int i = 0; i < 200; i++)
        {
            var mse = torch.mean((layer.call(x).view(-1) - y).pow(2));
            if (i < 20 || i % 10 == 0) printed.Add($"MSE на шаге {i + 1} {Fmt(mse)}");
            mse.backward();
            using (torch.no_grad())
            {
                var wd = layer.weight.data; wd -= layer.weight.grad! * 1e-2;
                var bd = layer.bias!.data; bd -= layer.bias.grad! * 1e-2;
            }
            layer.zero_grad();
        }
        Assert.That(printed.Take(3), Is.EqualTo(new[] { "MSE на шаге 1 24.25042", "MSE на шаге 2 12.14032", "MSE на шаге 3 7.56999" }));
        Assert.That(printed[^1], Is.EqualTo("MSE на шаге 191 1.02358"));
        Assert.That(layer.weight.ToString(), Is.EqualTo("Parameter containing:\ntensor([[ 1.5482, -0.2852]], requires_grad=True)"));
        Assert.That(layer.call(x).shape.ToString(), Is.EqualTo("torch.Size([300, 1])"));
        Assert.That((layer.call(x) - y).shape.ToString(), Is.EqualTo("torch.Size([300, 300])"));

        // Next cell: a fresh layer, updated in place through the parameter under no_grad.
        layer = new nn.Linear(in_features: 2, out_features: 1);
        printed.Clear();
        for (int i = 0; i < 200; i++)
        {
            var mse = torch.mean((layer.call(x).ravel() - y).pow(2));
            if (i < 20 || i % 10 == 0) printed.Add($"MSE на шаге {i + 1} {Fmt(mse)}");
            mse.backward();
            using (torch.no_grad())
            {
                layer.weight -= layer.weight.grad! * 1e-2;
                var lb = layer.bias!;
                lb -= lb.grad! * 1e-2;   // compound assignment is in-place, as in Python
            }
            layer.zero_grad();
        }
        Assert.That(printed.Take(2), Is.EqualTo(new[] { "MSE на шаге 1 82.40031", "MSE на шаге 2 34.83059" }));
        Assert.That(printed[^1], Is.EqualTo("MSE на шаге 191 1.02585"));
    }

    [Test]
    public void Layer_reprs_shapes_and_activation_prints()
    {
        var layer = new nn.Linear(in_features: 5, out_features: 3);
        Assert.That(layer.ToString(), Is.EqualTo("Linear(in_features=5, out_features=3, bias=True)"));
        Assert.That(layer.weight.shape.ToString(), Is.EqualTo("torch.Size([3, 5])"));
        Assert.That(new nn.Linear(in_features: 5, out_features: 3, bias: false).bias, Is.Null);
        // The lesson's printed inputs fed through the activations print the lesson's outputs.
        // (-0.0054 is left out: the lesson printed its input rounded, and sigmoid of the rounded value sits on a rounding edge.)
        var x = torch.tensor(new[] { -1.2551f, -0.5240f, 0.7564f, 0.1300f });
        Assert.That(new nn.Sigmoid().call(x).ToString(), Is.EqualTo("tensor([0.2218, 0.3719, 0.6806, 0.5325])"));
        x = torch.tensor(new[] { 0.1922f, 0.3827f, -0.7457f, 0.7524f, -0.8754f });
        Assert.That(new nn.ReLU().call(x).ToString(), Is.EqualTo("tensor([0.1922, 0.3827, 0.0000, 0.7524, 0.0000])"));
        x = torch.tensor(new[] { 0.2054f, 1.1214f, 0.6880f, 1.0917f, 0.3360f });
        Assert.That(new nn.LeakyReLU(negative_slope: 0.001).call(x).ToString(), Is.EqualTo("tensor([0.2054, 1.1214, 0.6880, 1.0917, 0.3360])"));
    }
}
