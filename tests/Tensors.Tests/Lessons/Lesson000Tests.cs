namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>
/// Lesson 000 ("PyTorch Basics: Тензоры и Autograd"): its code blocks print nothing, so each twin asserts what the
/// lesson's comments promise. Skipped here: the GPU branch (rand_matrix.cuda()), tensor[1] / tensor[0, 2]
/// (indexers, owned by the indexing work; select() is the same view and is used instead), the autograd, torchviz
/// and optimizer blocks.
/// </summary>
public class Lesson000Tests
{
    [Test]
    public void CreatingTensors()
    {
        var tensor_a = torch.tensor([1, 2, 3]);   // "вектор [1, 2, 3]"
        Assert.That(tensor_a.ToString(), Is.EqualTo("tensor([1, 2, 3])"));
        Assert.That(tensor_a.dtype, Is.EqualTo(torch.int64));

        var zeros = torch.zeros(2, 3);           // "матрица 2x3 из нулей"
        Assert.That(zeros.ToString(), Is.EqualTo("tensor([[0., 0., 0.],\n        [0., 0., 0.]])"));

        var rand_matrix = torch.rand(3, 3);      // "случайные значения 0-1": unseeded, so only the range is checked
        Assert.That(rand_matrix.shape, Is.EqualTo(torch.Size(3, 3)));
        Assert.That(rand_matrix.ge(0).all().item<bool>() && rand_matrix.lt(1).all().item<bool>(), Is.True);
    }

    [Test]
    public void AddAndDot()
    {
        // The lesson's a and b require grad; the values are the same without it.
        var a = torch.tensor([1.0, 2.0]);
        var b = torch.tensor([3.0, 4.0]);
        Assert.That((a + b).ToString(), Is.EqualTo("tensor([4., 6.])"));          // "[4.0, 6.0]"
        Assert.That(torch.dot(a, b).ToString(), Is.EqualTo("tensor(11.)"));       // "1*3 + 2*4 = 11.0"

        var mat_mul = torch.mm(torch.randn(2, 3), torch.randn(3, 2));
        Assert.That(mat_mul.shape.ToString(), Is.EqualTo("torch.Size([2, 2])"));
    }

    [Test]
    public void IndexingAndReshaping()
    {
        var tensor = torch.arange(12).reshape(3, 4);
        Assert.That(tensor.select(0, 1).ToString(), Is.EqualTo("tensor([4, 5, 6, 7])"));   // tensor[1]
        Assert.That(tensor.select(0, 0).select(0, 2).item<long>(), Is.EqualTo(2));          // tensor[0, 2]

        var flattened = tensor.flatten();
        Assert.That(flattened.ToString(), Is.EqualTo("tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11])"));
        var transposed = tensor.T;
        Assert.That(transposed.ToString(), Is.EqualTo("""
            tensor([[ 0,  4,  8],
                    [ 1,  5,  9],
                    [ 2,  6, 10],
                    [ 3,  7, 11]])
            """));
    }

    [Test]
    public void LinspaceForTheRegressionData()
    {
        // x = torch.linspace(0, 1, 100); y_true = 1.5 * x + 0.8 (the noise is unseeded).
        var x = torch.linspace(0, 1, 100);
        Assert.That(x.shape, Is.EqualTo(torch.Size(100)));
        Assert.That(x.ToArray<float>()[0], Is.EqualTo(0f));
        Assert.That(x.ToArray<float>()[99], Is.EqualTo(1f));
        var y_true = 1.5 * x + 0.8;
        Assert.That(y_true.dtype, Is.EqualTo(torch.float32));
        Assert.That(y_true.ToArray<float>()[99], Is.EqualTo(2.3f).Within(1e-6));
        var noisy = y_true + 0.1 * torch.randn_like(x);
        Assert.That(noisy.shape, Is.EqualTo(x.shape));
    }
}
