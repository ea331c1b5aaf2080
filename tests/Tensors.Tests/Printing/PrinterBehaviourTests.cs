using Notebooks.Tensors.Printing;
using static Notebooks.Tensors.Tests.Printing.ArraySource;

namespace Notebooks.Tensors.Tests.Printing;

/// <summary>
/// The remaining rules of torch/_tensor_str.py, each expected string worked out from the code path named in its comment
/// (and matching what PyTorch 2.x prints for these well-known cases).
/// </summary>
public class PrinterBehaviourTests : PrinterTestBase
{
    [Test]
    public void BoolsArePaddedToFalse() => // _Formatter: non-floating width = max len("{}".format(v))
        Assert.That(Repr(Bool(S(2, 2), true, false, false, true)), Is.EqualTo("""
            tensor([[ True, False],
                    [False,  True]])
            """));

    [Test]
    public void NegativeZero() // -0.0 is excluded from nonzero_finite_vals but Python keeps its sign
    {
        Assert.That(Repr(F32(-0.0, 1)), Is.EqualTo("tensor([-0., 1.])"));
        Assert.That(Repr(F32(S(), -0.0)), Is.EqualTo("tensor(-0.)"));
        Assert.That(Repr(F32(0.5, -0.0)), Is.EqualTo("tensor([0.5000, -0.0000])"));
        Assert.That(Repr(F32(-0.00001, 0.5, 1)), Is.EqualTo("tensor([-1.0000e-05,  5.0000e-01,  1.0000e+00])"));
    }

    [Test]
    public void NoFiniteNonzeroValues() // _Formatter returns early: int_mode, width 1, and PRINT_OPTS.sci_mode is ignored
    {
        Assert.That(Repr(F32(double.NaN, double.NaN)), Is.EqualTo("tensor([nan, nan])"));
        Assert.That(Repr(F32(double.NaN, 1)), Is.EqualTo("tensor([nan, 1.])"));
        Assert.That(Repr(F32(1, double.NegativeInfinity)), Is.EqualTo("tensor([1., -inf])"));
        torch.set_printoptions(sci_mode: true);
        Assert.That(Repr(F32(0, 0)), Is.EqualTo("tensor([0., 0.])"));
        Assert.That(Repr(F32(1, 2)), Is.EqualTo("tensor([1.0000e+00, 2.0000e+00])")); // width 2 from int mode, format sci
    }

    [Test]
    public void IntModeGoesScientificAboveOneE8() => // int_mode and max > 1e8
        Assert.That(Repr(F32(1e10, 1)), Is.EqualTo("tensor([1.0000e+10, 1.0000e+00])"));

    [Test]
    public void FixedPrecisionRoundsHalfToEvenOnTheExactValue() // '{:.4f}' of the exact binary value
    {
        Assert.That(Repr(F64(S(2), 0.00125, 1)), Is.EqualTo("tensor([0.0013, 1.0000], dtype=torch.float64)")); // 0.00125 is above the tie in binary
        Assert.That(Repr(F64(S(2), 0.03125, 1)), Is.EqualTo("tensor([0.0312, 1.0000], dtype=torch.float64)")); // exact tie -> even
        Assert.That(Repr(F64(S(2), 2.5, 0.5)), Is.EqualTo("tensor([2.5000, 0.5000], dtype=torch.float64)"));
    }

    [Test]
    public void LongFloatRowWrapsAt80Columns() => // torch.arange(30.): width 3, (80 - 7) // 5 = 14 per line
        Assert.That(Repr(ArangeF32(30)), Is.EqualTo("""
            tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
                    14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,
                    28., 29.])
            """));

    [Test]
    public void SummarizedFloatVectorFormatsFromTheSummarizedData() => // torch.arange(2000.): [0,1,2,1997,1998,1999] -> ratio > 1000 -> sci
        Assert.That(Repr(ArangeF32(2000)), Is.EqualTo("""
            tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,
                    1.9990e+03])
            """));

    [Test]
    public void SummarizedIntVector() => // torch.arange(2000)
        Assert.That(Repr(ArangeI64(2000)), Is.EqualTo("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"));

