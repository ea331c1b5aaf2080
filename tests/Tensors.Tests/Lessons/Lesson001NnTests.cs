using Notebooks.Tensors.Printing;
using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>
/// Lesson 001 (Reference/lessons/001_2f83663ecc969b4a.txt), "Градиентный спуск своими руками": the cells run in order
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

    /// <summary>
    /// The lesson's second data set (5 features scaled by 1, 3, 5, 7, 9; nn.Linear(5, 1), step 1e-3, 2000 steps, MSE
    /// printed at steps 1-20 and every 50th). Losses here are in the hundreds, so the 5 printed decimals show single
    /// float ulps, and five lines differ from the lesson in the last digit (steps 2, 12, 18, 19, 51: e.g. 345.22864
    /// against 345.22867). What differs is the order in which libtorch's BLAS (MKL's sgemm, n = 1) sums the K = 300
    /// products of the weight gradient (mm_mat2_backward: grad.t().mm(x).t(), i.e. sgemm N/T with m = 5, k = 300)
    /// and, perhaps, the K = 5 forward products (addmm, and torch.matmul(x, w_true)'s mv for the targets). Tried
    /// against every printed line, with the forward, mv and gradient orders varied independently: for the K = 300
    /// sums a plain sequential chain unfused (ours; what the SGD/Adam references and the lesson's 2-feature run fix
    /// for K ≤ 4) and fused into FMAs (gets step 2 right, misses step 9), 8- and 16-lane FMA accumulators with four
    /// horizontal-add trees and the tail before or after, 4×8 accumulators, 2 and 4 interleaved accumulators, blocks
    /// of 2, 4 or 8 columns summed (fused or not) then added, reversed and split-in-half chains; for the K = 5 dots
    /// sequential, reversed, pairwise, lane-tree and tail-first orders. None reproduces every printed value (the best
    /// coherent ones miss three lines; step 12 was never right), so the plain order stays. The test pins what holds:
    /// step 1 exactly, every other line within one float ulp (plus the print's rounding), at most five lines off.
    /// </summary>
    [Test]
    public void Five_features_run_matches_the_lesson_to_one_ulp_and_exactly_but_for_five_lines()
    {
        var lesson = LessonLines();
        int start = lesson.FindIndex(l => l.StartsWith("MSE на шаге 1 1522", StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThan(0), "the lesson's 5-feature run");
        var expected = lesson.Skip(start).TakeWhile(l => l.StartsWith("MSE", StringComparison.Ordinal)).ToList();

        torch.manual_seed(0);
        var wTrue = torch.randn(5);
        var x = (torch.rand(300, 5) - 0.5) * 10 * (torch.arange(5) * 2 + 1);
        var y = torch.matmul(x, wTrue) + torch.randn(300);
        var layer = new nn.Linear(in_features: 5, out_features: 1);
        var printed = new List<string>();
        for (int i = 0; printed.Count < expected.Count; i++)
        {
            var mse = torch.mean((layer.call(x).ravel() - y).pow(2));
            if (i < 20 || i % 50 == 0) printed.Add($"MSE на шаге {i + 1} {Fmt(mse)}");
            mse.backward();
            using (torch.no_grad())
            {
                layer.weight -= layer.weight.grad! * 1e-3;
                var lb = layer.bias!;
                lb -= lb.grad! * 1e-3;
            }
            layer.zero_grad();
        }

        Assert.That(printed[0], Is.EqualTo("MSE на шаге 1 1522.64282"));
        int off = 0;
        for (int k = 0; k < expected.Count; k++)
        {
            // The lesson's output was cut off in the middle of its last line ("... 0.8").
            if (expected[k].EndsWith(" 0.8", StringComparison.Ordinal)) { Assert.That(printed[k], Does.StartWith(expected[k])); continue; }
            if (printed[k] == expected[k]) continue;
            off++;
            double a = double.Parse(printed[k].Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
            double e = double.Parse(expected[k].Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
            double ulp = MathF.BitIncrement((float)e) - (float)e;
            Assert.That(Math.Abs(a - e), Is.LessThanOrEqualTo(ulp + 1e-5), $"{printed[k]} vs the lesson's {expected[k]}");
        }
        Assert.That(off, Is.LessThanOrEqualTo(5));
    }

    private static List<string> LessonLines() => [.. ReferenceData.LessonLines("001")];

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
