using System.Globalization;
using System.Text.Json;

namespace Notebooks.Tensors.Tests.Random;

/// <summary>Bit-for-bit agreement with values libtorch printed for the same calls.</summary>
public class TorchReferenceTests
{
    public static IEnumerable<TestCaseData> ReferenceCases()
    {
        string? path = TorchReference.FindFile();
        if (path is null)
        {
            yield return new TestCaseData(null).SetName("torch_rng.json not found");
            yield break;
        }
        foreach (TorchReference.Case c in TorchReference.Cases(path))
            yield return new TestCaseData(c).SetName(c.ToString());
    }

    [TestCaseSource(nameof(ReferenceCases))]
    public void MatchesLibtorch(TorchReference.Case? c)
    {
        Assert.That(c, Is.Not.Null, "Reference/torch_rng.json was not found above the test directory");
        var g = new Generator().manual_seed(c!.Seed);
        Array actual = Array.Empty<float>();
        foreach (string call in c.Calls) actual = TorchReference.Run(g, call);

        JsonElement[] expected = [.. c.Expected.EnumerateArray()];
        Assert.That(actual.Length, Is.EqualTo(expected.Length), "element count");
        for (int i = 0; i < expected.Length; i++)
        {
            switch (actual)
            {
                case float[] f:
                    float ef = float.Parse(expected[i].GetString()!, CultureInfo.InvariantCulture);
                    Assert.That(BitConverter.SingleToInt32Bits(f[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(ef)),
                        $"element {i}: got {f[i]:R}, libtorch {ef:R}");
                    break;
                case double[] d:
                    double ed = double.Parse(expected[i].GetString()!, CultureInfo.InvariantCulture);
                    Assert.That(BitConverter.DoubleToInt64Bits(d[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(ed)),
                        $"element {i}: got {d[i]:R}, libtorch {ed:R}");
                    break;
                case long[] l:
                    Assert.That(l[i], Is.EqualTo(expected[i].GetInt64()), $"element {i}");
                    break;
            }
        }
    }
}
