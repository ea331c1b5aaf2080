namespace Notebooks.Tensors.Tests.Ops;

/// <summary>
/// A float sum to one element (mean of a loss, a bias gradient's sum over the batch) takes a short path that sums the
/// contiguous span directly. It must give the bits of the general strided path, which reduces each row of a
/// [rows, n] tensor over the same kind of span (ATen's sum order, AtenSumOrder / cascade sum).
/// </summary>
public class SumToOneTests
{
    private static readonly int[] Lengths = [1, 7, 16, 31, 300, 1000, 4099, 70000];

    [TestCaseSource(nameof(Lengths))]
    public void SumToOneMatchesTheGeneralPathBitForBit(int n)
    {
        foreach (var dt in new[] { torch.float32, torch.float64 })
        {
            torch.manual_seed(n);
            var rows = torch.randn([3, n], dtype: dt) * 10 + 1;
            var general = rows.sum(1).to(torch.float64).ToArray<double>();
            var means = rows.mean(1).to(torch.float64).ToArray<double>();
            for (int r = 0; r < 3; r++)
            {
                var row = rows[r];                       // contiguous, at offset r·n of the shared storage
                Assert.That(row.sum().to(torch.float64).item<double>(), Is.EqualTo(general[r]), $"{dt} row {r} sum()");
                Assert.That(row.view(n, 1).sum(0).to(torch.float64).item<double>(), Is.EqualTo(general[r]), $"{dt} row {r} sum(0) of [n,1]");
                Assert.That(row.view(1, n, 1).sum([1], keepdim: true).shape, Is.EqualTo(new Size([1, 1, 1])));
                Assert.That(row.view(n, 1).mean().to(torch.float64).item<double>(), Is.EqualTo(means[r]), $"{dt} row {r} mean()");
            }
        }
    }

    [Test]
    public void ShapesAndGradientsOfTheShortPathAreThoseOfTheGeneralOne()
    {
        var x = torch.arange(6f).view(6, 1);
        Assert.That(x.sum(0).shape, Is.EqualTo(new Size([1])));
        Assert.That(x.sum(0, keepdim: true).shape, Is.EqualTo(new Size([1, 1])));
        Assert.That(x.sum().shape, Is.EqualTo(new Size([])));
        Assert.That(x.sum(0).item<float>(), Is.EqualTo(15f));
        var w = torch.ones([4, 1], requires_grad: true);
        (w * torch.arange(4f).view(4, 1)).mean().backward();
        Assert.That(w.grad!.view(4).ToArray<float>(), Is.EqualTo(new[] { 0f, 0.25f, 0.5f, 0.75f }));
        // One element is added to the identity as the general path does: -0.0 sums to +0.0 either way.
        var negZero = torch.tensor(new[] { -0.0f, -0.0f });
        Assert.That(BitConverter.SingleToInt32Bits(negZero[..1].sum().item<float>()), Is.EqualTo(BitConverter.SingleToInt32Bits(negZero.view(2, 1).sum(1)[0].item<float>())));
        // Empty and non-contiguous inputs keep the general path.
        Assert.That(torch.zeros(0, 1).sum(0).ToArray<float>(), Is.EqualTo(new[] { 0f }));
        Assert.That(torch.arange(6f).view(2, 3).t()[.., 0].sum().item<float>(), Is.EqualTo(3f));
    }
}
