namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>
/// Lesson 001 ("Введение. Полносвязные слои. Функции активации"), its tensor cells in order. Where the lesson drew
/// unseeded random numbers, a twin either checks shape and dtype only, or takes the values the lesson printed as its
/// input and checks that the next cell's printed text follows from them (exactly for data movement, within print
/// precision for arithmetic on the rounded inputs).
///
/// Not twinned here: the GPU cells (b.to("cuda:0"), torch.cuda.*, nvidia-smi, the device-mismatch error),
/// `b[0] = -1`, `x[None, :, :]`, `first_z[i] = ...` (indexers, owned by the indexing work; fill_ on a select() view
/// does the same write), `x.view()` with no arguments (the lesson's output is not what PyTorch prints for it), the
/// autograd cells and everything using nn.
/// </summary>
public class Lesson001Tests
{
    private static void AssertClosePrinted(Tensor actual, float[] printed, double tol = 1.5e-4)
    {
        var got = actual.ToArray<float>();
        Assert.That(got.Length, Is.EqualTo(printed.Length));
        for (int i = 0; i < got.Length; i++)
            Assert.That(got[i], Is.EqualTo(printed[i]).Within(tol), $"element {i}");
    }

    [Test]
    public void TensorFromLists()
    {
        Assert.That(torch.tensor([1, 2, 3, 4]).ToString(), Is.EqualTo("tensor([1, 2, 3, 4])"));

        int[][] rows = [[1, 2], [3, 4], [5, 6]];
        Assert.That(torch.tensor(rows).ToString(), Is.EqualTo("""
            tensor([[1, 2],
                    [3, 4],
                    [5, 6]])
            """));
        // The same data as a rectangular array.
        Assert.That(torch.tensor(new int[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }).ToString(), Is.EqualTo(torch.tensor(rows).ToString()));

        int[][][] some_data = [[[1], [2]], [[3], [4]], [[5], [6]]];
        var some_tensor = torch.tensor(some_data);
        Assert.That(some_tensor.ToString(), Is.EqualTo("""
            tensor([[[1],
                     [2]],

                    [[3],
                     [4]],

                    [[5],
                     [6]]])
            """));
        Assert.That(some_tensor.shape.ToString(), Is.EqualTo("torch.Size([3, 2, 1])"));
    }

    [Test]
    public void TensorCopiesButFromArrayShares()
    {
        long[] a = [1, 2, 3];                 // np.array([1, 2, 3]) is int64
        var b = torch.tensor(a);
        Assert.That(a[1], Is.EqualTo(2));
        b.select(0, 0).fill_(-1);              // b[0] = -1
        Assert.That(a, Is.EqualTo(new long[] { 1, 2, 3 }));   // torch.tensor copied

        b = torch.from_array(a);               // torch.from_numpy(a)
        b.select(0, 0).fill_(-1);
        Assert.That(a, Is.EqualTo(new long[] { -1, 2, 3 }));  // array([-1,  2,  3])
        Assert.That(b.ToString(), Is.EqualTo("tensor([-1,  2,  3])"));
    }

    [Test]
    public void RaggedListsAreRejected()
    {
        int[][] some_other_data = [[1, 2], [3, 4], [5, 6, 7]];
        var e = Assert.Throws<ArgumentException>(() => torch.tensor(some_other_data));
        Assert.That(e!.Message, Is.EqualTo("expected sequence of length 2 at dim 1 (got 3)"));
    }

    [Test]
    public void FromNumpyArray3D()
    {
        var some_numpy_array = new long[,,] { { { 1 }, { 2 } }, { { 3 }, { 4 } }, { { 5 }, { 6 } } };
        var some_tensor_from_numpy = torch.from_array(some_numpy_array);
        Assert.That(some_tensor_from_numpy.ToString(), Is.EqualTo("""
            tensor([[[1],
                     [2]],

                    [[3],
                     [4]],

                    [[5],
                     [6]]])
            """));
    }