    [Test]
    public void SummarizedMatrix() => // torch.arange(10000).reshape(100, 100)
        Assert.That(Repr(ArangeI64(100, 100)), Is.EqualTo("""
            tensor([[   0,    1,    2,  ...,   97,   98,   99],
                    [ 100,  101,  102,  ...,  197,  198,  199],
                    [ 200,  201,  202,  ...,  297,  298,  299],
                    ...,
                    [9700, 9701, 9702,  ..., 9797, 9798, 9799],
                    [9800, 9801, 9802,  ..., 9897, 9898, 9899],
                    [9900, 9901, 9902,  ..., 9997, 9998, 9999]])
            """));

    [Test]
    public void SummarizedWidthIgnoresHiddenElements() // the formatter only sees get_summarized_data(self)
    {
        var values = Enumerable.Repeat(0.5, 1001).ToArray();
        values[500] = 12345.678; // hidden in the middle: neither sci mode nor a wider column
        Assert.That(Repr(F32(values)), Is.EqualTo("tensor([0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000])"));
        Assert.That(Repr(F32(values.Take(1000).ToArray())), Does.StartWith("tensor([5.0000e-01, 5.0000e-01,")); // 1000 is not > threshold
    }

    [Test]
    public void ThresholdAndEdgeItems()
    {
        torch.set_printoptions(threshold: 3, edgeitems: 1);
        // summarized data is [[0, 3], [8, 11]]: width 2 everywhere
        Assert.That(Repr(ArangeI64(3, 4)), Is.EqualTo("""
            tensor([[ 0,  ...,  3],
                    ...,
                    [ 8,  ..., 11]])
            """));
    }

    [Test]
    public void FullProfileNeverSummarizes()
    {
        torch.set_printoptions(profile: "full");
        string s = Repr(ArangeI64(1001));
        Assert.That(s, Does.Not.Contain("..."));
        Assert.That(s, Does.EndWith("998,  999, 1000])"));
    }

    [Test]
    public void ShortProfile() // precision 2, edgeitems 2
    {
        torch.set_printoptions(profile: "short");
        Assert.That(Repr(F32(1.12345, 2.5)), Is.EqualTo("tensor([1.12, 2.50])"));
        Assert.That(Repr(ArangeI64(2000)), Is.EqualTo("tensor([   0,    1,  ..., 1998, 1999])"));
    }

    [Test]
    public void Empties() // _str_intern: numel == 0
    {
        Assert.That(Repr(F32()), Is.EqualTo("tensor([])"));
        Assert.That(Repr(F32(S(0, 3))), Is.EqualTo("tensor([], size=(0, 3))"));
        Assert.That(Repr(I64()), Is.EqualTo("tensor([], dtype=torch.int64)")); // nothing to infer int64 from
        Assert.That(Repr(Bool(S(0))), Is.EqualTo("tensor([], dtype=torch.bool)"));
        Assert.That(Repr(F64(S(0))), Is.EqualTo("tensor([], dtype=torch.float64)"));
        Assert.That(Repr(Int("int64", S(2, 0))), Is.EqualTo("tensor([], size=(2, 0), dtype=torch.int64)"));
        Assert.That(Repr(F32(S(0)), RequiresGrad), Is.EqualTo("tensor([], requires_grad=True)"));
        Assert.That(
            Repr(F32(S(1, 0, 2)), new PrintSuffixes("cuda:0")),
            Is.EqualTo("tensor([], device='cuda:0', size=(1, 0, 2))"));
    }

    [Test]
    public void OtherDTypes()
    {
        Assert.That(Repr(BF16(S(2), 1.5, 2)), Is.EqualTo("tensor([1.5000, 2.0000], dtype=torch.bfloat16)"));
        Assert.That(Repr(BF16(S(1), 0.1)), Is.EqualTo("tensor([0.1001], dtype=torch.bfloat16)")); // 0.10009765625
        Assert.That(Repr(Int("uint8", S(3), 0, 128, 255)), Is.EqualTo("tensor([  0, 128, 255], dtype=torch.uint8)"));
        Assert.That(Repr(Int("int8", S(2), -128, 127)), Is.EqualTo("tensor([-128,  127], dtype=torch.int8)"));
        Assert.That(Repr(Int("int32", S(), 7)), Is.EqualTo("tensor(7, dtype=torch.int32)"));
        Assert.That(Repr(F64(S(), 3.5)), Is.EqualTo("tensor(3.5000, dtype=torch.float64)"));
    }

