using Notebooks.Tensors.Printing;
using static Notebooks.Tensors.Tests.Printing.ArraySource;

using Notebooks.Tensors.Tests.Printing;

namespace Notebooks.Tensors.Tests.Lessons;

/// <summary>
/// Outputs printed by PyTorch in the course's lessons (tests/Tensors.Tests/Reference/lessons/*.txt, "001" unless said otherwise):
/// the values shown there are the inputs, the printed text is the expected string.
/// </summary>
public class LessonOutputTests : PrinterTestBase
{
    [Test]
    public void IntVector() => // 001, torch.tensor([1, 2, 3, 4])
        Assert.That(Repr(I64(1, 2, 3, 4)), Is.EqualTo("tensor([1, 2, 3, 4])"));

    [Test]
    public void IntMatrix() => // 001, torch.tensor([[1, 2], [3, 4], [5, 6]])
        Assert.That(Repr(I64(S(3, 2), 1, 2, 3, 4, 5, 6)), Is.EqualTo("""
            tensor([[1, 2],
                    [3, 4],
                    [5, 6]])
            """));

    [Test]
    public void Int3DBlocksAreSeparatedByBlankLines() => // 001, torch.tensor([[[1], [2]], [[3], [4]], [[5], [6]]])
        Assert.That(Repr(I64(S(3, 2, 1), 1, 2, 3, 4, 5, 6)), Is.EqualTo("""
            tensor([[[1],
                     [2]],

                    [[3],
                     [4]],

                    [[5],
                     [6]]])
            """));

    [Test]
    public void CudaDeviceSuffix() // 001, b.to("cuda:0") and tensor.to(torch.int32) on cuda
    {
        Assert.That(Repr(I64(-1, 2, 3), new PrintSuffixes("cuda:0")), Is.EqualTo("tensor([-1,  2,  3], device='cuda:0')"));
        Assert.That(Repr(I64(1, 2, 3), new PrintSuffixes("cuda:0")), Is.EqualTo("tensor([1, 2, 3], device='cuda:0')"));
        Assert.That(
            Repr(Int("int32", S(4), 15, 22, 37, 49), new PrintSuffixes("cuda:0")),
            Is.EqualTo("tensor([15, 22, 37, 49], device='cuda:0', dtype=torch.int32)"));
    }

    [Test]
    public void RandnMatrixWithNegatives() => // 001, torch.randn(2, 3)
        Assert.That(Repr(F32(S(2, 3), -0.0951, -0.2390, -0.8133, 1.3322, 2.2960, -0.7344)), Is.EqualTo("""
            tensor([[-0.0951, -0.2390, -0.8133],
                    [ 1.3322,  2.2960, -0.7344]])
            """));

    [Test]
    public void OnesAndZerosAreIntMode() // 001, torch.ones(2, 3) / torch.zeros(2, 3)
    {
        Assert.That(Repr(F32(S(2, 3), 1, 1, 1, 1, 1, 1)), Is.EqualTo("""
            tensor([[1., 1., 1.],
                    [1., 1., 1.]])
            """));
        Assert.That(Repr(F32(S(2, 3), 0, 0, 0, 0, 0, 0)), Is.EqualTo("""
            tensor([[0., 0., 0.],
                    [0., 0., 0.]])
            """));
    }

    [Test]
    public void UninitializedEmptyGoesScientific() => // 001, torch.empty(2, 3): float32 garbage incl. subnormals
        Assert.That(
            Repr(F32(S(2, 3), 8.1306e+19, 4.4938e-41, -9.8392e-18, 4.4938e-41, -1.0354e-17, 4.4938e-41)),
            Is.EqualTo("""
                tensor([[ 8.1306e+19,  4.4938e-41, -9.8392e-18],
                        [ 4.4938e-41, -1.0354e-17,  4.4938e-41]])
                """));

    [Test]
    public void RandVectorWrapsAtNinePerLine() => // 001, torch.rand(10)
        Assert.That(
            Repr(F32(0.7583, 0.4095, 0.3407, 0.3132, 0.8300, 0.5134, 0.1231, 0.0806, 0.5202, 0.9957)),
            Is.EqualTo("""
                tensor([0.7583, 0.4095, 0.3407, 0.3132, 0.8300, 0.5134, 0.1231, 0.0806, 0.5202,
                        0.9957])
                """));