    [Test]
    public void FromArraySharesMemoryBothWays()
    {
        var x = new double[10]; Array.Fill(x, 1.0);   // np.ones(10)
        var y = torch.from_array(x);
        Assert.That(y.ToString(), Is.EqualTo("tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1.], dtype=torch.float64)"));
        for (int i = 0; i < x.Length; i++) x[i] += 1;   // x += 1
        Assert.That(y.ToString(), Is.EqualTo("tensor([2., 2., 2., 2., 2., 2., 2., 2., 2., 2.], dtype=torch.float64)"));
    }

    [Test]
    public void NumpyViewSeesInPlaceAdd()
    {
        var x = torch.ones(10);
        var before = x;
        Assert.That(x.AsSpan<float>().ToArray(), Is.All.EqualTo(1f));   // y = x.numpy(): dtype=float32
        x += 1;
        Assert.That(x, Is.SameAs(before), "x += 1 is in place in PyTorch");
        Assert.That(x.ToString(), Is.EqualTo("tensor([2., 2., 2., 2., 2., 2., 2., 2., 2., 2.])"));
        Assert.That(x.AsSpan<float>().ToArray(), Is.All.EqualTo(2f));
    }

    [Test]
    public void RandomAndConstantFactories()
    {
        long[] shape = [2, 3];
        var random_tensor = torch.randn(shape);
        var ones_tensor = torch.ones(shape);
        var zeros_tensor = torch.zeros(shape);
        var empty_tensor = torch.empty(shape);
        Assert.That(random_tensor.shape.ToString(), Is.EqualTo("torch.Size([2, 3])"));
        Assert.That(ones_tensor.ToString(), Is.EqualTo("tensor([[1., 1., 1.],\n        [1., 1., 1.]])"));
        Assert.That(zeros_tensor.ToString(), Is.EqualTo("tensor([[0., 0., 0.],\n        [0., 0., 0.]])"));
        Assert.That(empty_tensor.shape, Is.EqualTo(torch.Size(2, 3)));   // contents are uninitialised
        Assert.That(empty_tensor.dtype, Is.EqualTo(torch.float32));
    }

    [Test]
    public void Shapes()
    {
        Assert.That(torch.tensor([1, 2, 3]).shape.ToString(), Is.EqualTo("torch.Size([3])"));
        var d = torch.tensor(new[] { new[] { 1, 2 }, new[] { 1, 2 } });
        Assert.That(d.ToString(), Is.EqualTo("tensor([[1, 2],\n        [1, 2]])"));
        Assert.That(d.shape.ToString(), Is.EqualTo("torch.Size([2, 2])"));
        Assert.That(torch.rand(10).shape.ToString(), Is.EqualTo("torch.Size([10])"));
        Assert.That(torch.rand(2, 3).shape.ToString(), Is.EqualTo("torch.Size([2, 3])"));
        Assert.That(torch.rand(3, 2, 3).shape.ToString(), Is.EqualTo("torch.Size([3, 2, 3])"));
    }

    [Test]
    public void ImageTensorFlattenRavelNumel()
    {
        long h = 9, w = 16, c = 3;
        var image_tensor = torch.rand(c, h, w);
        Assert.That(image_tensor.shape.ToString(), Is.EqualTo("torch.Size([3, 9, 16])"));
        var flat = image_tensor.flatten();
        Assert.That(flat.shape.ToString(), Is.EqualTo("torch.Size([432])"));
        Assert.That(flat.ToArray<float>(), Is.EqualTo(image_tensor.ToArray<float>()));
        Assert.That(image_tensor.ravel().shape.ToString(), Is.EqualTo("torch.Size([432])"));
        Assert.That(h * w * c, Is.EqualTo(432));
        Assert.That(image_tensor.numel(), Is.EqualTo(432));
    }

