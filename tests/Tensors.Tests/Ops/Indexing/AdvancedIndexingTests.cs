namespace Notebooks.Tensors.Tests.Indexing;

// Advanced indexing (int64/int32 index tensors, bool masks, .NET arrays as Python lists) returns copies.
// Expected values follow NumPy's advanced-indexing rules, which PyTorch implements (TensorAdvancedIndexing.cpp).
public class AdvancedIndexingTests
{
    private static Tensor M34() => torch.arange(12).reshape(3, 4);
    private static Tensor X234() => torch.arange(24).reshape(2, 3, 4);

    [Test]
    public void IndexTensorPicksRowsInItsOrder()
    {
        var r = M34()[torch.tensor(new long[] { 2, 0 })];
        Assert.That(r.ToString(), Is.EqualTo("""
            tensor([[ 8,  9, 10, 11],
                    [ 0,  1,  2,  3]])
            """));
    }

    [Test]
    public void ArraysActAsPythonLists() // x[[0, 2], [1, 3]] -> [x[0,1], x[2,3]]
    {
        var x = M34();
        Assert.That(x[new long[] { 0, 2 }, new long[] { 1, 3 }].ToArray<long>(), Is.EqualTo(new long[] { 1, 11 }));
        Assert.That(x[new[] { 1 }].shape, Is.EqualTo(torch.Size(1, 4)));
        Assert.That(x[new[] { true, false, true }].ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 8, 9, 10, 11 }));
    }

    [Test]
    public void IndexTensorAfterAFullSlice() // x[:, [0, 2]]
    {
        Assert.That(M34()[.., new long[] { 0, 2 }].ToString(), Is.EqualTo("""
            tensor([[ 0,  2],
                    [ 4,  6],
                    [ 8, 10]])
            """));
    }

    [Test]
    public void IndexTensorsBroadcastTogether() // x[[[0], [2]], [1, 3]] -> [[x01, x03], [x21, x23]]
    {
        var rows = torch.tensor(new long[][] { [0], [2] });
        var r = M34()[rows, new long[] { 1, 3 }];
        Assert.That(r.shape, Is.EqualTo(torch.Size(2, 2)));
        Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 9, 11 }));
    }

    [Test]
    public void AdjacentIndexedDimsStayInPlace() // x[:, [0, 2], [1, 3]] has shape [2, 2]
    {
        var r = X234()[.., new long[] { 0, 2 }, new long[] { 1, 3 }];
        Assert.That(r.shape, Is.EqualTo(torch.Size(2, 2)));
        Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 11, 13, 23 }));
    }

    [Test]
    public void SeparatedIndexedDimsMoveToTheFront() // x[[0, 1], :, [1, 2]] has shape [2, 3]
    {
        var r = X234()[new long[] { 0, 1 }, .., new long[] { 1, 2 }];
        Assert.That(r.shape, Is.EqualTo(torch.Size(2, 3)));
        Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 5, 9, 14, 18, 22 }));
    }

    [Test]
    public void IntegerThenIndexTensor() // PyTorch selects first: x[1, [0, 2]] == x[1][[0, 2]]
    {
        var r = X234()[1, new long[] { 0, 2 }];
        Assert.That(r.shape, Is.EqualTo(torch.Size(2, 4)));
        Assert.That(r[1].ToArray<long>(), Is.EqualTo(new long[] { 20, 21, 22, 23 }));
        Assert.That(X234()[new long[] { 0, 1 }, 1, new long[] { 1, 2 }].ToArray<long>(), Is.EqualTo(new long[] { 5, 18 }));
    }

    [Test]
    public void NegativePositionsCountFromTheEnd()
    {
        Assert.That(torch.arange(5)[torch.tensor(new long[] { -1, -5 })].ToArray<long>(), Is.EqualTo(new long[] { 4, 0 }));
    }

    [Test]
    public void Int32IndexTensorsWork()
    {
        Assert.That(torch.arange(5)[torch.tensor(new[] { 3, 1 }, dtype: torch.int32)].ToArray<long>(), Is.EqualTo(new long[] { 3, 1 }));
    }

    [Test]
    public void BoolMaskSelectsElements() // x[x > 5]
    {
        var x = M34();
        var r = x[x > 5];
        Assert.That(r.ToString(), Is.EqualTo("tensor([ 6,  7,  8,  9, 10, 11])"));
    }

    [Test]
    public void MaskOnTheSecondDim() // x[:, [True, False, False, True]]
    {
        var m = torch.tensor(new[] { true, false, false, true });
        Assert.That(M34()[.., m].ToArray<long>(), Is.EqualTo(new long[] { 0, 3, 4, 7, 8, 11 }));
    }

    [Test]
    public void TwoDimMaskThenInteger() // a 2-d mask covers two dims: x[mask2d, 1] for x of shape [2, 3, 4]
    {
        var mask = torch.tensor(new bool[][] { [true, false, false], [false, false, true] });
        var r = X234()[mask, 1];
        Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 21 }));
    }

    [Test]
    public void ZeroDimBoolAddsADim() // x[True] has shape [1, 3]; x[False] has shape [0, 3]
    {
        var x = torch.ones(3);
        Assert.That(x[torch.tensor(true)].shape, Is.EqualTo(torch.Size(1, 3)));
        Assert.That(x[torch.tensor(false)].shape, Is.EqualTo(torch.Size(0, 3)));
    }

    [Test]
    public void Uint8MaskIsAMask()
    {
        var m = torch.tensor(new long[] { 1, 0, 1 }).to(torch.uint8);
        Assert.That(torch.arange(3)[m].ToArray<long>(), Is.EqualTo(new long[] { 0, 2 }));
    }

    [Test]
    public void AdvancedIndexingCopies()
    {
        var x = M34();
        var r = x[new long[] { 0 }];
        r.fill_(-1);
        Assert.That(x[0].ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        Assert.That(ReferenceEquals(r.untyped_storage(), x.untyped_storage()), Is.False);
    }

    [Test]
    public void KeepsInt64ValuesAbove2To53Exactly()
    {
        long big = (1L << 53) + 1;
        var x = torch.tensor(new long[] { 5, big, long.MaxValue });
        Assert.That(x[new long[] { 2, 1 }].ToArray<long>(), Is.EqualTo(new[] { long.MaxValue, big }));
        Assert.That(x[x > 5].ToArray<long>(), Is.EqualTo(new[] { big, long.MaxValue }));
    }

    [Test]
    public void WorksOnEveryDType()
    {
        foreach (var dt in new[] { torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int32, torch.int16, torch.int8, torch.uint8, torch.@bool })
        {
            var x = torch.tensor(new long[] { 0, 1, 0, 1 }).to(dt);
            var r = x[new long[] { 1, 3 }];
            Assert.That(r.dtype, Is.EqualTo(dt));
            Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 1 }), dt.ToString());
        }
    }
}
