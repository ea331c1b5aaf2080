using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Notebooks.Tensors.Tests.Random;

namespace Notebooks.Tensors.Tests.Core;

/// <summary>
/// Reference/torch_rng.json replayed through the tensor-level API (torch.manual_seed, torch.rand, randn,
/// randint, randperm, empty(...).uniform_/normal_, and nn.Linear's init as uniform_ on an empty tensor), bit for bit.
/// </summary>
public partial class TensorApiRngReferenceTests
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
            yield return new TestCaseData(c).SetName("tensor API: " + c);
    }

    [TestCaseSource(nameof(ReferenceCases))]
    public void MatchesLibtorch(TorchReference.Case? c)
    {
        Assert.That(c, Is.Not.Null, "Reference/torch_rng.json was not found above the test directory");
        torch.manual_seed(c!.Seed);
        Tensor actual = torch.empty(0);
        foreach (string call in c.Calls) actual = Run(call);

        JsonElement[] expected = [.. c.Expected.EnumerateArray()];
        Assert.That(actual.numel(), Is.EqualTo(expected.Length), "element count");
        if (actual.dtype == torch.float32)
        {
            var f = actual.ToArray<float>();
            for (int i = 0; i < f.Length; i++)
                Assert.That(BitConverter.SingleToInt32Bits(f[i]),
                    Is.EqualTo(BitConverter.SingleToInt32Bits(float.Parse(expected[i].GetString()!, CultureInfo.InvariantCulture))), $"element {i}: {f[i]:R}");
        }
        else if (actual.dtype == torch.float64)
        {
            var d = actual.ToArray<double>();
            for (int i = 0; i < d.Length; i++)
                Assert.That(BitConverter.DoubleToInt64Bits(d[i]),
                    Is.EqualTo(BitConverter.DoubleToInt64Bits(double.Parse(expected[i].GetString()!, CultureInfo.InvariantCulture))), $"element {i}: {d[i]:R}");
        }
        else
        {
            Assert.That(actual.dtype, Is.EqualTo(torch.int64));
            Assert.That(actual.ToArray<long>(), Is.EqualTo(expected.Select(e => e.GetInt64()).ToArray()));
        }
    }

    private static Tensor Run(string call)
    {
        Match m;
        if ((m = ReferenceCallGrammar.Factory().Match(call)).Success)
        {
            long[] sizes = m.Groups["sizes"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            DType? dtype = m.Groups["dtype"].Success ? (m.Groups["dtype"].Value == "float64" ? torch.float64 : torch.float32) : null;
            return m.Groups["fn"].Value == "randn" ? torch.randn(sizes, dtype) : torch.rand(sizes, dtype);
        }
        if ((m = ReferenceCallGrammar.RandInt().Match(call)).Success)
            return torch.randint(long.Parse(m.Groups["lo"].Value), long.Parse(m.Groups["hi"].Value), [long.Parse(m.Groups["n"].Value)]);
        if ((m = ReferenceCallGrammar.RandPerm().Match(call)).Success)
            return torch.randperm(long.Parse(m.Groups["n"].Value));
        if ((m = ReferenceCallGrammar.Sample().Match(call)).Success)
        {
            var t = torch.empty(long.Parse(m.Groups["n"].Value));
            double a = double.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture), b = double.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
            return m.Groups["fn"].Value == "uniform_" ? t.uniform_(a, b) : t.normal_(a, b);
        }
        if ((m = ReferenceCallGrammar.Linear().Match(call)).Success)
        {
            long fanIn = long.Parse(m.Groups["in"].Value), fanOut = long.Parse(m.Groups["out"].Value);
            // nn.Linear.reset_parameters: kaiming_uniform_(weight, a=sqrt(5)) is weight.uniform_(-bound, bound) with
            // bound = sqrt(3) * gain / sqrt(fan_in), gain = sqrt(2 / (1 + a^2)); then bias.uniform_(-1/sqrt(fan_in), 1/sqrt(fan_in)).
            double gain = Math.Sqrt(2.0 / (1 + Math.Pow(Math.Sqrt(5), 2)));
            double bound = Math.Sqrt(3.0) * (gain / Math.Sqrt(fanIn));
            var weight = torch.empty(fanOut, fanIn).uniform_(-bound, bound);
            if (m.Groups["param"].Value == "weight") return weight;
            double biasBound = 1 / Math.Sqrt(fanIn);
            return torch.empty(fanOut).uniform_(-biasBound, biasBound);
        }
        throw new NotSupportedException($"reference call not understood: {call}");
    }
}