    [Test]
    public void ArangeReshapeSwapaxes()
    {
        var a = torch.arange(12);
        Assert.That(a.ToString(), Is.EqualTo("tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11])"));
        Assert.That(a.reshape([2, 2, 3]).ToString(), Is.EqualTo("""
            tensor([[[ 0,  1,  2],
                     [ 3,  4,  5]],

                    [[ 6,  7,  8],
                     [ 9, 10, 11]]])
            """));
        Assert.That(a.reshape([2, 2, 3]).swapaxes(0, 2).flatten().ToString(),
            Is.EqualTo("tensor([ 0,  6,  3,  9,  1,  7,  4, 10,  2,  8,  5, 11])"));
    }

    [Test]
    public void ReshapeImage()
    {
        // The lesson's torch.rand((3, 2, 3)) as printed.
        long h = 2, w = 3, c = 3;
        var image_tensor = torch.tensor(new float[,,]
        {
            { { 0.7836f, 0.7976f, 0.1130f }, { 0.6698f, 0.1915f, 0.5549f } },
            { { 0.0319f, 0.1300f, 0.0443f }, { 0.7579f, 0.3340f, 0.9173f } },
            { { 0.6542f, 0.9445f, 0.0634f }, { 0.5483f, 0.8143f, 0.3038f } },
        });
        Assert.That(image_tensor.ToString(), Is.EqualTo("""
            tensor([[[0.7836, 0.7976, 0.1130],
                     [0.6698, 0.1915, 0.5549]],

                    [[0.0319, 0.1300, 0.0443],
                     [0.7579, 0.3340, 0.9173]],

                    [[0.6542, 0.9445, 0.0634],
                     [0.5483, 0.8143, 0.3038]]])
            """));
        Assert.That(image_tensor.reshape(c, h * w).ToString(), Is.EqualTo("""
            tensor([[0.7836, 0.7976, 0.1130, 0.6698, 0.1915, 0.5549],
                    [0.0319, 0.1300, 0.0443, 0.7579, 0.3340, 0.9173],
                    [0.6542, 0.9445, 0.0634, 0.5483, 0.8143, 0.3038]])
            """));
        Assert.That(image_tensor.reshape(c, h * w).reshape(-1, h, w).shape.ToString(), Is.EqualTo("torch.Size([3, 2, 3])"));
    }

    [Test]
    public void IntPlusFloatRandnLike()
    {
        var a = torch.arange(12);
        var b = torch.randn_like(a, dtype: torch.@float);
        var s = a + b;
        Assert.That(s.dtype, Is.EqualTo(torch.float32));   // int64 + float32 -> float32
        Assert.That((s - b).round().to(torch.int64).equal(a), Is.True);
    }

    [Test]
    public void CatAlongRowsAndColumns()
    {
        // x = torch.randn(2, 3); y = torch.randn_like(x), as printed.
        var x = torch.tensor(new float[,] { { -1.4620f, -0.3123f, 0.5369f }, { 1.7782f, -0.2550f, 1.9353f } });
        var y = torch.tensor(new float[,] { { -2.5860f, -0.0759f, 0.1682f }, { 0.6147f, -0.8276f, -0.4841f } });
        Assert.That(torch.cat([x, y], dim: 0).ToString(), Is.EqualTo("""
            tensor([[-1.4620, -0.3123,  0.5369],
                    [ 1.7782, -0.2550,  1.9353],
                    [-2.5860, -0.0759,  0.1682],
                    [ 0.6147, -0.8276, -0.4841]])
            """));
        Assert.That(torch.cat([x, y], dim: 1).ToString(), Is.EqualTo("""
            tensor([[-1.4620, -0.3123,  0.5369, -2.5860, -0.0759,  0.1682],
                    [ 1.7782, -0.2550,  1.9353,  0.6147, -0.8276, -0.4841]])
            """));
        Assert.That(torch.randn_like(x).shape, Is.EqualTo(x.shape));
    }