    [Test]
    public void Rand3D() => // 001, torch.rand((3, 2, 3))
        Assert.That(
            Repr(F32(S(3, 2, 3),
                0.9936, 0.0607, 0.9508, 0.1374, 0.1410, 0.2594,
                0.4774, 0.0882, 0.1803, 0.9458, 0.3707, 0.2210,
                0.7131, 0.6848, 0.0293, 0.9608, 0.6544, 0.8924)),
            Is.EqualTo("""
                tensor([[[0.9936, 0.0607, 0.9508],
                         [0.1374, 0.1410, 0.2594]],

                        [[0.4774, 0.0882, 0.1803],
                         [0.9458, 0.3707, 0.2210]],

                        [[0.7131, 0.6848, 0.0293],
                         [0.9608, 0.6544, 0.8924]]])
                """));

    [Test]
    public void ImageRowsWrapInsideThreeDims() => // 001, torch.rand((3, 9, 16)): the first two rows of its output
        Assert.That(
            Repr(F32(S(1, 2, 16),
                0.7899, 0.5314, 0.3023, 0.6681, 0.0272, 0.8676, 0.3552, 0.0803,
                0.3273, 0.0658, 0.3668, 0.4097, 0.4839, 0.1240, 0.5992, 0.7948,
                0.3591, 0.1485, 0.3494, 0.6820, 0.6593, 0.0508, 0.0103, 0.5325,
                0.4949, 0.0341, 0.2333, 0.0313, 0.6392, 0.1771, 0.3008, 0.6533)),
            Is.EqualTo("""
                tensor([[[0.7899, 0.5314, 0.3023, 0.6681, 0.0272, 0.8676, 0.3552, 0.0803,
                          0.3273, 0.0658, 0.3668, 0.4097, 0.4839, 0.1240, 0.5992, 0.7948],
                         [0.3591, 0.1485, 0.3494, 0.6820, 0.6593, 0.0508, 0.0103, 0.5325,
                          0.4949, 0.0341, 0.2333, 0.0313, 0.6392, 0.1771, 0.3008, 0.6533]]])
                """));

    [Test]
    public void FlattenedImageWraps() => // 001, image_tensor.flatten(): its first four lines (36 values)
        Assert.That(
            Repr(F32(
                0.7899, 0.5314, 0.3023, 0.6681, 0.0272, 0.8676, 0.3552, 0.0803, 0.3273,
                0.0658, 0.3668, 0.4097, 0.4839, 0.1240, 0.5992, 0.7948, 0.3591, 0.1485,
                0.3494, 0.6820, 0.6593, 0.0508, 0.0103, 0.5325, 0.4949, 0.0341, 0.2333,
                0.0313, 0.6392, 0.1771, 0.3008, 0.6533, 0.2919, 0.3757, 0.5985, 0.0877)),
            Is.EqualTo("""
                tensor([0.7899, 0.5314, 0.3023, 0.6681, 0.0272, 0.8676, 0.3552, 0.0803, 0.3273,
                        0.0658, 0.3668, 0.4097, 0.4839, 0.1240, 0.5992, 0.7948, 0.3591, 0.1485,
                        0.3494, 0.6820, 0.6593, 0.0508, 0.0103, 0.5325, 0.4949, 0.0341, 0.2333,
                        0.0313, 0.6392, 0.1771, 0.3008, 0.6533, 0.2919, 0.3757, 0.5985, 0.0877])
                """));

    [Test]
    public void ArangeIntsArePaddedToTheWidest() // 001, torch.arange(12), .reshape([2, 2, 3]), .swapaxes(0, 2).flatten()
    {
        Assert.That(Repr(ArangeI64(12)), Is.EqualTo("tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11])"));
        Assert.That(Repr(ArangeI64(2, 2, 3)), Is.EqualTo("""
            tensor([[[ 0,  1,  2],
                     [ 3,  4,  5]],

                    [[ 6,  7,  8],
                     [ 9, 10, 11]]])
            """));
        Assert.That(
            Repr(I64(0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11)),
            Is.EqualTo("tensor([ 0,  6,  3,  9,  1,  7,  4, 10,  2,  8,  5, 11])"));
    }

