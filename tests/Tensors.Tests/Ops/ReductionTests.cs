using Notebooks.Tensors.Tests.Core;
namespace Notebooks.Tensors.Tests.Ops;

/// <summary>Reductions and scans, values as PyTorch prints them.</summary>
public class ReductionTests : CoreTestBase
{
    [Test]
    public void VarStdWithCorrection()
    {
        var x = torch.tensor([1.0, 2.0, 3.0, 4.0]);
        Assert.That(Repr(x.var()), Is.EqualTo("tensor(1.6667)"));                 // unbiased: 5 / 3
        Assert.That(Repr(x.var(correction: 0)), Is.EqualTo("tensor(1.2500)"));     // population: 5 / 4
        Assert.That(Repr(x.std()), Is.EqualTo("tensor(1.2910)"));
        Assert.That(Repr(x.std(false)), Is.EqualTo("tensor(1.1180)"));
        var m = torch.tensor(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 5.0 } });
        Assert.That(Repr(m.var(1)), Is.EqualTo("tensor([0.5000, 2.0000])"));
        Assert.That(m.var(1, keepdim: true).shape, Is.EqualTo(torch.Size(2, 1)));
        Assert.That(Repr(torch.tensor([1.0]).var()), Is.EqualTo("tensor(nan)"), "one element, correction 1: 0 / 0");
    }

    [Test]
    public void SumMeanWithDimAndKeepdim()
    {
        var m = torch.arange(6.0).reshape(2, 3);
        Assert.That(Repr(m.sum(0)), Is.EqualTo("tensor([3., 5., 7.])"));
        Assert.That(Repr(m.sum(1, keepdim: true)), Is.EqualTo("tensor([[ 3.],\n        [12.]])"));
        Assert.That(Repr(m.mean(-1)), Is.EqualTo("tensor([1., 4.])"));
        Assert.That(Repr(m.sum([0L, 1L])), Is.EqualTo("tensor(15.)"));
        Assert.That(Repr(torch.prod(torch.tensor([1.0, 2.0]))), Is.EqualTo("tensor(2.)"));
    }

    [Test]
    public void ArgmaxArgminAndMaxWithIndices()
    {
        var m = torch.tensor(new[] { new[] { 1, 5, 5 }, new[] { 7, 0, 7 } });
        Assert.That(Repr(m.argmax()), Is.EqualTo("tensor(3)"), "flattened index of the first maximum");
        Assert.That(Repr(m.argmax(1)), Is.EqualTo("tensor([1, 0])"), "ties give the first index");
        Assert.That(Repr(m.argmin(0)), Is.EqualTo("tensor([0, 1, 0])"));
        Assert.That(m.argmax(1, keepdim: true).shape, Is.EqualTo(torch.Size(2, 1)));
        var (values, indices) = m.max(1);
        Assert.That(Repr(values), Is.EqualTo("tensor([5, 7])"));
        Assert.That(Repr(indices), Is.EqualTo("tensor([1, 0])"));
        var (mv, mi) = torch.min(m, 1);
        Assert.That(Repr(mv) + Repr(mi), Is.EqualTo("tensor([1, 0])tensor([0, 1])"));
        Assert.That(m.max(1).ToString(), Is.EqualTo("torch.return_types.max(\nvalues=tensor([5, 7]),\nindices=tensor([1, 0]))"));
        Assert.That(torch.min(m, 0).ToString(), Is.EqualTo("torch.return_types.min(\nvalues=tensor([1, 0, 5]),\nindices=tensor([0, 1, 0]))"));
        Assert.That(Repr(m.max(1).values), Is.EqualTo("tensor([5, 7])"));
        Assert.That(Repr(m.max()), Is.EqualTo("tensor(7)"));
        Assert.That(Repr(torch.tensor([1.0, double.NaN, 3.0]).max()), Is.EqualTo("tensor(nan)"));
    }

    [Test]
    public void CumsumCumprod()
    {
        Assert.That(Repr(torch.tensor([1, 2, 3, 4]).cumsum(0)), Is.EqualTo("tensor([ 1,  3,  6, 10])"));
        Assert.That(Repr(torch.tensor([1, 2, 3, 4]).cumprod(0)), Is.EqualTo("tensor([ 1,  2,  6, 24])"));
        var m = torch.tensor(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } });
        Assert.That(Repr(m.cumsum(1)), Is.EqualTo("tensor([[1., 3.],\n        [3., 7.]])"));
        Assert.That(Repr(m.cumsum(0)), Is.EqualTo("tensor([[1., 2.],\n        [4., 6.]])"));
    }

    [Test]
    public void LogsumexpIsStable()
    {
        // max + log(sum(exp(x - max))) in float32: 1000 + log(2) rounds to 1000.69318 (float32 spacing there is 2^-14),
        // which PyTorch prints as 1000.6932; exp(1000) alone would overflow to inf.
        Assert.That(torch.tensor([1000.0, 1000.0]).logsumexp(0).item<float>(), Is.EqualTo(1000f + MathF.Log(2f)));
        Assert.That(Repr(torch.tensor([1000.0, 1000.0]).logsumexp(0)), Is.EqualTo("tensor(1000.6932)"));
        Assert.That(torch.tensor([-1000.0, -1000.0]).logsumexp(0).item<float>(), Is.EqualTo(-1000f + MathF.Log(2f)));
        Assert.That(Repr(torch.tensor([-1000.0, -1000.0]).logsumexp(0)), Is.EqualTo("tensor(-999.3068)"));
        Assert.That(Repr(torch.tensor([double.NegativeInfinity, double.NegativeInfinity]).logsumexp(0)), Is.EqualTo("tensor(-inf)"));
        Assert.That(Repr(torch.tensor([0.0, 0.0]).logsumexp(0)), Is.EqualTo("tensor(0.6931)"));
    }

    [Test]
    public void SoftmaxRowsSumToOne()
    {
        var x = torch.tensor(new[] { new[] { 1.0, 2.0, 3.0 }, new[] { 1000.0, 1000.0, 1000.0 } });
        var s = x.softmax(1);
        Assert.That(Repr(s), Is.EqualTo("tensor([[0.0900, 0.2447, 0.6652],\n        [0.3333, 0.3333, 0.3333]])"));
        Assert.That(s.sum(1).allclose(torch.ones(2)), Is.True);
        Assert.That(Repr(x.log_softmax(1).select(0, 0)), Is.EqualTo("tensor([-2.4076, -1.4076, -0.4076])"));
        var r = torch.randn(4, 7).softmax(-1).sum(-1);
        Assert.That(r.allclose(torch.ones(4)), Is.True);
    }

    [Test]
    public void NormAllAny()
    {
        Assert.That(Repr(torch.tensor([3.0, 4.0]).norm()), Is.EqualTo("tensor(5.)"));
        Assert.That(Repr(torch.tensor([true, false]).any()), Is.EqualTo("tensor(True)"));
        Assert.That(Repr(torch.tensor([true, false]).all()), Is.EqualTo("tensor(False)"));
    }

    [Test]
    public void HalfSumAccumulatesInFloat()
    {
        // PyTorch sums float16 in float32: 4096 ones give 4096, where float16 accumulation would stop at 2048.
        Assert.That(Repr(torch.ones([4096], dtype: torch.float16).sum()), Is.EqualTo("tensor(4096., dtype=torch.float16)"));
    }
}

/// <summary>Reductions on integer and bool inputs.</summary>
public class IntegerReductionTests : CoreTestBase
{
    [Test]
    public void VarOfIntegersRaises() =>
        Assert.That(Error(() => torch.tensor([1, 2, 3]).var()), Is.EqualTo("std and var only support floating point and complex dtypes"));

    [Test]
    public void BoolCumsumCountsAndRoundKeepsIntegers()
    {
        Assert.That(Repr(torch.tensor([true, false, true]).cumsum(0)), Is.EqualTo("tensor([1, 1, 2])"));
        Assert.That(Repr(torch.tensor([3, -2]).round()), Is.EqualTo("tensor([ 3, -2])"));
        Assert.That(Repr(torch.tensor([true, true]).prod()), Is.EqualTo("tensor(1)"));
        Assert.That(Repr(torch.tensor([5, 1, 4]).amax()), Is.EqualTo("tensor(5)"));
    }
}
