using System.Globalization;
using System.Text.RegularExpressions;
using Notebooks.Kernel.Notebooks;
using Notebooks.Kernel.Tests.Support;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// Public PyTorch tutorials ported cell by cell with only the public API (tests/Ports/*.ipynb, issue 15): each runs
/// through our headless runner as CI runs the lessons, and what the tutorial prints that does not depend on the random
/// generator is checked against the tutorial's own output (pytorch.org/tutorials, beginner_source/basics/*.py and
/// beginner_source/examples_*/polynomial_*.py).
/// </summary>
[NonParallelizable]
public sealed class PortedTutorialTests
{
    private static string _output = null!;

    [OneTimeSetUp]
    public static void RunThePorts()
    {
        _output = Directory.CreateTempSubdirectory("ports-").FullName;
        var (exit, printed) = KernelCli.Run(["run", PortsFolder(), "--output", _output], TimeSpan.FromMinutes(8));
        Assert.That(exit, Is.Zero, printed);
    }

    [OneTimeTearDown]
    public static void Clean() => Directory.Delete(_output, recursive: true);

    private static string PortsFolder()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Notebooks.sln"))) root = root.Parent;
        Assert.That(root, Is.Not.Null, "the repository root");
        return Path.Combine(root!.FullName, "tests", "Ports");
    }

    /// <summary>What each code cell printed (streams and results), in order.</summary>
    private static List<string> Printed(string notebook) =>
        IpynbFormat.ReadFile(Path.Combine(_output, notebook)).Cells.Where(c => c.IsCode)
            .Select(c => string.Concat(c.Outputs.Select(o => o!["output_type"]!.GetValue<string>() == "stream"
                ? string.Concat(o["text"]!.AsArray().Select(t => t!.GetValue<string>()))
                : o["data"]?["text/plain"] is { } plain ? string.Concat(plain.AsArray().Select(t => t!.GetValue<string>())) : "")))
            .ToList();

    [Test]
    public void Tensors()
    {
        var all = string.Join("\n", Printed("tensors.ipynb"));
        Assert.That(all, Does.Contain("Ones Tensor: \n tensor([[1, 1],\n        [1, 1]]) \n"));
        Assert.That(all, Does.Contain("Zeros Tensor: \n tensor([[0., 0., 0.],\n        [0., 0., 0.]])"));
        Assert.That(all, Does.Contain("Shape of tensor: torch.Size([3, 4])\nDatatype of tensor: torch.float32\nDevice tensor is stored on: cpu"));
        Assert.That(all, Does.Contain("First row: tensor([1., 1., 1., 1.])\nFirst column: tensor([1., 1., 1., 1.])\nLast column: tensor([1., 1., 1., 1.])\n" +
            "tensor([[1., 0., 1., 1.],\n        [1., 0., 1., 1.],\n        [1., 0., 1., 1.],\n        [1., 0., 1., 1.]])"));
        Assert.That(all, Does.Contain("tensor([[1., 0., 1., 1., 1., 0., 1., 1., 1., 0., 1., 1.],"));
        Assert.That(all, Does.Contain("True True"), "matmul/mul with out= equal the operators");
        Assert.That(all, Does.Contain("12.0 "), "print(agg_item) prints 12.0");
        Assert.That(all, Does.Contain("tensor([[6., 5., 6., 6.],"));
        // The NumPy bridge shares memory both ways.
        Assert.That(all, Does.Contain("t: tensor([2., 2., 2., 2., 2.])\nn: [2 2 2 2 2]"));
        Assert.That(all, Does.Contain("t: tensor([2., 2., 2., 2., 2.], dtype=torch.float64)\nn: [2 2 2 2 2]"));
    }

    [Test]
    public void Autograd()
    {
        var cells = Printed("autograd.ipynb");
        Assert.That(cells[1], Does.Match(@"^Gradient function for z = <AddBackward0 object at 0x[0-9a-f]+>\nGradient function for loss = <BinaryCrossEntropyWithLogitsBackward0 object at 0x[0-9a-f]+>\n$"));
        // x is all ones, so every row of w.grad is b.grad.
        var grads = cells[2].Split('\n');
        var bGrad = Regex.Match(grads[5], @"^tensor\(\[(.*)\]\)$").Groups[1].Value;
        Assert.That(bGrad, Is.Not.Empty, cells[2]);
        for (var i = 0; i < 5; i++) Assert.That(grads[i], Does.Contain("[" + bGrad + "]"), cells[2]);
        Assert.That(cells[3], Is.EqualTo("True\nFalse\n"));
        Assert.That(cells[4], Is.EqualTo("False\n"));
        Assert.That(cells[5], Is.EqualTo(
            "First call\ntensor([[4., 2., 2., 2., 2.],\n        [2., 4., 2., 2., 2.],\n        [2., 2., 4., 2., 2.],\n        [2., 2., 2., 4., 2.]])\n" +
            "\nSecond call\ntensor([[8., 4., 4., 4., 4.],\n        [4., 8., 4., 4., 4.],\n        [4., 4., 8., 4., 4.],\n        [4., 4., 4., 8., 4.]])\n" +
            "\nCall after zeroing gradients\ntensor([[4., 2., 2., 2., 2.],\n        [2., 4., 2., 2., 2.],\n        [2., 2., 4., 2., 2.],\n        [2., 2., 2., 4., 2.]])\n"));
    }

    [Test]
    public void BuildTheNeuralNetwork()
    {
        const string model = """
            NeuralNetwork(
              (flatten): Flatten(start_dim=1, end_dim=-1)
              (linear_relu_stack): Sequential(
                (0): Linear(in_features=784, out_features=512, bias=True)
                (1): ReLU()
                (2): Linear(in_features=512, out_features=512, bias=True)
                (3): ReLU()
                (4): Linear(in_features=512, out_features=10, bias=True)
              )
            )
            """;
        var all = string.Join("\n", Printed("build-the-neural-network.ipynb"));
        Assert.That(all, Does.Contain("Using cpu device").Or.Contain("Using cuda device"));
        Assert.That(all, Does.Contain(model + "\n"));
        Assert.That(all, Does.Match(@"Predicted class: tensor\(\[\d\]\)"));
        Assert.That(all, Does.Contain("torch.Size([3, 28, 28])\n").And.Contain("torch.Size([3, 784])\n").And.Contain("torch.Size([3, 20])\n"));
        Assert.That(all, Does.Contain("grad_fn=<AddmmBackward0>)").And.Contain("grad_fn=<ReluBackward0>)"));
        Assert.That(all, Does.Contain("tensor([1.0000, 1.0000, 1.0000], grad_fn=<SumBackward1>)"), "softmax rows sum to one");
        Assert.That(all, Does.Contain("Model structure: " + model));
        foreach (var (name, size) in new[] { ("linear_relu_stack.0.weight", "[512, 784]"), ("linear_relu_stack.0.bias", "[512]"),
                     ("linear_relu_stack.2.weight", "[512, 512]"), ("linear_relu_stack.2.bias", "[512]"),
                     ("linear_relu_stack.4.weight", "[10, 512]"), ("linear_relu_stack.4.bias", "[10]") })
            Assert.That(all, Does.Contain($"Layer: {name} | Size: torch.Size({size}) | Values : tensor("));
        Assert.That(all, Does.Contain("grad_fn=<SliceBackward0>) \n"));
    }

    [Test]
    public void LearningPyTorchWithExamples()
    {
        var cells = Printed("learning-pytorch-with-examples.ipynb");
        Assert.That(cells, Has.Count.EqualTo(4));
        foreach (var cell in cells)
        {
            // "99 ...", "199 ...", ... "1999 ...": twenty loss lines, decreasing, then the fitted polynomial.
            var losses = Regex.Matches(cell, @"^(\d+) (\S+)$", RegexOptions.Multiline)
                .Select(m => (t: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), loss: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
            Assert.That(losses.Select(l => l.t), Is.EqualTo(Enumerable.Range(1, 20).Select(i => 100 * i - 1)), cell);
            Assert.That(losses.Last().loss, Is.LessThan(losses.First().loss), cell);
            Assert.That(losses.Last().loss, Is.LessThan(30), cell);
            var fit = Regex.Match(cell, @"Result: y = (\S+) \+ (\S+) x \+ (\S+) x\^2 \+ (\S+) x\^3");
            Assert.That(fit.Success, cell);
            double Coefficient(int i) => double.Parse(fit.Groups[i + 1].Value, CultureInfo.InvariantCulture);
            // sin(x) ≈ 0.857 x - 0.093 x^3 on [-π, π] (the least-squares cubic the tutorial's output approaches).
            Assert.That(Coefficient(1), Is.InRange(0.80, 0.90), cell);
            Assert.That(Coefficient(3), Is.InRange(-0.10, -0.085), cell);
            Assert.That(Math.Abs(Coefficient(0)) + Math.Abs(Coefficient(2)), Is.LessThan(0.1), cell);
        }
        // Seeded alike, the hand-written gradients and autograd's follow the same trajectory.
        Assert.That(cells[1], Does.Contain("largest difference from the hand-written gradients: 0\n"));
        Assert.That(cells[0].Split('\n').Where(l => l.StartsWith("Result", StringComparison.Ordinal)),
            Is.EqualTo(cells[1].Split('\n').Where(l => l.StartsWith("Result", StringComparison.Ordinal))));
        // RMSprop reaches the least-squares optimum.
        Assert.That(cells[3], Does.Match(@"Result: y = \S+ \+ 0\.85\d+ x \+ \S+ x\^2 \+ -0\.09\d+ x\^3"));
    }
}