    [Test]
    public void SumOfIntAndRandnWraps() => // 001, a + torch.randn_like(a, dtype=torch.float)
        Assert.That(
            Repr(F32(-1.6331, 1.3886, 2.0605, 2.8163, 5.7249, 3.5559, 6.2616, 7.0003, 8.0215, 7.6709, 10.5613, 10.0361)),
            Is.EqualTo("""
                tensor([-1.6331,  1.3886,  2.0605,  2.8163,  5.7249,  3.5559,  6.2616,  7.0003,
                         8.0215,  7.6709, 10.5613, 10.0361])
                """));

    [Test]
    public void Float16ShowsRoundedValuesInfAndDType() => // 001, torch.tensor([1.5, 2.2, 3.7, 2 ** 30], dtype=torch.float16)
        Assert.That(
            Repr(F16(S(4), 1.5, 2.2, 3.7, 1 << 30)),
            Is.EqualTo("tensor([1.5000, 2.1992, 3.6992,    inf], dtype=torch.float16)"));

    [Test]
    public void NonDefaultDTypesGetASuffix() // 001
    {
        Assert.That(
            Repr(F64(S(4), 1.5, 2.2, 3.7, 4.9)),
            Is.EqualTo("tensor([1.5000, 2.2000, 3.7000, 4.9000], dtype=torch.float64)"));
        Assert.That(Repr(I64(15, 22, 37, 49)), Is.EqualTo("tensor([15, 22, 37, 49])"));
        Assert.That(Repr(Int("int32", S(4), 15, 22, 37, 49)), Is.EqualTo("tensor([15, 22, 37, 49], dtype=torch.int32)"));
        Assert.That(Repr(Int("int16", S(4), 15, 22, 37, 49)), Is.EqualTo("tensor([15, 22, 37, 49], dtype=torch.int16)"));
        Assert.That(
            Repr(F64(S(10), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)),
            Is.EqualTo("tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1.], dtype=torch.float64)"));
    }

    [Test]
    public void DivisionByZeroGivesInfWithoutDot() => // 001, a / 0
        Assert.That(Repr(F32(S(2, 3), double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity,
            double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity)), Is.EqualTo("""
                tensor([[inf, inf, inf],
                        [inf, inf, inf]])
                """));

    [Test]
    public void RequiresGradAndGradFnSuffixes() // 001, torch.rand(3, 5, requires_grad=True) and w + 1
    {
        var w = F32(S(3, 5),
            0.0238, 0.2088, 0.8197, 0.2214, 0.6280,
            0.6473, 0.5695, 0.0601, 0.4391, 0.5918,
            0.0456, 0.4512, 0.3637, 0.5994, 0.3138);
        Assert.That(Repr(w, RequiresGrad), Is.EqualTo("""
            tensor([[0.0238, 0.2088, 0.8197, 0.2214, 0.6280],
                    [0.6473, 0.5695, 0.0601, 0.4391, 0.5918],
                    [0.0456, 0.4512, 0.3637, 0.5994, 0.3138]], requires_grad=True)
            """));
        var z = F32(S(3, 5),
            1.0238, 1.2088, 1.8197, 1.2214, 1.6280,
            1.6473, 1.5695, 1.0601, 1.4391, 1.5918,
            1.0456, 1.4512, 1.3637, 1.5994, 1.3138);
        Assert.That(Repr(z, GradFn("AddBackward0")), Is.EqualTo("""
            tensor([[1.0238, 1.2088, 1.8197, 1.2214, 1.6280],
                    [1.6473, 1.5695, 1.0601, 1.4391, 1.5918],
                    [1.0456, 1.4512, 1.3637, 1.5994, 1.3138]], grad_fn=<AddBackward0>)
            """));
        // grad_fn wins over requires_grad (a non-leaf requires grad too)
        Assert.That(
            Repr(F32(1.0931, 1.3124, 1.8012), new PrintSuffixes(RequiresGrad: true, GradFnName: "CopySlices")),
            Is.EqualTo("tensor([1.0931, 1.3124, 1.8012], grad_fn=<CopySlices>)"));
        Assert.That(Repr(F32(0.4976), RequiresGrad), Is.EqualTo("tensor([0.4976], requires_grad=True)"));
        Assert.That(
            Repr(F32(0.1581, 0.2214, -0.1437), GradFn("SqueezeBackward4")),
            Is.EqualTo("tensor([ 0.1581,  0.2214, -0.1437], grad_fn=<SqueezeBackward4>)"));
    }

