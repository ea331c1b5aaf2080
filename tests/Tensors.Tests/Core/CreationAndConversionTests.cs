namespace Notebooks.Tensors.Tests.Core;

/// <summary>Factories, .NET-array interop and reading values out.</summary>
public class CreationAndConversionTests : CoreTestBase
{
    [Test]
    public void ArangeValuesAndLength()
    {
        var a = torch.arange(0, 1, 0.1);
        Assert.That(a.numel(), Is.EqualTo(10));
        Assert.That(a.dtype, Is.EqualTo(torch.float32));
        Assert.That(Repr(a), Is.EqualTo("""
            tensor([0.0000, 0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000,
                    0.9000])
            """));
        // start + i * step in double, then rounded to float32: element 3 is float(0.30000000000000004).
        Assert.That(a.ToArray<float>()[3], Is.EqualTo((float)(3 * 0.1)));
        Assert.That(Repr(torch.arange(1, 4)), Is.EqualTo("tensor([1, 2, 3])"));
        Assert.That(Repr(torch.arange(5, 0, -2)), Is.EqualTo("tensor([5, 3, 1])"));
        Assert.That(torch.arange(0, 1, 0.3).numel(), Is.EqualTo(4));
        Assert.That(Error(() => torch.arange(0, 1, 0)), Is.EqualTo("step must be nonzero"));
        Assert.That(Error(() => torch.arange(1, 0, 1)), Is.EqualTo("upper bound and larger bound inconsistent with step sign"));
    }

    [Test]
    public void LinspaceValues()
    {
        Assert.That(Repr(torch.linspace(0, 1, 5)), Is.EqualTo("tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])"));
        Assert.That(Repr(torch.linspace(-1, 1, 3)), Is.EqualTo("tensor([-1.,  0.,  1.])"));
        // The second half is computed back from the end, so the last value is exactly `end`.
        var l = torch.linspace(0, 0.3, 7).ToArray<float>();
        Assert.That(l[6], Is.EqualTo(0.3f));
        float step = (0.3f - 0f) / 6;
        Assert.That(l[2], Is.EqualTo(0f + step * 2));
        Assert.That(l[4], Is.EqualTo(0.3f - step * 2));
        Assert.That(Repr(torch.linspace(3, 10, 1)), Is.EqualTo("tensor([3.])"));
    }

    [Test]
    public void EyeFullLike()
    {
        Assert.That(Repr(torch.eye(2)), Is.EqualTo("tensor([[1., 0.],\n        [0., 1.]])"));
        Assert.That(Repr(torch.eye(2, 3)), Is.EqualTo("tensor([[1., 0., 0.],\n        [0., 1., 0.]])"));
        Assert.That(Repr(torch.full([2], 7)), Is.EqualTo("tensor([7, 7])"), "an integer fill value gives int64");
        Assert.That(Repr(torch.full([2], 1.5)), Is.EqualTo("tensor([1.5000, 1.5000])"));
        var i = torch.tensor([1, 2], dtype: torch.int32);
        Assert.That(Repr(torch.ones_like(i)), Is.EqualTo("tensor([1, 1], dtype=torch.int32)"));
        Assert.That(Repr(torch.zeros_like(i, dtype: torch.float64)), Is.EqualTo("tensor([0., 0.], dtype=torch.float64)"));
        Assert.That(Repr(torch.full_like(i, 3)), Is.EqualTo("tensor([3, 3], dtype=torch.int32)"));
        Assert.That(torch.empty_like(i).shape, Is.EqualTo(i.shape));
        Assert.That(torch.rand_like(torch.zeros(2, 2)).dtype, Is.EqualTo(torch.float32));
    }

    [Test]
    public void TensorFromEveryRectangularElementType()
    {
        Assert.That(Repr(torch.tensor(new double[,] { { 1, 2 }, { 3, 4 } })), Is.EqualTo("tensor([[1., 2.],\n        [3., 4.]])"));
        Assert.That(torch.tensor(new double[,] { { 1 } }).dtype, Is.EqualTo(torch.float32), "Python floats become the default dtype");
        Assert.That(Repr(torch.tensor(new long[,] { { 1, 2 } })), Is.EqualTo("tensor([[1, 2]])"));
        Assert.That(torch.tensor(new short[,] { { 1 } }).dtype, Is.EqualTo(torch.int64));
        Assert.That(torch.tensor(new byte[,] { { 1 } }).dtype, Is.EqualTo(torch.int64));
        Assert.That(Repr(torch.tensor(new bool[,] { { true, false } })), Is.EqualTo("tensor([[ True, False]])"));
        Assert.That(Repr(torch.tensor(new float[,] { { 1, 2 } }, dtype: torch.float16)), Is.EqualTo("tensor([[1., 2.]], dtype=torch.float16)"));
        Assert.That(Repr(torch.tensor(new Half[] { (Half)1.5 })), Is.EqualTo("tensor([1.5000])"));
        Assert.That(Repr(torch.tensor(new long[][][] { new[] { new[] { 1L } } })), Is.EqualTo("tensor([[[1]]])"));
        Assert.That(Repr(torch.tensor(new float[][][] { new[] { new[] { 1f } } })), Is.EqualTo("tensor([[[1.]]])"));
        Assert.That(torch.tensor(Array.Empty<double>()).shape, Is.EqualTo(torch.Size(0)));
    }