    [Test]
    public void CatThreeAlongDim0()
    {
        var x = torch.tensor(new float[,,] { { { 0.1099f }, { -0.6009f }, { 2.3798f } }, { { -1.1369f }, { 0.9354f }, { 0.9228f } }, { { -0.8270f }, { -2.2214f }, { 0.8097f } } });
        var y = torch.randn(5, 3, 1);
        var z = torch.tensor(new float[,,] { { { 0.8544f }, { -0.0262f }, { -0.4841f } } });
        var r = torch.cat([x, y, z], dim: 0);
        Assert.That(r.shape.ToString(), Is.EqualTo("torch.Size([9, 3, 1])"));
        Assert.That(r.narrow(0, 0, 3).equal(x) && r.narrow(0, 3, 5).equal(y) && r.narrow(0, 8, 1).equal(z), Is.True);
        Assert.That(r.narrow(0, 8, 1).ToString(), Is.EqualTo("""
            tensor([[[ 0.8544],
                     [-0.0262],
                     [-0.4841]]])
            """));
    }

    [Test]
    public void CatMismatchError()
    {
        var x = torch.randn(3, 3, 1);
        var y = torch.randn(5, 3, 2);   // "размерность y не совпадает"
        var z = torch.randn(1, 3, 1);
        var e = Assert.Throws<ArgumentException>(() => torch.cat([x, y, z], dim: 0));
        Assert.That(e!.Message, Is.EqualTo(
            "Sizes of tensors must match except in dimension 0. Expected size 1 but got size 2 for tensor number 1 in the list."));
    }

    [Test]
    public void CatAlongColumns()
    {
        var x = torch.tensor(new float[,] { { 0.4775f, 0.7585f, -1.3290f }, { -0.4803f, -0.9404f, 0.8828f } });
        var y = torch.tensor(new float[,] { { -1.1294f, -0.1203f, -0.2312f, 1.0308f, 1.5457f }, { 0.0845f, 0.4249f, -0.4672f, 0.7690f, 0.3569f } });
        var z = torch.tensor(new float[,] { { -1.3635f }, { -0.9679f } });
        Assert.That(torch.cat([x, y, z], dim: 1).ToString(), Is.EqualTo("""
            tensor([[ 0.4775,  0.7585, -1.3290, -1.1294, -0.1203, -0.2312,  1.0308,  1.5457,
                     -1.3635],
                    [-0.4803, -0.9404,  0.8828,  0.0845,  0.4249, -0.4672,  0.7690,  0.3569,
                     -0.9679]])
            """));
    }

    [Test]
    public void Unsqueeze()
    {
        Assert.That(torch.tensor([1, 2, 3]).unsqueeze(0).shape.ToString(), Is.EqualTo("torch.Size([1, 3])"));
        var x = torch.tensor(new float[,] { { 0.1164f, 0.1850f, 0.6001f }, { 0.7171f, 0.3169f, 0.2525f } });
        Assert.That(x.unsqueeze(0).ToString() + " " + x.unsqueeze(0).shape, Is.EqualTo("""
            tensor([[[0.1164, 0.1850, 0.6001],
                     [0.7171, 0.3169, 0.2525]]]) torch.Size([1, 2, 3])
            """));
        Assert.That(x.unsqueeze(1).ToString() + " " + x.unsqueeze(1).shape, Is.EqualTo("""
            tensor([[[0.1164, 0.1850, 0.6001]],

                    [[0.7171, 0.3169, 0.2525]]]) torch.Size([2, 1, 3])
            """));
        Assert.That(x.unsqueeze(2).ToString() + " " + x.unsqueeze(2).shape, Is.EqualTo("""
            tensor([[[0.1164],
                     [0.1850],
                     [0.6001]],

                    [[0.7171],
                     [0.3169],
                     [0.2525]]]) torch.Size([2, 3, 1])
            """));
    }

