namespace Notebooks.Tensors.Tests.Indexing;

// Basic indexing (integers, ranges, hat indices, stepped slices, None, Ellipsis) returns views, as
// PyTorch's __getitem__ does; expected values are NumPy/PyTorch indexing semantics on arange data.
public class BasicIndexingTests
{
    private static Tensor M34() => torch.arange(12).reshape(3, 4);   // [[0,1,2,3],[4,5,6,7],[8,9,10,11]]

    [Test]
    public void IntegerPicksARow() // lesson 000: row = tensor[1] -> [4, 5, 6, 7]
    {
        Assert.That(M34()[1].ToString(), Is.EqualTo("tensor([4, 5, 6, 7])"));
    }

    [Test]
    public void TwoIntegersPickAnElement() // lesson 000: element = tensor[0, 2] -> 2
    {
        var e = M34()[0, 2];
        Assert.That(e.ToString(), Is.EqualTo("tensor(2)"));
        Assert.That(e.shape, Is.EqualTo(torch.Size()));
    }

    [Test]
    public void NegativeAndHatIndicesCountFromTheEnd()
    {
        var x = M34();
        Assert.That(x[-1].ToArray<long>(), Is.EqualTo(new long[] { 8, 9, 10, 11 }));
        Assert.That(x[^1].ToArray<long>(), Is.EqualTo(new long[] { 8, 9, 10, 11 }));
        Assert.That(x[^2, ^1].item<long>(), Is.EqualTo(7));
        Assert.That(x[0, -4].item<long>(), Is.EqualTo(0));
    }

    [Test]
    public void FullSliceThenIntegerTakesAColumn() // x[:, 1]
    {
        var c = M34()[.., 1];
        Assert.That(c.ToArray<long>(), Is.EqualTo(new long[] { 1, 5, 9 }));
        Assert.That(c.stride(), Is.EqualTo(new long[] { 4 }));
    }

    [Test]
    public void RangesSliceLikePython() // x[1:3, -1] == x[1..3, ^1]
    {
        var x = M34();
        Assert.That(x[1..3, ^1].ToArray<long>(), Is.EqualTo(new long[] { 7, 11 }));
        Assert.That(x[..2, 1..].ToString(), Is.EqualTo("""
            tensor([[1, 2, 3],
                    [5, 6, 7]])
            """));
        Assert.That(x[^2.., ..^2].ToArray<long>(), Is.EqualTo(new long[] { 4, 5, 8, 9 }));
    }

    [Test]
    public void OutOfRangeSliceBoundsClampAsInPython() // x[1:100] has 2 rows, x[5:] is empty
    {
        var x = M34();
        Assert.That(x[1..100].shape, Is.EqualTo(torch.Size(2, 4)));
        Assert.That(x[5..].shape, Is.EqualTo(torch.Size(0, 4)));
        Assert.That(x[2..1].shape, Is.EqualTo(torch.Size(0, 4)));
    }

    [Test]
    public void SteppedSlices() // x[::2] rows 0 and 2; x[:, 1::2] columns 1, 3; x[-3::2]
    {
        var x = M34();
        Assert.That(x[TensorIndex.Slice(null, null, 2)].ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 8, 9, 10, 11 }));
        Assert.That(x[.., torch.slice(1, null, 2)].ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 5, 7, 9, 11 }));
        Assert.That(torch.arange(10)[torch.slice(-3, null, 2)].ToArray<long>(), Is.EqualTo(new long[] { 7, 9 }));
        Assert.That(torch.arange(10)[torch.slice(1, -1, 3)].ToArray<long>(), Is.EqualTo(new long[] { 1, 4, 7 }));
    }

    [Test]
    public void NewaxisInsertsADim() // lesson 001: x.shape, x[None, :, :].shape -> torch.Size([1, 2, 3])
    {
        var x = torch.rand(2, 3);
        Assert.That(x[torch.newaxis, .., ..].shape.ToString(), Is.EqualTo("torch.Size([1, 2, 3])"));
        Assert.That(x[.., TensorIndex.None].shape, Is.EqualTo(torch.Size(2, 1, 3)));
        Assert.That(x[TensorIndex.Ellipsis, torch.newaxis].shape, Is.EqualTo(torch.Size(2, 3, 1)));
    }

    [Test]
    public void EllipsisStandsForTheMissingDims()
    {
        var x = torch.arange(24).reshape(2, 3, 4);
        Assert.That(x[torch.ellipsis, 0].ToArray<long>(), Is.EqualTo(new long[] { 0, 4, 8, 12, 16, 20 }));
        Assert.That(x[1, TensorIndex.Ellipsis, 3].ToArray<long>(), Is.EqualTo(new long[] { 15, 19, 23 }));
        Assert.That(x[TensorIndex.Ellipsis].shape, Is.EqualTo(torch.Size(2, 3, 4)));
    }

    [Test]
    public void BasicIndexingReturnsViewsThatShareStorage()
    {
        var x = M34();
        var row = x[1];
        var col = x[.., 2];
        Assert.That(row.storage_offset(), Is.EqualTo(4));
        Assert.That(ReferenceEquals(row.untyped_storage(), x.untyped_storage()), Is.True);
        row.mul_(10);                        // write through a view: the base sees it
        Assert.That(x[1, 3].item<long>(), Is.EqualTo(70));
        Assert.That(col.ToArray<long>(), Is.EqualTo(new long[] { 2, 60, 10 }));
        Assert.That(x._version_, Is.EqualTo(row._version_));
    }

    [Test]
    public void EllipsisAloneIsANewTensorObjectOverTheSameMemory() // x[...] is at::alias(x)
    {
        var x = torch.ones(3);
        var a = x[TensorIndex.Ellipsis];
        Assert.That(ReferenceEquals(a, x), Is.False);
        Assert.That(a.is_set_to(x), Is.True);
    }

    [Test]
    public void ZeroDimIntegerTensorIndexesLikeAnInteger()
    {
        var v = M34()[torch.tensor(2)];
        Assert.That(v.ToArray<long>(), Is.EqualTo(new long[] { 8, 9, 10, 11 }));
        Assert.That(v.storage_offset(), Is.EqualTo(8));
    }
}
