namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>Backend parity: every case computed on "cuda" (the CPU accelerator here) equals the CPU backend's result.</summary>
public class ParityTests
{
    private static IEnumerable<ParityCase> Cases() => ParityCases.All();

    [TestCaseSource(nameof(Cases))]
    public void MatchesCpu(ParityCase c)
    {
        var diff = ParityCases.Compare(c, torch.device("cuda:0"));
        Assert.That(diff, Is.Null, c.Name);
    }
}
