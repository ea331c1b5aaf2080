using Notebooks.Tensors.Tests.Core;
namespace Notebooks.Tensors.Tests.Ops;

/// <summary>Pointwise ops: rounding, remainder sign rules, bitwise, clamp/where, NaN tests, reduced precision.</summary>
public class PointwiseTests : CoreTestBase
{
    [Test]
    public void RoundHalfToEven()
    {
        Assert.That(Repr(torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5]).round()), Is.EqualTo("tensor([ 0.,  2.,  2., -0., -2.])"));
        Assert.That(Repr(torch.tensor([1.25, 1.35]).round(decimals: 1)), Is.EqualTo("tensor([1.2000, 1.4000])"));
        Assert.That(Repr(torch.tensor([-1.7, 1.7]).trunc()), Is.EqualTo("tensor([-1.,  1.])"));
        Assert.That(Repr(torch.tensor([-1.5, 1.5]).floor()), Is.EqualTo("tensor([-2.,  1.])"));
        Assert.That(Repr(torch.tensor([-1.5, 1.5]).ceil()), Is.EqualTo("tensor([-1.,  2.])"));
    }

    [Test]
    public void RemainderTakesDivisorSignFmodDividendSign()
    {
        var f = torch.tensor([-3.0, -2.0, 3.0]);
        Assert.That(Repr(torch.remainder(f, 2)), Is.EqualTo("tensor([1., 0., 1.])"));
        Assert.That(Repr(torch.fmod(f, 2)), Is.EqualTo("tensor([-1., -0.,  1.])"));
        var i = torch.tensor([5, -5]);
        Assert.That(Repr(i % -3), Is.EqualTo("tensor([-1, -2])"));
        Assert.That(Repr(torch.fmod(i, -3)), Is.EqualTo("tensor([ 2, -2])"));
        Assert.That(Repr(torch.tensor([-7, 7]) % 3), Is.EqualTo("tensor([2, 1])"));
        Assert.That(Repr(torch.tensor([1.0]).remainder(0)), Is.EqualTo("tensor([nan])"));
        Assert.That(Repr(torch.tensor([-7, 7]).floor_divide(2)), Is.EqualTo("tensor([-4,  3])"));
        Assert.That(Repr(torch.tensor([-7, 7]).div(2, rounding_mode: "trunc")), Is.EqualTo("tensor([-3,  3])"));
    }

    [Test]
    public void BitwiseOps()
    {
        var a = torch.tensor([12, 10]);
        var b = torch.tensor([10, 6]);
        Assert.That(Repr(a & b), Is.EqualTo("tensor([8, 2])"));
        Assert.That(Repr(a | b), Is.EqualTo("tensor([14, 14])"));
        Assert.That(Repr(a ^ b), Is.EqualTo("tensor([ 6, 12])"));
        Assert.That(Repr(~a), Is.EqualTo("tensor([-13, -11])"));
        Assert.That(Repr(~torch.tensor([true, false])), Is.EqualTo("tensor([False,  True])"));
        Assert.That(Repr(torch.tensor([true, false]) & torch.tensor([true, true])), Is.EqualTo("tensor([ True, False])"));
    }

    [Test]
    public void Clamp()
    {
        var x = torch.tensor([-2.0, 0.5, 3.0]);
        Assert.That(Repr(x.clamp(-1, 1)), Is.EqualTo("tensor([-1.0000,  0.5000,  1.0000])"));
        Assert.That(Repr(x.clamp(min: 0)), Is.EqualTo("tensor([0.0000, 0.5000, 3.0000])"));
        Assert.That(Repr(x.clamp(max: 0)), Is.EqualTo("tensor([-2.,  0.,  0.])"));
        Assert.That(Repr(torch.clamp(torch.tensor([0.0, 5.0]), min: 3, max: 1)), Is.EqualTo("tensor([1., 1.])"), "min > max gives max");
        Assert.That(Repr(torch.tensor([1, 5, 9]).clamp(2, 6)), Is.EqualTo("tensor([2, 5, 6])"));
        Assert.That(Repr(torch.tensor([double.NaN]).clamp(0, 1)), Is.EqualTo("tensor([nan])"));
    }

    [Test]
    public void Where()
    {
        var c = torch.tensor([true, false, true]);
        Assert.That(Repr(torch.where(c, torch.tensor([1.0, 2.0, 3.0]), torch.tensor([10.0, 20.0, 30.0]))), Is.EqualTo("tensor([ 1., 20.,  3.])"));
        var x = torch.tensor([-1.0, 2.0]);
        Assert.That(Repr(torch.where(x > 0, x, 0.0)), Is.EqualTo("tensor([0., 2.])"));
        Assert.That(torch.where(c, torch.tensor([1, 2, 3]), 2.5).dtype, Is.EqualTo(torch.float32));
        Assert.That(Error(() => torch.where(torch.tensor([1.0]), x, x)),
            Is.EqualTo("where expected condition to be a boolean tensor, but got a tensor with dtype Float"));
    }

    [Test]
    public void NanAndInfTests()
    {
        var x = torch.tensor([1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity]);
        Assert.That(Repr(x.isnan()), Is.EqualTo("tensor([False,  True, False, False])"));
        Assert.That(Repr(x.isinf()), Is.EqualTo("tensor([False, False,  True,  True])"));
        Assert.That(Repr(x.isfinite()), Is.EqualTo("tensor([ True, False, False, False])"));
        Assert.That(Repr(torch.tensor([1, 2]).isnan()), Is.EqualTo("tensor([False, False])"));
    }

    [Test]
    public void UnaryFloatOpsPromoteIntegers()
    {
        Assert.That(Repr(torch.tensor([0, 1]).exp()), Is.EqualTo("tensor([1.0000, 2.7183])"));
        Assert.That(Repr(torch.tensor([4, 9]).sqrt()), Is.EqualTo("tensor([2., 3.])"));
        Assert.That(Repr(torch.tensor([-2, 3]).abs()), Is.EqualTo("tensor([2, 3])"));
        Assert.That(Repr(torch.tensor([2, 3]).pow(2)), Is.EqualTo("tensor([4, 9])"));
        Assert.That(Repr(torch.tensor([2, 3]).pow(0.5)), Is.EqualTo("tensor([1.4142, 1.7321])"));
        Assert.That(Repr(torch.tensor([0.0]).sigmoid()), Is.EqualTo("tensor([0.5000])"));
    }

    [Test]
    public void HalfAndBFloat16RoundAfterEachOp()
    {
        // Computed in float32, then rounded: 2048 + 1 is a tie between 2048 and 2050 in float16 and goes to even.
        Assert.That(Repr(torch.tensor([2048.0], dtype: torch.float16) + 1), Is.EqualTo("tensor([2048.], dtype=torch.float16)"));
        Assert.That(Repr(torch.tensor([256.0], dtype: torch.bfloat16) + 1), Is.EqualTo("tensor([256.], dtype=torch.bfloat16)"));
        // float16(0.1) * 3 = 0.29992675... lies halfway between two float16 values; the even one is 0.2998046875.
        Assert.That(Repr(torch.tensor([0.1], dtype: torch.float16) * 3), Is.EqualTo("tensor([0.2998], dtype=torch.float16)"));
        Assert.That((torch.tensor([0.1], dtype: torch.float16) * 3).item<float>(), Is.EqualTo(0.2998046875f));
        Assert.That(torch.tensor([1.0], dtype: torch.bfloat16).add(0.001).item<float>(), Is.EqualTo(1.0f));
        Assert.That(Repr(torch.tensor([1.0, 2.0], dtype: torch.bfloat16) / 3), Is.EqualTo("tensor([0.3340, 0.6680], dtype=torch.bfloat16)"));
    }
}
