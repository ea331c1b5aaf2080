namespace Notebooks.Tensors.Tests.Indexing;

// x[...] = value: basic indices copy_ into the view, advanced ones go through index_put_ (as __setitem__).
public class AssignmentTests
{
    [Test]
    public void LessonSetsOneElement() // lesson 001: b = torch.tensor(a); b[0] = -1 -> tensor([-1,  2,  3])
    {
        var b = torch.tensor(new long[] { 1, 2, 3 });
        b[0] = -1;
        Assert.That(b.ToString(), Is.EqualTo("tensor([-1,  2,  3])"));
    }

    [Test]
    public void MaskAssignmentOfAScalar() // lesson 000: grad_input[input < 0] = 0
    {
        var input = torch.tensor(new[] { -1.5, 2.0, -0.5, 3.0 });
        var gradInput = torch.ones(4);
        gradInput[input < 0] = 0;
        Assert.That(gradInput.ToString(), Is.EqualTo("tensor([0., 1., 0., 1.])"));
        Assert.That(gradInput.dtype, Is.EqualTo(torch.float32));
    }

    [Test]
    public void NumberIsConvertedToTheDestinationDType() // Python casts the number first: 1.7 into int64 is 1
    {
        var x = torch.zeros(new long[] { 3 }, dtype: torch.int64);
        x[0] = 1.7;
        x[torch.tensor(new[] { false, true, false })] = 2.9;
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 0 }));
        var f = torch.zeros(2);
        f[1] = 5;
        Assert.That(f.ToString(), Is.EqualTo("tensor([0., 5.])"));
    }

    [Test]
    public void ColumnAssignmentFromATensor() // x[:, 1] = tensor([7, 8, 9])
    {
        var x = torch.zeros(new long[] { 3, 2 }, dtype: torch.int64);
        x[.., 1] = torch.tensor(new long[] { 7, 8, 9 });
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 0, 7, 0, 8, 0, 9 }));
    }

    [Test]
    public void SliceAssignmentBroadcastsAScalar()
    {
        var x = torch.arange(6);
        x[1..3] = 9;
        x[torch.slice(3, null, 2)] = -1;
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 0, 9, 9, -1, 4, -1 }));
    }

    [Test]
    public void ValueWithLeadingOnesAssignsLikeItsTail() // slicePrefix1sSize: shape [1, 4] into a row of 4
    {
        var x = torch.zeros(2, 4);
        x[0] = torch.ones(1, 4);
        x[new long[] { 1 }] = torch.full(new long[] { 1, 1, 4 }, 2.0);
        Assert.That(x.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 1, 1, 2, 2, 2, 2 }));
    }

    [Test]
    public void IndexTensorAssignment()
    {
        var x = torch.zeros(new long[] { 5 }, dtype: torch.int64);
        x[torch.tensor(new long[] { 4, 0, -2 })] = torch.tensor(new long[] { 1, 2, 3 });
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 2, 0, 0, 3, 1 }));
    }

    [Test]
    public void RowsByIndexTensorGetOneRowEach()
    {
        var x = torch.zeros(new long[] { 3, 2 }, dtype: torch.int64);
        x[new long[] { 2, 0 }] = torch.tensor(new long[][] { [1, 2], [3, 4] });
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 3, 4, 0, 0, 1, 2 }));
    }

    [Test]
    public void AssignmentThroughAViewReachesTheBase()
    {
        var x = torch.zeros(new long[] { 2, 3 }, dtype: torch.int64);
        var row = x[1];
        row[2] = 100;
        row[torch.tensor(new[] { true, false, false })] = 7;
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 0, 7, 0, 100 }));
    }

    [Test]
    public void EllipsisAssignmentFillsEverything()
    {
        var x = torch.zeros(2, 2);
        x[TensorIndex.Ellipsis] = 3;
        Assert.That(x.ToArray<float>(), Is.EqualTo(new float[] { 3, 3, 3, 3 }));
    }

    [Test]
    public void AssignmentBumpsTheVersion()
    {
        var x = torch.zeros(3);
        var v0 = x._version_;
        x[0] = 1;
        x[x > 0] = 2;
        Assert.That(x._version_, Is.EqualTo(v0 + 2));
    }

    [Test]
    public void BasicAssignmentCastsATensorValue() // copy_ converts; 2.5 into int64 truncates
    {
        var x = torch.zeros(new long[] { 2 }, dtype: torch.int64);
        x[0] = torch.tensor(2.5);
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 2, 0 }));
    }

    [Test]
    public void NumbersStillPickTheScalarOperators() // the implicit Tensor(number) must not change promotion
    {
        var i = torch.tensor(new long[] { 1, 2 });
        Assert.That((i + 1).dtype, Is.EqualTo(torch.int64));
        Assert.That((i * 2.5).dtype, Is.EqualTo(torch.float32));
        Tensor wrapped = 2.5;
        Assert.That((torch.ones(2) * wrapped).dtype, Is.EqualTo(torch.float32)); // a wrapped number promotes like a Python float
        Assert.That(torch.where(i > 1, i, 0).ToArray<long>(), Is.EqualTo(new long[] { 0, 2 }));
    }

    [Test]
    public void CompoundAssignmentWritesBack() // Python's x[i] += v is __getitem__, __iadd__, __setitem__; so is C#'s
    {
        var x = torch.zeros(4);
        x[torch.tensor(new[] { true, false, true, false })] += 1;
        x[1] += 5;
        x[new long[] { 3 }] -= 2;
        Assert.That(x.ToString(), Is.EqualTo("tensor([ 1.,  5.,  1., -2.])"));
    }
}