    [Test]
    public void Squeeze()
    {
        var x = torch.tensor(new float[,,,]
        {
            { { { 0.2014f, 0.8541f, 0.4821f } }, { { 0.0186f, 0.4189f, 0.6669f } } },
            { { { 0.8763f, 0.2701f, 0.1984f } }, { { 0.7823f, 0.2069f, 0.2191f } } },
        });
        const string printed = """
            tensor([[[[0.2014, 0.8541, 0.4821]],

                     [[0.0186, 0.4189, 0.6669]]],


                    [[[0.8763, 0.2701, 0.1984]],

                     [[0.7823, 0.2069, 0.2191]]]])
            """;
        Assert.That(x.ToString(), Is.EqualTo(printed));
        Assert.That(x.squeeze().ToString() + " " + x.squeeze().shape, Is.EqualTo("""
            tensor([[[0.2014, 0.8541, 0.4821],
                     [0.0186, 0.4189, 0.6669]],

                    [[0.8763, 0.2701, 0.1984],
                     [0.7823, 0.2069, 0.2191]]]) torch.Size([2, 2, 3])
            """));
        // squeeze(0) on a dim of size 2 is a no-op.
        Assert.That(x.squeeze(0).ToString() + " " + x.squeeze(0).shape, Is.EqualTo(printed + " torch.Size([2, 2, 1, 3])"));
    }

    [Test]
    public void Dtypes()
    {
        var tensor = torch.tensor([1.5, 2.2, 3.7, 4.9]);
        Assert.That(tensor.ToString(), Is.EqualTo("tensor([1.5000, 2.2000, 3.7000, 4.9000])"));
        Assert.That(tensor.dtype.ToString(), Is.EqualTo("torch.float32"));

        tensor = torch.tensor([1.5, 2.2, 3.7, Math.Pow(2, 30)], dtype: torch.float16);
        Assert.That(tensor.ToString(), Is.EqualTo("tensor([1.5000, 2.1992, 3.6992,    inf], dtype=torch.float16)"));

        tensor = torch.tensor([1.5, 2.2, 3.7, 4.9], dtype: torch.float64);
        Assert.That(tensor.ToString(), Is.EqualTo("tensor([1.5000, 2.2000, 3.7000, 4.9000], dtype=torch.float64)"));

        tensor = torch.tensor([15, 22, 37, 49]);
        Assert.That(tensor.ToString(), Is.EqualTo("tensor([15, 22, 37, 49])"));
        Assert.That(tensor.dtype.ToString(), Is.EqualTo("torch.int64"));
        Assert.That(torch.tensor([15, 22, 37, 49], dtype: torch.int32).ToString(), Is.EqualTo("tensor([15, 22, 37, 49], dtype=torch.int32)"));
        Assert.That(torch.tensor([15, 22, 37, 49], dtype: torch.int16).ToString(), Is.EqualTo("tensor([15, 22, 37, 49], dtype=torch.int16)"));
        Assert.That(torch.rand([1, 3, 4], dtype: torch.float32).dtype.ToString(), Is.EqualTo("torch.float32"));
    }

    [Test]
    public void ToDtypeAndCpuOnTheCpu()
    {
        // The lesson ran these on cuda:0; on the CPU the device suffix is absent.
        var device = torch.device("cpu");
        var tensor = torch.tensor([15, 22, 37, 49], device: device);
        Assert.That(tensor.to(device), Is.SameAs(tensor));
        Assert.That(tensor.to(torch.int32).ToString(), Is.EqualTo("tensor([15, 22, 37, 49], dtype=torch.int32)"));
        Assert.That(tensor.cpu().ToString(), Is.EqualTo("tensor([15, 22, 37, 49])"));
        Assert.That(device.ToString(), Is.EqualTo("cpu"));
    }

