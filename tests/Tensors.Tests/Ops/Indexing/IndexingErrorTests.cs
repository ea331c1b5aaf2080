namespace Notebooks.Tensors.Tests.Indexing;

// PyTorch's IndexError / RuntimeError wording for bad indices (python_variable_indexing.cpp, TensorIndexing.h,
// TensorAdvancedIndexing.cpp, IndexKernel.cpp). IndexError maps to IndexOutOfRangeException.
public class IndexingErrorTests
{
    private static string IndexError(Action d) => Assert.Throws<IndexOutOfRangeException>(d)!.Message;

    [Test]
    public void IntegerOutOfBounds()
    {
        Assert.That(IndexError(() => _ = torch.arange(3)[5]), Is.EqualTo("index 5 is out of bounds for dimension 0 with size 3"));
        Assert.That(IndexError(() => _ = torch.arange(3)[-4]), Is.EqualTo("index -4 is out of bounds for dimension 0 with size 3"));
        Assert.That(IndexError(() => _ = torch.arange(3)[^4]), Is.EqualTo("index -4 is out of bounds for dimension 0 with size 3"));
        Assert.That(IndexError(() => _ = torch.zeros(3, 4)[0, 5]), Is.EqualTo("index 5 is out of bounds for dimension 1 with size 4"));
        Assert.That(IndexError(() => _ = torch.arange(3)[^0]), Is.EqualTo("index 3 is out of bounds for dimension 0 with size 3"));
        Assert.That(IndexError(() => torch.arange(3)[3] = 0), Is.EqualTo("index 3 is out of bounds for dimension 0 with size 3"));
    }

    [Test]
    public void TooManyIndices()
    {
        Assert.That(IndexError(() => _ = torch.arange(3)[0, 0]), Is.EqualTo("too many indices for tensor of dimension 1"));
        Assert.That(IndexError(() => _ = torch.arange(3)[.., torch.newaxis, 1]), Is.EqualTo("too many indices for tensor of dimension 1"));
    }

    [Test]
    public void ZeroDimTensor()
    {
        Assert.That(IndexError(() => _ = torch.tensor(5)[0]),
            Is.EqualTo("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"));
        Assert.That(torch.tensor(5)[torch.newaxis].shape, Is.EqualTo(torch.Size(1)));
    }

    [Test]
    public void MaskShapeMismatch()
    {
        var mask = torch.tensor(new[] { true, false, true });
        Assert.That(IndexError(() => _ = torch.arange(4)[mask]),
            Is.EqualTo("The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4] at index 0"));
        Assert.That(IndexError(() => torch.arange(4)[mask] = 0),
            Is.EqualTo("The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4] at index 0"));
    }

    [Test]
    public void AdvancedIndexOutOfBounds() // IndexKernel numbers the dim among the indexed dims
    {
        Assert.That(IndexError(() => _ = torch.arange(3)[torch.tensor(new long[] { 0, 3 })]), Is.EqualTo("index 3 is out of bounds for dimension 0 with size 3"));
        Assert.That(IndexError(() => _ = torch.zeros(2, 3)[.., new long[] { 5 }]), Is.EqualTo("index 5 is out of bounds for dimension 0 with size 3"));
    }

    [Test]
    public void BadIndexTensors()
    {
        Assert.That(IndexError(() => _ = torch.arange(3)[torch.tensor(new[] { 0.0 })]), Is.EqualTo("tensors used as indices must be long, int, byte or bool tensors"));
        Assert.That(IndexError(() => _ = torch.zeros(3, 3)[new long[] { 0, 1 }, new long[] { 0, 1, 2 }]),
            Is.EqualTo("shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]"));
    }

    [Test]
    public void EllipsisAndStep()
    {
        Assert.That(IndexError(() => _ = torch.zeros(2, 2)[TensorIndex.Ellipsis, TensorIndex.Ellipsis]), Is.EqualTo("an index can only have a single ellipsis ('...')"));
        // x[::0]: Python's slice unpacking (PySlice_Unpack) refuses it before torch's own "greater than zero" check.
        Assert.That(Assert.Throws<ArgumentException>(() => _ = torch.arange(3)[torch.slice(null, null, 0)])!.Message, Is.EqualTo("slice step cannot be zero"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = torch.arange(3)[torch.slice(null, null, -1)])!.Message, Is.EqualTo("step must be greater than zero"));
    }

    [Test]
    public void AssignmentMismatches()
    {
        var x = torch.zeros(2, 4);
        Assert.That(Assert.Throws<ArgumentException>(() => x[0] = torch.ones(3))!.Message,
            Is.EqualTo("The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [4].  Tensor sizes: [3]"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => x[new long[] { 0, 1 }] = torch.ones(3))!.Message,
            Is.EqualTo("shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 4]"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => x[x > 0] = torch.tensor(new long[] { 1 }))!.Message,
            Is.EqualTo("Index put requires the source and destination dtypes match, got Float for the destination and Long for the source."));
    }
}
