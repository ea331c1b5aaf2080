using Notebooks.Tensors.Printing;
using static Notebooks.Tensors.Tests.Printing.ArraySource;

namespace Notebooks.Tensors.Tests.Printing;

/// <summary>
/// The expected strings of PyTorch's own <c>TestTorch.test_print</c> (test/test_torch.py, pytorch/pytorch) for real,
/// dense tensors, and the examples in the <c>torch.set_printoptions</c> docstring (torch/_tensor_str.py).
/// Complex, sparse and CUDA-default-device cases are out of scope.
/// </summary>
public class PyTorchPrintTests : PrinterTestBase
{
    [Test]
    public void BigInteger() => // torch.tensor(2341234123412341)
        Assert.That(Repr(I64(S(), 2341234123412341)), Is.EqualTo("tensor(2341234123412341)"));

    [Test]
    public void ScientificNotation() => // torch.tensor([1e28, 1e-28])
        Assert.That(Repr(F32(1e28, 1e-28)), Is.EqualTo("tensor([1.0000e+28, 1.0000e-28])"));

    [Test]
    public void ScientificNotationUsingSetPrintoptions() // torch.tensor([1e2, 1e-2]) with sci_mode=True / False / None
    {
        var x = F32(1e2, 1e-2);
        torch.set_printoptions(sci_mode: true);
        Assert.That(Repr(x), Is.EqualTo("tensor([1.0000e+02, 1.0000e-02])"));
        torch.set_printoptions(sci_mode: false);
        Assert.That(Repr(x), Is.EqualTo("tensor([  100.0000,     0.0100])"));
        torch.set_printoptions(sci_mode: null);
        Assert.That(Repr(x), Is.EqualTo("tensor([1.0000e+02, 1.0000e-02])")); // ratio 1e4 > 1000: automatic sci
    }

    [Test]
    public void LeadingSpaceOnlyWithNegatives() // torch.tensor([1, 2]) / torch.tensor([1, -2])
    {
        Assert.That(Repr(I64(1, 2)), Is.EqualTo("tensor([1, 2])"));
        Assert.That(Repr(I64(1, -2)), Is.EqualTo("tensor([ 1, -2])"));
    }

    [Test]
    public void InfAndNan() => // torch.tensor([4, inf, 1.5, -inf, 0, nan, 1])
        Assert.That(
            Repr(F32(4, double.PositiveInfinity, 1.5, double.NegativeInfinity, 0, double.NaN, 1)),
            Is.EqualTo("tensor([4.0000,    inf, 1.5000,   -inf, 0.0000,    nan, 1.0000])"));

    [Test]
    public void Float64SubnormalsAndDefaultDType() // torch.tensor([1e-324, 1e-323, 1e-322, 1e307, 1e308, 1e309], dtype=torch.float64)
    {
        var x = F64(S(6), 1e-324, 1e-323, 1e-322, 1e307, 1e308, double.PositiveInfinity);
        Assert.That(Repr(x), Is.EqualTo("""
            tensor([ 0.0000e+00, 9.8813e-324, 9.8813e-323, 1.0000e+307, 1.0000e+308,
                            inf], dtype=torch.float64)
            """));
        // torch.set_default_dtype(torch.float64): the suffix disappears
        PrintOptions.DefaultFloatDTypeName = "float64";
        Assert.That(Repr(x), Is.EqualTo("""
            tensor([ 0.0000e+00, 9.8813e-324, 9.8813e-323, 1.0000e+307, 1.0000e+308,
                            inf])
            """));
    }

    [Test]
    public void Summary() => // torch.zeros(10000)
        Assert.That(Repr(F32(new double[10000])), Is.EqualTo("tensor([0., 0., 0.,  ..., 0., 0., 0.])"));

    [Test]
    public void Device() => // torch.tensor([123], device='cuda:0')
        Assert.That(Repr(I64(123), new PrintSuffixes("cuda:0")), Is.EqualTo("tensor([123], device='cuda:0')"));

    [Test]
    public void IntegralFloatsAndRequiresGrad() => // torch.tensor([123.], requires_grad=True)
        Assert.That(Repr(F32(123), RequiresGrad), Is.EqualTo("tensor([123.], requires_grad=True)"));

    [Test]
    public void NonContiguousSummarized3D() => // torch.ones(100, 2, 2, 10).as_strided(size=(100, 2, 10), ...)
        Assert.That(Repr(F32(S(100, 2, 10), Enumerable.Repeat(1.0, 2000).ToArray())), Is.EqualTo("""
            tensor([[[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    ...,

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]],

                    [[1., 1., 1.,  ..., 1., 1., 1.],
                     [1., 1., 1.,  ..., 1., 1., 1.]]])
            """));

    [Test]
    public void ZeroDimSmallFloatIsScientific() => // torch.tensor(0.00002)
        Assert.That(Repr(F32(S(), 0.00002)), Is.EqualTo("tensor(2.0000e-05)"));

    [Test]
    public void Bools() // torch.tensor([True]) / torch.tensor(True)
    {
        Assert.That(Repr(Bool(S(1), true)), Is.EqualTo("tensor([True])"));
        Assert.That(Repr(Bool(S(), true)), Is.EqualTo("tensor(True)"));
    }

    [Test]
    public void NumpyStyleModes()
    {
        // [Numpy] sci_mode when min < 0.0001
        Assert.That(Repr(F32(0.00002)), Is.EqualTo("tensor([2.0000e-05])"));
        // [Numpy] sci_mode when max > 1e8
        Assert.That(Repr(F32(123456789.0)), Is.EqualTo("tensor([1.2346e+08])"));
        // [Numpy] sci_mode when max / min > 1000
        Assert.That(Repr(F32(0.01, 11)), Is.EqualTo("tensor([1.0000e-02, 1.1000e+01])"));
        // [Numpy] int max / min > 1000, no sci_mode
        Assert.That(Repr(I64(1, 1010)), Is.EqualTo("tensor([   1, 1010])"));
        // [Numpy] int > 1e8, no sci_mode
        Assert.That(Repr(I64(1000000000)), Is.EqualTo("tensor([1000000000])"));
        // [Numpy] float in int_mode
        Assert.That(Repr(F32(1, 1000)), Is.EqualTo("tensor([   1., 1000.])"));
        // [Numpy] float in int_mode in sci format when max / min > 1000
        Assert.That(Repr(F32(1, 1010)), Is.EqualTo("tensor([1.0000e+00, 1.0100e+03])"));
    }

    [Test]
    public void SetPrintoptionsDocstringExamples() // torch.set_printoptions docstring in torch/_tensor_str.py
    {
        torch.set_printoptions(precision: 2);
        Assert.That(Repr(F32(1.12345)), Is.EqualTo("tensor([1.12])"));
        torch.set_printoptions(threshold: 5);
        // The docstring shows "2, ..., 7" but the code joins the " ..." element with ", ", giving two spaces
        // (as test_print's "tensor([0., 0., 0.,  ..., 0., 0., 0.])" confirms); the code is what prints.
        Assert.That(Repr(ArangeI64(10)), Is.EqualTo("tensor([0, 1, 2,  ..., 7, 8, 9])"));
        torch.set_printoptions(profile: "default");
        Assert.That(Repr(F32(1.12345)), Is.EqualTo("tensor([1.1235])"));
        Assert.That(Repr(ArangeI64(10)), Is.EqualTo("tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"));
    }
}