    [Test]
    public void ElementwiseOps()
    {
        // a = torch.rand(2, 3); b = torch.rand(2, 3), as printed; results agree to print precision.
        var a = torch.tensor(new float[,] { { 0.2847f, 0.7899f, 0.0196f }, { 0.8294f, 0.0805f, 0.3440f } });
        var b = torch.tensor(new float[,] { { 0.4600f, 0.3070f, 0.9576f }, { 0.5525f, 0.8378f, 0.2910f } });

        const string sum = "tensor([[0.7447, 1.0969, 0.9772],\n        [1.3819, 0.9183, 0.6350]])";
        Assert.That((a + b).ToString(), Is.EqualTo(sum));
        Assert.That(torch.add(a, b).ToString(), Is.EqualTo(sum));
        Assert.That(a.add(b).ToString(), Is.EqualTo(sum));

        float[] diff = [-0.1753f, 0.4829f, -0.9380f, 0.2769f, -0.7573f, 0.0529f];
        AssertClosePrinted(a - b, diff); AssertClosePrinted(torch.sub(a, b), diff); AssertClosePrinted(a.sub(b), diff);

        // Products and quotients of 4-digit inputs drift further from the lesson's full-precision values.
        float[] prod = [0.1309f, 0.2425f, 0.0188f, 0.4582f, 0.0675f, 0.1001f];
        AssertClosePrinted(a * b, prod, 2e-4); AssertClosePrinted(torch.mul(a, b), prod, 2e-4); AssertClosePrinted(a.mul(b), prod, 2e-4);

        float[] quot = [0.6189f, 2.5728f, 0.0205f, 1.5012f, 0.0961f, 1.1819f];
        AssertClosePrinted(a / b, quot, 1e-3); AssertClosePrinted(torch.div(a, b), quot, 1e-3); AssertClosePrinted(a.div(b), quot, 1e-3);

        Assert.That((a / 0).ToString(), Is.EqualTo("tensor([[inf, inf, inf],\n        [inf, inf, inf]])"));
    }

    [Test]
    public void SameDeviceAddition()
    {
        var a = torch.tensor(new float[,] { { 0.5f, 0.25f, 1f }, { 0.75f, 0.125f, 0.5f } });
        var b = torch.tensor(new float[,] { { 1f, 0.5f, 0.25f }, { 0.25f, 0.125f, 1f } });
        Assert.That((a + b).ToString(), Is.EqualTo("tensor([[1.5000, 0.7500, 1.2500],\n        [1.0000, 0.2500, 1.5000]])"));
    }

    [Test]
    public void BatchedMatmulTraceExp()
    {
        var a = torch.rand(10, 2, 3);
        var b = torch.rand(10, 3, 4);
        var c = torch.rand(5, 5);
        var ab = a.matmul(b);
        Assert.That(ab.shape.ToString(), Is.EqualTo("torch.Size([10, 2, 4])"));
        Assert.That(torch.matmul(a, b).equal(ab), Is.True);
        // Each batch is the matrix product of its slices.
        for (int i = 0; i < 10; i++)
            Assert.That(ab.select(0, i).allclose(a.select(0, i).mm(b.select(0, i)), 1e-6, 1e-6), Is.True);
        Assert.That(c.trace().item<float>(), Is.EqualTo(c.diagonal().sum().item<float>()).Within(1e-6));
        Assert.That(c.trace().dim(), Is.EqualTo(0));
        Assert.That(c.exp().allclose(torch.exp(c)), Is.True);
        Assert.That(c.exp().ge(1).all().item<bool>(), Is.True);
    }

    [Test]
    public void EmptyVectorShape()
    {
        var first_z = torch.empty(3);
        Assert.That(first_z.shape.ToString(), Is.EqualTo("torch.Size([3])"));
    }