    [Test]
    public void PrecisionOption()
    {
        torch.set_printoptions(precision: 2);
        Assert.That(Repr(F32(S(2, 2), 0.12345, -1.5, 3.14159, 100)), Is.EqualTo("""
            tensor([[  0.12,  -1.50],
                    [  3.14, 100.00]])
            """));
        Assert.That(Repr(F32(1e-5, 1)), Is.EqualTo("tensor([1.00e-05, 1.00e+00])"));
        torch.set_printoptions(precision: 0);
        Assert.That(Repr(F32(0.5, 1.5, 2.5)), Is.EqualTo("tensor([0, 2, 2])")); // '{:.0f}', half to even
        Assert.That(Repr(F32(1e-5, 1)), Is.EqualTo("tensor([1e-05, 1e+00])"));
    }

    [Test]
    public void SetPrintoptionsAlwaysOverwritesSciMode()
    {
        torch.set_printoptions(sci_mode: true);
        Assert.That(PrintOptions.Current.SciMode, Is.True);
        torch.set_printoptions(precision: 3); // sci_mode=None is passed along, as in PyTorch
        Assert.That(PrintOptions.Current, Is.EqualTo(PrintOptions.Default with { Precision = 3 }));
        Assert.That(Repr(F32(0.5, 2)), Is.EqualTo("tensor([0.500, 2.000])"));
    }

    [Test]
    public void ForcedFixedKeepsTheScientificWidth() // width is computed before PRINT_OPTS.sci_mode overrides the mode
    {
        torch.set_printoptions(sci_mode: false);
        Assert.That(Repr(F32(1e-5, 1)), Is.EqualTo("tensor([    0.0000,     1.0000])"));
        Assert.That(Repr(F32(1e9, 1.5)), Is.EqualTo("tensor([1000000000.0000,     1.5000])"));
    }

    [Test]
    public void LineWidthOption()
    {
        torch.set_printoptions(linewidth: 40);
        Assert.That(Repr(ArangeF32(12)), Is.EqualTo("""
            tensor([ 0.,  1.,  2.,  3.,  4.,  5.,
                     6.,  7.,  8.,  9., 10., 11.])
            """));
        // _add_suffixes uses linewidth too: last line "         6., ... 11.]" counts 38 + 2; 40 + 2 + 18 > 40
        Assert.That(Repr(ArangeF32(12), RequiresGrad), Is.EqualTo("""
            tensor([ 0.,  1.,  2.,  3.,  4.,  5.,
                     6.,  7.,  8.,  9., 10., 11.],
                   requires_grad=True)
            """));
        // a single line "tensor([1., 2.]" counts 15 + 2 = 17; 17 + 2 + 18 = 37 fits in 37, not in 36
        torch.set_printoptions(linewidth: 37);
        Assert.That(Repr(F32(1, 2), RequiresGrad), Is.EqualTo("tensor([1., 2.], requires_grad=True)"));
        torch.set_printoptions(linewidth: 36);
        Assert.That(Repr(F32(1, 2), RequiresGrad), Is.EqualTo("""
            tensor([1., 2.],
                   requires_grad=True)
            """));
        torch.set_printoptions(linewidth: 1); // at least one element per line
        Assert.That(Repr(I64(1, 2)), Is.EqualTo("tensor([1,\n        2])"));
    }

    [Test]
    public void SuffixesWrapOneByOne() // _add_suffixes: last_line_len is len + 2 for a single line
    {
        // "tensor([...]" is 73 chars, counted 75: 75 + 2 + 15 > 80 wraps device; then 7 + 15 + 2 + 17 <= 80 keeps dtype.
        var x = Int("int32", S(11), 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 1000, 2000);
        Assert.That(Repr(x, new PrintSuffixes("cuda:0")), Is.EqualTo("""
            tensor([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 1000, 2000],
                   device='cuda:0', dtype=torch.int32)
            """));
    }
}
