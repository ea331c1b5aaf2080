namespace Notebooks.Tensors.Tests.Core;

/// <summary>Result dtypes of binary ops, checked against PyTorch (c10 promoteTypes + ATen's ResultTypeState).</summary>
public class PromotionTests : CoreTestBase
{
    [Test]
    public void IntTensorPlusFloatScalarIsDefaultFloat() =>
        // torch.tensor([1, 2, 3]) + 2.5 -> tensor([3.5000, 4.5000, 5.5000])
        Assert.That(Repr(torch.tensor([1, 2, 3]) + 2.5), Is.EqualTo("tensor([3.5000, 4.5000, 5.5000])"));

    [Test]
    public void ZeroDimTensorOfSameCategoryDoesNotWiden() =>
        // torch.tensor([1, 2], dtype=torch.int32) + torch.tensor(5) -> int32
        Assert.That(Repr(torch.tensor([1, 2], dtype: torch.int32) + torch.tensor(5)), Is.EqualTo("tensor([6, 7], dtype=torch.int32)"));

    [Test]
    public void ZeroDimFloatTensorRaisesCategory() =>
        // torch.tensor([1, 2], dtype=torch.int32) + torch.tensor(0.5, dtype=torch.float64) -> float64 (a 0-dim tensor keeps its dtype)
        Assert.That((torch.tensor([1, 2], dtype: torch.int32) + torch.tensor(0.5, dtype: torch.float64)).dtype, Is.EqualTo(torch.float64));

    [Test]
    public void BoolPlusBoolIsLogicalOr() =>
        // torch.tensor([True, False, False]) + torch.tensor([True, True, False]) -> tensor([ True,  True, False])
        Assert.That(Repr(torch.tensor([true, false, false]) + torch.tensor([true, true, false])), Is.EqualTo("tensor([ True,  True, False])"));

    [Test]
    public void BoolTimesIntScalarIsInt64() =>
        Assert.That(Repr(torch.tensor([true, false]) * 2), Is.EqualTo("tensor([2, 0])"));

    [Test]
    public void Uint8PlusInt8IsInt16()
    {
        var u = torch.tensor([200], dtype: torch.uint8);
        var s = torch.tensor([-100], dtype: torch.int8);
        Assert.That(Repr(u + s), Is.EqualTo("tensor([100], dtype=torch.int16)"));
    }

    [Test]
    public void IntScalarDoesNotWidenInt8AndWraps() =>
        // torch.tensor([100], dtype=torch.int8) + 100 -> tensor([-56], dtype=torch.int8)
        Assert.That(Repr(torch.tensor([100], dtype: torch.int8) + 100), Is.EqualTo("tensor([-56], dtype=torch.int8)"));

    [Test]
    public void HalfPlusFloatIsFloat()
    {
        var h = torch.tensor([1.5], dtype: torch.float16);
        Assert.That((h + torch.tensor([1.0f])).dtype, Is.EqualTo(torch.float32));
        Assert.That((h + torch.tensor(1.0f)).dtype, Is.EqualTo(torch.float16), "a 0-dim float32 does not widen a float16 tensor");
        Assert.That((h + 2.5).dtype, Is.EqualTo(torch.float16));
        Assert.That((h + torch.tensor([1.0], dtype: torch.bfloat16)).dtype, Is.EqualTo(torch.float32), "float16 with bfloat16 -> float32");
    }

    [Test]
    public void IntDivIntIsTrueDivision()
    {
        var r = torch.tensor([1, 2]) / torch.tensor([2, 4]);
        Assert.That(Repr(r), Is.EqualTo("tensor([0.5000, 0.5000])"));
        Assert.That(Repr(torch.tensor([1, 2]) / 0), Is.EqualTo("tensor([inf, inf])"));
        Assert.That(Repr(torch.tensor([0, -1]) / 0), Is.EqualTo("tensor([nan, -inf])"));
    }

    [Test]
    public void IntegerFloorDivideAndRemainderByZeroRaise()
    {
        var a = torch.tensor([1, 2]);
        Assert.That(Error(() => torch.floor_divide(a, torch.zeros_like(a))), Is.EqualTo("ZeroDivisionError"));
        Assert.That(Error(() => a.floor_divide(0)), Is.EqualTo("ZeroDivisionError"));
        Assert.That(Error(() => a.remainder(0)), Is.EqualTo("ZeroDivisionError"));
        Assert.That(Error(() => a.div(0, rounding_mode: "trunc")), Is.EqualTo("ZeroDivisionError"));
        // Float floor division by zero follows IEEE: 1 // 0 = inf.
        Assert.That(Repr(torch.tensor([1.0, -1.0]).floor_divide(0)), Is.EqualTo("tensor([inf, -inf])"));
    }