    [Test]
    public void MatmulWithTransposeMatchesRowSums()
    {
        // first_z[i] = torch.sum(w[i] * x) versus torch.matmul(x, w.t()): the lesson shows both give the same vector.
        var x = torch.rand(5);
        var w = torch.rand(3, 5);
        var z = torch.matmul(x, w.t());
        Assert.That(z.shape.ToString(), Is.EqualTo("torch.Size([3])"));
        var first_z = torch.empty(3);
        for (int i = 0; i < 3; i++) first_z.select(0, i).copy_(torch.sum(w.select(0, i) * x));
        Assert.That(first_z.allclose(z, 1e-5, 1e-6), Is.True);
    }

    [Test]
    public void IntTensorTimesFloatTensorSum()
    {
        // y = torch.sum(z * v) with v = [0.6196, 0.4437, 0.1453] as printed: 0.6196 + 0.8874 + 0.4359 = 1.9429.
        var v = torch.tensor([0.6196f, 0.4437f, 0.1453f]);
        var z = torch.tensor([1, 2, 3]);
        var y = torch.sum(z * v);
        Assert.That(y.dtype, Is.EqualTo(torch.float32));
        Assert.That(y.ToString(), Is.EqualTo("tensor(1.9429)"));
    }

    /// <summary>The seeded "Градиентный спуск своими руками" data, in the lesson's cell order.</summary>
    private static (Tensor x, Tensor y, Tensor w_true, Tensor b_true) RegressionData()
    {
        const int n_features = 2, n_objects = 300;
        torch.manual_seed(0);
        var w_true = torch.randn(n_features);
        var b_true = torch.randn(1);
        var x = (torch.rand(n_objects, n_features) - 0.5) * 10 * (torch.arange(n_features) * 2 + 1);
        var y = torch.matmul(x, w_true) + torch.randn(n_objects) + b_true;
        return (x, y, w_true, b_true);
    }

    [Test]
    public void SeededRegressionData()
    {
        var (x, y, w_true, b_true) = RegressionData();
        Assert.That($"({x.shape}, {y.shape}, {w_true.shape}, {b_true.shape})",
            Is.EqualTo("(torch.Size([300, 2]), torch.Size([300]), torch.Size([2]), torch.Size([1]))"));
        Assert.That(w_true.ToString(), Is.EqualTo("tensor([ 1.5410, -0.2934])"));
        Assert.That(x.dtype, Is.EqualTo(torch.float32));
    }

    [Test]
    public void GradientDescentByHand()
    {
        // The lesson's loop with autograd's gradients written out: d mean((xw + b - y)^2) = 2/n * (residual) pulled
        // back through the matmul and the broadcast. w and b continue the seeded generator (w = torch.rand(2), b = torch.rand(1)).
        var (x, y, _, _) = RegressionData();
        var w = torch.rand(2);
        var b = torch.rand(1);
        var wAlias = w;
        const int n_steps = 200;
        const double step_size = 1e-2;
        var printed = new List<string>();
        for (int i = 0; i < n_steps; i++)
        {
            var y_pred = torch.matmul(x, w) + b;
            var mse = torch.mean((y_pred - y).pow(2));
            if (i < 20 || i % 10 == 0)
                printed.Add(FormattableString.Invariant($"MSE на шаге {i + 1} {mse.item<double>():F5}"));
            var g = (y_pred - y) * 2 / 300.0;
            var w_grad = torch.matmul(x.t(), g);
            var b_grad = g.sum().reshape(1);
            w -= w_grad * step_size;
            b -= b_grad * step_size;
        }
        Assert.That(w, Is.SameAs(wAlias), "w -= ... updates w in place");
        Assert.That(printed[0], Is.EqualTo("MSE на шаге 1 23.65750"));
        Assert.That(printed[1], Is.EqualTo("MSE на шаге 2 15.53605"));
        Assert.That(printed[19], Is.EqualTo("MSE на шаге 20 4.79735"));
        Assert.That(printed[^1], Is.EqualTo("MSE на шаге 191 1.02661"));
        Assert.That(w.ToString(), Is.EqualTo("tensor([ 1.5492, -0.2854])"));
    }
}