    [Test]
    public void FromArrayKeepsElementTypeAndShares()
    {
        var arr = new int[,] { { 1, 2 }, { 3, 4 } };
        var t = torch.from_array(arr);
        Assert.That(Repr(t), Is.EqualTo("tensor([[1, 2],\n        [3, 4]], dtype=torch.int32)"));
        arr[1, 0] = 30;
        Assert.That(t.ToArray<int>(), Is.EqualTo(new[] { 1, 2, 30, 4 }));
        t.mul_(2);
        Assert.That(arr[1, 1], Is.EqualTo(8));
        var c = torch.tensor(arr);
        arr[0, 0] = 100;
        Assert.That(c.ToArray<long>()[0], Is.EqualTo(2), "torch.tensor copies");
        t.AsSpan<int>()[0] = -5;
        Assert.That(arr[0, 0], Is.EqualTo(-5), "AsSpan is the numpy() view of the same memory");
    }

    [Test]
    public void ToDtypeTypeAndItem()
    {
        var f = torch.tensor([1.7, -1.7]);
        Assert.That(Repr(f.to(torch.int32)), Is.EqualTo("tensor([ 1, -1], dtype=torch.int32)"), "float to int truncates");
        Assert.That(Repr(f.type(torch.float64)), Is.EqualTo("tensor([ 1.7000, -1.7000], dtype=torch.float64)"));
        Assert.That(f.to(torch.float32), Is.SameAs(f));
        Assert.That(Repr(torch.tensor([0.0, 2.0]).@bool()), Is.EqualTo("tensor([False,  True])"));
        Assert.That(Repr(torch.tensor([300]).to(torch.uint8)), Is.EqualTo("tensor([44], dtype=torch.uint8)"));
        Assert.That(torch.tensor(2.5).item(), Is.EqualTo(2.5));
        Assert.That(torch.tensor(3).item(), Is.EqualTo(3L));
        Assert.That(torch.tensor(true).item(), Is.EqualTo(true));
        Assert.That(torch.tensor([0.1f]).item<double>(), Is.EqualTo((double)0.1f), "item of float32 is the float widened");
        Assert.That(Error(() => torch.tensor([1, 2]).item()), Is.EqualTo("a Tensor with 2 elements cannot be converted to Scalar"));
    }

    [Test]
    public void ToListAndToArray()
    {
        var m = torch.tensor(new[] { new[] { 1, 2 }, new[] { 3, 4 } });
        var list = (List<object>)m.tolist();
        Assert.That(list, Has.Count.EqualTo(2));
        Assert.That((List<object>)list[1], Is.EqualTo(new object[] { 3L, 4L }));
        Assert.That(torch.tensor(1.5).tolist(), Is.EqualTo(1.5));
        Assert.That(m.t().ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 2, 4 }), "row-major order of the view");
        Assert.That(m.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3, 4 }));
        Assert.That(m.ToMultiArray(), Is.EqualTo(new long[,] { { 1, 2 }, { 3, 4 } }));
    }

    [Test]
    public void EqualAndAllclose()
    {
        Assert.That(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])), Is.True);
        Assert.That(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 3])), Is.False);
        Assert.That(torch.equal(torch.tensor([1, 2]), torch.tensor(new[] { new[] { 1, 2 } })), Is.False, "shapes differ");
        Assert.That(torch.allclose(torch.tensor([1.0, 1e-9]), torch.tensor([1.0 + 1e-6, 0.0])), Is.True);
        Assert.That(torch.allclose(torch.tensor([1.0]), torch.tensor([1.001])), Is.False);
        Assert.That(torch.allclose(torch.tensor([double.NaN]), torch.tensor([double.NaN])), Is.False);
        Assert.That(torch.allclose(torch.tensor([double.NaN]), torch.tensor([double.NaN]), equal_nan: true), Is.True);
    }
}

/// <summary>Range factories in reduced precision, where PyTorch's kernels round after every operation.</summary>
public class ReducedPrecisionRangeTests : CoreTestBase
{
    [Test]
    public void HalfLinspaceRoundsEachOperation()
    {
        // torch.linspace(0, 1, 7, dtype=torch.float16): step = Half(1/6) = 0.16662598; element 4 is
        // 1 - Half(step * 2) = 1 - 0.33325195 = 0.66674805, a tie in float16 that rounds to the even 0.66699219.
        // (Computing in double and rounding once would give 0.66650391.)
        var l = torch.linspace(0, 1, 7, dtype: torch.float16).ToArray<float>();
        Assert.That(l[1], Is.EqualTo(0.1666259765625f));
        Assert.That(l[4], Is.EqualTo(0.6669921875f));
        Assert.That(l[6], Is.EqualTo(1f));
        Assert.That(Repr(torch.linspace(0, 1, 5, dtype: torch.bfloat16)), Is.EqualTo("tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000], dtype=torch.bfloat16)"));
    }

    [Test]
    public void HalfArangeComputesInFloat()
    {
        var a = torch.arange(0, 1, 0.25, dtype: torch.float16);
        Assert.That(Repr(a), Is.EqualTo("tensor([0.0000, 0.2500, 0.5000, 0.7500], dtype=torch.float16)"));
        Assert.That(torch.arange(0, 1, 0.1, dtype: torch.float16).ToArray<float>()[3], Is.EqualTo((float)(Half)(0.1f * 3)));
    }
}