    [Test]
    public void ResultTypesOfReductions()
    {
        Assert.That(torch.tensor([1, 2], dtype: torch.int32).sum().dtype, Is.EqualTo(torch.int64), "integral sum accumulates to int64");
        Assert.That(Repr(torch.tensor([true, true, false]).sum()), Is.EqualTo("tensor(2)"));
        Assert.That(Error(() => torch.tensor([1, 2]).mean()), Is.EqualTo(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long"));
        Assert.That(torch.tensor([1, 2], dtype: torch.int32).cumsum(0).dtype, Is.EqualTo(torch.int64));
    }

    [Test]
    public void ComparisonsGiveBool()
    {
        var r = torch.tensor([1, 2, 3]) > 1.5;
        Assert.That(Repr(r), Is.EqualTo("tensor([False,  True,  True])"));
        Assert.That(Repr(torch.tensor([1, 2, 3]).eq(torch.tensor([1.0, 0.0, 3.0]))), Is.EqualTo("tensor([ True, False,  True])"));
    }
}

/// <summary>Less common promotion and integer-arithmetic cases.</summary>
public class PromotionEdgeCaseTests : CoreTestBase
{
    [Test]
    public void ZeroDimWithZeroDim()
    {
        // Both 0-dim: an ordinary promotion between them.
        Assert.That(Repr(torch.tensor(5) + torch.tensor(2.5f)), Is.EqualTo("tensor(7.5000)"));
        Assert.That((torch.tensor(5) + torch.tensor(2.5, dtype: torch.float64)).dtype, Is.EqualTo(torch.float64));
        Assert.That((torch.tensor(5) * 1.5).dtype, Is.EqualTo(torch.float32));
    }

    [Test]
    public void DimTensorsOfDifferentWidths()
    {
        Assert.That((torch.tensor([1.0], dtype: torch.float64) + torch.tensor([1.0f])).dtype, Is.EqualTo(torch.float64));
        Assert.That((torch.tensor([1], dtype: torch.int16) + torch.tensor([1], dtype: torch.int32)).dtype, Is.EqualTo(torch.int32));
        Assert.That((torch.tensor([1]) + torch.tensor([true])).dtype, Is.EqualTo(torch.int64));
        Assert.That((torch.tensor([1], dtype: torch.uint8) + torch.tensor([1], dtype: torch.int16)).dtype, Is.EqualTo(torch.int16));
        Assert.That((torch.tensor([1], dtype: torch.uint8) + 1000).dtype, Is.EqualTo(torch.uint8));
    }

    [Test]
    public void IntegerPowers()
    {
        Assert.That(Repr(torch.tensor([2, 3]).pow(3)), Is.EqualTo("tensor([ 8, 27])"));
        Assert.That(Error(() => torch.tensor([2, 3]).pow(-1)), Is.EqualTo("Integers to negative integer powers are not allowed."));
        Assert.That(Repr(torch.tensor([2.0, 4.0]).pow(-1)), Is.EqualTo("tensor([0.5000, 0.2500])"));
        Assert.That(Repr(torch.pow(2, torch.tensor([1, 2, 3]))), Is.EqualTo("tensor([2, 4, 8])"));
    }

    [Test]
    public void BoolArithmeticErrors()
    {
        Assert.That(Error(() => _ = torch.tensor([true]) - torch.tensor([false])), Is.EqualTo(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead."));
        Assert.That(Error(() => _ = -torch.tensor([true])), Is.EqualTo(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."));
    }

    [Test]
    public void MixedDtypeReductionsAndMeans()
    {
        Assert.That(Repr(torch.tensor([1.0, 2.0], dtype: torch.float16).mean()), Is.EqualTo("tensor(1.5000, dtype=torch.float16)"));
        Assert.That(Repr(torch.tensor([1, 2]).sum(dtype: torch.float32)), Is.EqualTo("tensor(3.)"));
        Assert.That(Repr(torch.tensor([1, 2]).mean(dtype: torch.float64)), Is.EqualTo("tensor(1.5000, dtype=torch.float64)"));
    }
}
