namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>
/// The autograd cells of lesson 002 ("PyTorch Autograd: Руководство"). Its loss is
/// binary_cross_entropy_with_logits (torch.nn.functional, not part of this assembly's tests), written here with
/// PyTorch's formula: mean((1 − y)·z + log(1 + exp(−z))), whose gradient is (sigmoid(z) − y) / n.
/// </summary>
public class Lesson002AutogradTests
{
    private static Tensor Bce(Tensor z, Tensor y) => ((1 - y) * z + (-z).exp().log1p()).mean();

    private static (Tensor x, Tensor y, Tensor w, Tensor b) Setup()
    {
        var gen = new Generator().manual_seed(0);
        return (torch.ones(5), torch.zeros(3), torch.randn([5, 3], requires_grad: true, generator: gen), torch.randn([3], requires_grad: true, generator: gen));
    }

    [Test]
    public void ForwardRecordsGradFn()
    {
        var (x, _, w, b) = Setup();
        var z = torch.matmul(x, w) + b;
        Assert.That(z.grad_fn!.ToString(), Does.Match("^<AddBackward0 object at 0x[0-9a-f]+>$"));
    }

    [Test]
    public void BackwardGivesLeafGradientsOnly()
    {
        var (x, y, w, b) = Setup();
        var z = torch.matmul(x, w) + b;
        var loss = Bce(z, y);
        loss.backward(retain_graph: true);
        var dz = (z.detach().sigmoid() - y) / 3;
        Assert.That(b.grad!.ToArray<float>(), Is.EqualTo(dz.ToArray<float>()).Within(1e-6));
        Assert.That(w.grad!.ToArray<float>(), Is.EqualTo(torch.outer(x, dz).ToArray<float>()).Within(1e-6));
        Assert.That(z.grad, Is.Null); // print(z.grad) → None

        // 6.3: gradients accumulate; without retain_graph the second backward fails.
        var first = w.grad!.clone();
        loss.backward();
        Assert.That(w.grad!.ToArray<float>(), Is.EqualTo((first * 2).ToArray<float>()).Within(1e-6));
        Assert.That(Assert.Throws<InvalidOperationException>(() => loss.backward())!.Message, Does.StartWith("Trying to backward through the graph a second time"));

        w.grad!.zero_();
        Assert.That(w.grad!.abs().sum().item<float>(), Is.Zero);
    }

    [Test]
    public void DisablingTracking()
    {
        var (x, _, w, b) = Setup();
        Tensor z;
        using (torch.no_grad()) z = torch.matmul(x, w) + b;
        Assert.That(z.requires_grad, Is.False);
        var z2 = torch.matmul(x, w) + b;
        var z_no_grad = z2.detach();
        Assert.That((z2.requires_grad, z_no_grad.requires_grad), Is.EqualTo((true, false)));
    }

    [Test]
    public void DefaultBackwardArgumentIsOne()
    {
        var (x, y, w, b) = Setup();
        var loss = Bce(torch.matmul(x, w) + b, y);
        loss.backward(retain_graph: true);
        var g1 = w.grad!.clone();
        w.grad = null;
        loss.backward(torch.tensor(1.0f));
        Assert.That(w.grad!.ToArray<float>(), Is.EqualTo(g1.ToArray<float>()));
    }

    [Test]
    public void ManualSgdStep()
    {
        var (x, y, w, b) = Setup();
        var w0 = w.detach().clone(); var b0 = b.detach().clone();
        var loss = Bce(torch.matmul(x, w) + b, y);
        loss.backward();
        const double learning_rate = 0.01;
        using (torch.no_grad())
        {
            w.sub_(learning_rate * w.grad!); // w -= learning_rate * w.grad (C#'s -= would rebind w)
            b.sub_(learning_rate * b.grad!);
            Assert.That(w.ToArray<float>(), Is.EqualTo((w0 - learning_rate * w.grad!).ToArray<float>()));
            w.grad!.zero_();
            b.grad!.zero_();
        }
        Assert.That(w.requires_grad && w.is_leaf, Is.True);
        Assert.That(w.grad!.ToString(), Is.EqualTo("tensor([[0., 0., 0.],\n        [0., 0., 0.],\n        [0., 0., 0.],\n        [0., 0., 0.],\n        [0., 0., 0.]])"));
        Assert.That(b.ToArray<float>(), Is.Not.EqualTo(b0.ToArray<float>()));
    }
}