    [Test]
    public void SuffixWrapsOntoItsOwnLineWhenPastLineWidth() // 001, a / 15 (sci mode) vs b / 15
    {
        var a = F32(S(3, 5),
            2.1862e-02, 3.9616e-02, 4.3297e-02, 5.3840e-02, 4.6404e-02,
            4.8289e-02, 2.5765e-02, 2.8644e-02, 4.6089e-04, 2.1404e-02,
            6.0560e-02, 6.2525e-05, 3.5952e-02, 3.0284e-02, 7.0479e-03);
        Assert.That(Repr(a, GradFn("DivBackward0")), Is.EqualTo("""
            tensor([[2.1862e-02, 3.9616e-02, 4.3297e-02, 5.3840e-02, 4.6404e-02],
                    [4.8289e-02, 2.5765e-02, 2.8644e-02, 4.6089e-04, 2.1404e-02],
                    [6.0560e-02, 6.2525e-05, 3.5952e-02, 3.0284e-02, 7.0479e-03]],
                   grad_fn=<DivBackward0>)
            """));
        var b = F32(S(3, 5),
            0.0211, 0.0469, 0.0260, 0.0497, 0.0574,
            0.0321, 0.0565, 0.0637, 0.0639, 0.0664,
            0.0390, 0.0286, 0.0632, 0.0460, 0.0239);
        Assert.That(Repr(b, GradFn("DivBackward0")), Is.EqualTo("""
            tensor([[0.0211, 0.0469, 0.0260, 0.0497, 0.0574],
                    [0.0321, 0.0565, 0.0637, 0.0639, 0.0664],
                    [0.0390, 0.0286, 0.0632, 0.0460, 0.0239]], grad_fn=<DivBackward0>)
            """));
    }

    [Test]
    public void Scalars() // 001 and 003
    {
        Assert.That(Repr(F32(S(), 1.9427), GradFn("SumBackward0")), Is.EqualTo("tensor(1.9427, grad_fn=<SumBackward0>)"));
        Assert.That(Repr(F32(S(), 1.9511)), Is.EqualTo("tensor(1.9511)"));
        Assert.That(Repr(F32(S(), -1.2366)), Is.EqualTo("tensor(-1.2366)"));
        Assert.That(Repr(F32(S(), 15.7096), GradFn("SumBackward0")), Is.EqualTo("tensor(15.7096, grad_fn=<SumBackward0>)"));
        Assert.That(Repr(F32(S(), 27), GradFn("MeanBackward1")), Is.EqualTo("tensor(27., grad_fn=<MeanBackward1>)")); // 003
    }

    [Test]
    public void Lesson003Outputs()
    {
        Assert.That(Repr(F32(S(2, 2), 1.2734, -1.4395, 1.9824, 1.8353), RequiresGrad), Is.EqualTo("""
            tensor([[ 1.2734, -1.4395],
                    [ 1.9824,  1.8353]], requires_grad=True)
            """));
        Assert.That(
            Repr(F64(S(3), 1, 2, 3), RequiresGrad),
            Is.EqualTo("tensor([1., 2., 3.], dtype=torch.float64, requires_grad=True)"));
        Assert.That(Repr(F64(S(3), 1, 2, 3)), Is.EqualTo("tensor([1., 2., 3.], dtype=torch.float64)"));
        Assert.That(Repr(F32(S(2, 2), 27, 27, 27, 27), GradFn("MulBackward0")), Is.EqualTo("""
            tensor([[27., 27.],
                    [27., 27.]], grad_fn=<MulBackward0>)
            """));
    }
}
